// Token verification of VcsProvider through the real provider host, per Git provider, against the local console's
// fake Git provider APIs: a missing permission fails naming it in the Git provider's words before the console is
// touched; what cannot be told is "could not verify" (a warning, not a failure); the token is never quoted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitProviderType } from "../../src/catalog";
import type { IssueTokenInput } from "../../src/local-console/git-fakes";
import { errorOf, expectNoSecrets } from "./fixture";
import { declareToken, startVcsWorld, type VcsWorld } from "./vcs-fixture";

let world: VcsWorld;
let n = 0;
beforeAll(async () => {
  world = await startVcsWorld();
});
afterAll(() => world?.close());

type Check = { check: string; outcome: string; detail: string };

/** Check then create; resolves to the verification, or rejects with the create's error. */
async function createWith(
  type: GitProviderType,
  token: IssueTokenInput,
  extra: Record<string, unknown> = {},
) {
  const news = { ...declareToken(world, type, `t-${++n}`, token), ...extra };
  const checked = await world.host.check(world.vcs, {}, news);
  expect(checked.failures).toEqual([]);
  const before = world.bb.requests.length;
  const result = world.host.create(world.vcs, checked.inputs);
  return {
    news,
    result,
    consoleTouched: () => world.bb.requests.slice(before).some((r) => r.path.startsWith("/v1/vcsProviders")),
  };
}

async function refused(type: GitProviderType, token: IssueTokenInput): Promise<string> {
  const attempt = await createWith(type, token);
  const error = await errorOf(attempt.result);
  expect(attempt.consoleTouched()).toBe(false);
  expectNoSecrets(world, error.message, world.host.stderr());
  return error.message;
}

async function verified(type: GitProviderType, token: IssueTokenInput) {
  const attempt = await createWith(type, token);
  const { outs } = await attempt.result;
  const v = outs.verification as { checks: Check[]; tokenExpiresAt?: string };
  const outcome = (check: string) => v.checks.filter((c) => c.check === check).map((c) => c.outcome);
  return { v, outcome };
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

describe("GitLab: GET /api/v4/personal_access_tokens/self tells scopes, activity and expiry", () => {
  it("a token without api fails naming the scope, before the console is touched", async () => {
    const message = await refused("GITLAB", { scopes: ["read_user"] });
    expect(message).toContain("lacks the scopes api, read_repository");
    expect(message).toContain("User settings > Access tokens");
  });
  it("an expired or unknown token fails as GitLab refuses it", async () => {
    expect(await refused("GITLAB", { expiresAt: inDays(-1) })).toContain(
      'GitLab refused the token (401 "401 Unauthorized")',
    );
  });
  it("a good token is verified, with its expiry date", async () => {
    const expires = inDays(30);
    const { v, outcome } = await verified("GITLAB", { expiresAt: expires });
    expect(outcome("token")).toEqual(["verified"]);
    expect(outcome("permissions")).toEqual(["verified"]);
    expect(outcome("expiry")).toEqual(["verified"]);
    expect(v.tokenExpiresAt).toBe(`${expires.toISOString().slice(0, 10)}T00:00:00.000Z`);
  });
  it("a token whose user is Maintainer of no project is 'could not verify', and created (Bytebase accepts it)", async () => {
    const { outcome } = await verified("GITLAB", { admin: false });
    expect(outcome("repositories")).toEqual(["unverifiable"]);
    const line = "GitLab token repositories: the token's user is Maintainer of no project";
    expect(await world.host.stderrWith(line)).toContain(line);
  });
});

describe("GitHub: X-OAuth-Scopes (classic), the expiry header, and the repositories' permissions", () => {
  it("a classic token without repo fails naming the scope", async () => {
    const message = await refused("GITHUB", { scopes: ["read:user", "gist"] });
    expect(message).toContain("the classic token lacks the scope repo (it has read:user, gist)");
  });
  it("a bad token fails with GitHub's words", async () => {
    expect(await refused("GITHUB", { expiresAt: inDays(-2) })).toContain(
      'GitHub refused the token (401 "Bad credentials")',
    );
  });
  it("a fine-grained token: its permissions could not be verified, its expiry is told", async () => {
    const expires = inDays(90);
    const { v, outcome } = await verified("GITHUB", { fineGrained: true, expiresAt: expires });
    expect(outcome("permissions")).toEqual(["unverifiable"]);
    expect(v.checks.find((c) => c.check === "permissions")!.detail).toContain("Webhooks (read and write)");
    expect(v.tokenExpiresAt).toBe(new Date(Math.floor(expires.getTime() / 1000) * 1000).toISOString());
    expect(outcome("repositories")).toEqual(["verified"]);
  });
});

describe("Bitbucket: the app password's user and the permissions in x-oauth-scopes", () => {
  it("an app password without Webhooks fails naming it in Bitbucket's words", async () => {
    const message = await refused("BITBUCKET", {
      scopes: ["account", "team", "project", "repository:write", "pullrequest:write"],
    });
    expect(message).toContain("lacks Webhooks > Read and write (webhook)");
  });
  it("an app password without Account > Read is refused the user, and says so", async () => {
    const message = await refused("BITBUCKET", {
      scopes: ["webhook", "pullrequest:write", "project", "team"],
    });
    expect(message).toContain("lacks Account > Read (account)");
  });
  it("a token that is not <username>:<app password> fails in check", async () => {
    const checked = await world.host.check(
      world.vcs,
      {},
      { resourceId: "bb-x", type: "BITBUCKET", accessToken: "ATBBnocolonhere1234" },
    );
    expect(checked.failures).toEqual([
      {
        // A failure about a secret input names no property (the CLI would print its value), and says which input.
        property: "",
        reason: expect.stringContaining(
          "the input 'accessToken' must be '<Bitbucket username>:<app password>'",
        ),
      },
    ]);
    expect(JSON.stringify(checked.failures)).not.toContain("ATBBnocolonhere1234");
  });
  it("a good app password is verified; app passwords do not expire", async () => {
    const { v, outcome } = await verified("BITBUCKET", {});
    expect(outcome("permissions")).toEqual(["verified"]);
    expect(v.tokenExpiresAt).toBeUndefined();
  });
});

describe("Azure DevOps: the PAT's profile, organizations and repositories", () => {
  it("a PAT limited to one organization fails saying Bytebase needs all accessible organizations", async () => {
    const message = await refused("AZURE_DEVOPS", { scopedToOneOrganization: true });
    expect(message).toContain('"All accessible organizations"');
  });
  it("a PAT without Code (Read) fails naming it", async () => {
    expect(await refused("AZURE_DEVOPS", { scopes: ["vso.profile", "vso.project"] })).toContain(
      "lacks Code (Read)",
    );
  });
  it("a good PAT is verified as far as Azure DevOps tells; scopes beyond Code and the expiry could not be verified", async () => {
    const { v, outcome } = await verified("AZURE_DEVOPS", {});
    expect(outcome("token")).toEqual(["verified"]);
    expect(outcome("organizations")).toEqual(["verified"]);
    expect(outcome("permissions")).toEqual(["verified", "unverifiable"]);
    expect(outcome("expiry")).toEqual(["unverifiable"]);
    expect(v.tokenExpiresAt).toBeUndefined();
  });
});

describe("verifyToken: false", () => {
  it("skips the check; the console's own (weaker) check then quotes the Git provider's refusal", async () => {
    const news = {
      ...declareToken(world, "GITLAB", `t-${++n}`, { scopes: ["read_user"] }),
      verifyToken: false,
    };
    const checked = await world.host.check(world.vcs, {}, news);
    const error = await errorOf(world.host.create(world.vcs, checked.inputs));
    expect(error.message).toContain(
      "failed to fetch repositories, please check if the token has right permissions",
    );
    expect(error.message).toContain("insufficient_scope");
    expectNoSecrets(world, error.message, world.host.stderr());
  });
});

describe("a Git provider that does not answer", () => {
  let quiet: VcsWorld;
  beforeAll(async () => {
    // The host's token checks go to a closed port; the console's own check still reaches its fake.
    quiet = await startVcsWorld({}, { BYTEBASE_GITOPS_API_URL_GITLAB: "http://127.0.0.1:9" });
  });
  afterAll(() => quiet?.close());

  it("is 'could not verify', a warning: the provider is created", async () => {
    const news = declareToken(quiet, "GITLAB", "gitlab-quiet");
    const checked = await quiet.host.check(quiet.vcs, {}, news);
    const { outs } = await quiet.host.create(quiet.vcs, checked.inputs);
    const v = outs.verification as { checks: Check[] };
    expect(v.checks).toEqual([
      {
        check: "token",
        outcome: "unverifiable",
        detail: expect.stringContaining("could not verify: GitLab did not answer"),
      },
    ]);
    const said = "could not verify: GitLab did not answer";
    expect(await quiet.host.stderrWith(said)).toContain(said);
    expectNoSecrets(quiet, quiet.host.stderr(), JSON.stringify(v));
  });
});
