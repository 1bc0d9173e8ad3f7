// VcsProvider's `permissions` input through the real provider host against the local console's fake Git providers:
// `check` refuses names the Git provider does not know; where the Git provider tells what a token grants (GitLab,
// GitHub classic, Bitbucket), a declared permission it lacks fails the verification before the console is touched;
// where it does not (GitHub fine-grained, Azure DevOps), a declaration lacking what Bytebase needs fails; a change of
// the declaration re-verifies the token.
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

function declare(type: GitProviderType, permissions: unknown, token: IssueTokenInput = {}) {
  return { ...declareToken(world, type, `perm-${++n}`, token), permissions };
}

async function checkFailures(type: GitProviderType, permissions: unknown) {
  return (await world.host.check(world.vcs, {}, declare(type, permissions))).failures;
}

/** Check (which must pass), then create; resolves to the create's outcome and whether the console was touched. */
async function create(type: GitProviderType, permissions: string[], token: IssueTokenInput = {}) {
  const news = declare(type, permissions, token);
  const checked = await world.host.check(world.vcs, {}, news);
  expect(checked.failures).toEqual([]);
  const before = world.bb.requests.length;
  const result = world.host.create(world.vcs, checked.inputs);
  const consoleTouched = () =>
    world.bb.requests.slice(before).some((r) => r.method !== "GET" && r.path.startsWith("/v1/vcsProviders"));
  return { news, checked, result, consoleTouched };
}

describe("check", () => {
  it("refuses a name the Git provider does not know, naming what its tokens need", async () => {
    const failures = await checkFailures("GITHUB", ["repo", "contents:readd"]);
    expect(failures).toEqual([
      {
        // The CLI prints `{<nil>}` for a nested path: the failure names the top-level input, the element in the reason.
        property: "permissions",
        reason: expect.stringContaining(
          "at permissions[1]: 'contents:readd' is not a GitHub token permission",
        ),
      },
    ]);
    expect(failures[0]!.reason).toContain("fine-grained personal access token: metadata:read, contents:read");
  });

  it("leaves whether a declaration covers what Bytebase needs to the policies and the verification", async () => {
    expect(await checkFailures("GITLAB", ["read_api", "read_repository"])).toEqual([]);
    expect(await checkFailures("AZURE_DEVOPS", ["vso.code"])).toEqual([]);
  });

  it("refuses a value that is not a list of names, and keeps a good declaration in the inputs", async () => {
    expect(await checkFailures("GITLAB", "api")).toEqual([
      {
        property: "permissions",
        reason: expect.stringContaining("must be a list of the token's permission names"),
      },
    ]);
    const news = declare("GITLAB", ["api", "read_repository"]);
    const checked = await world.host.check(world.vcs, {}, news);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.permissions).toEqual(["api", "read_repository"]);
  });
});

describe("verification against what the Git provider says the token grants", () => {
  const cases: [GitProviderType, string[], IssueTokenInput, string][] = [
    [
      "GITLAB",
      ["api", "read_repository", "sudo"],
      {},
      "'permissions' declares sudo, which the access token does not grant",
    ],
    [
      "GITHUB",
      ["repo", "admin:org"],
      { scopes: ["repo"] },
      "'permissions' declares admin:org, which the personal access token (classic) does not grant",
    ],
    [
      "GITHUB",
      ["metadata:read", "contents:read", "pull_requests:write", "repository_hooks:write"],
      { scopes: ["repo"] },
      "which the personal access token (classic) does not grant",
    ],
    [
      "BITBUCKET",
      ["account", "team", "project", "webhook", "repository:admin", "repository:write", "pullrequest:write"],
      {},
      "'permissions' declares repository:admin, which the app password does not grant",
    ],
  ];
  it.each(cases)(
    "a %s declaration the token does not live up to fails before the console is touched",
    async (type, permissions, token, says) => {
      const attempt = await create(type, permissions, token);
      const error = await errorOf(attempt.result);
      expect(error.message).toContain(says);
      expect(attempt.consoleTouched()).toBe(false);
      expectNoSecrets(world, error.message, world.host.stderr());
    },
  );

  it("a true declaration is verified and kept in the outputs", async () => {
    const attempt = await create("GITLAB", ["api", "read_repository"]);
    const { outs } = await attempt.result;
    expect(outs.permissions).toEqual(["api", "read_repository"]);
    const checks = (outs.verification as { checks: Check[] }).checks;
    expect(checks.filter((c) => c.outcome === "failed")).toEqual([]);
  });

  it.each([
    [
      "GITHUB",
      ["metadata:read", "contents:read"],
      { fineGrained: true },
      "Pull requests (Read and write) (pull_requests:write)",
    ],
    [
      "AZURE_DEVOPS",
      ["vso.code", "vso.profile", "vso.project"],
      {},
      "Pull request threads (read and write) (vso.threads_full)",
    ],
  ] as [GitProviderType, string[], IssueTokenInput, string][])(
    "where %s does not tell the grants, a declaration that lacks what Bytebase needs fails, naming it",
    async (type, permissions, token, says) => {
      const attempt = await create(type, permissions, token);
      const error = await errorOf(attempt.result);
      expect(error.message).toContain(
        `${type === "GITHUB" ? "GitHub" : "Azure DevOps"} does not tell what the token grants`,
      );
      expect(error.message).toContain(says);
      expect(attempt.consoleTouched()).toBe(false);
      expectNoSecrets(world, error.message, world.host.stderr());
    },
  );

  it("where GitLab tells the grants, they decide: a short declaration of a good token passes", async () => {
    const { result } = await create("GITLAB", ["read_api", "read_repository"]);
    const { outs } = await result;
    const checks = (outs.verification as { checks: Check[] }).checks;
    expect(checks.filter((c) => c.outcome === "failed")).toEqual([]);
  });

  it("a fine-grained GitHub token, whose permissions GitHub does not tell, is created as declared", async () => {
    const permissions = ["metadata:read", "contents:read", "pull_requests:write", "repository_hooks:write"];
    const attempt = await create("GITHUB", permissions, { fineGrained: true });
    const { outs } = await attempt.result;
    const checks = (outs.verification as { checks: Check[] }).checks;
    expect(checks.find((c) => c.check === "permissions")?.outcome).toBe("unverifiable");
  });

  it("a changed declaration is an in-place update that verifies the token again", async () => {
    const attempt = await create("GITLAB", ["api", "read_repository"]);
    const { id, outs } = await attempt.result;
    const next = (
      await world.host.check(world.vcs, attempt.checked.inputs, {
        ...attempt.news,
        permissions: ["api", "read_repository", "sudo"],
      })
    ).inputs;
    expect(await world.host.diff(world.vcs, id, outs, next)).toMatchObject({ changes: "some", replaces: [] });
    const before = world.bb.requests.length;
    const error = await errorOf(world.host.update(world.vcs, id, outs, next));
    expect(error.message).toContain("'permissions' declares sudo, which the access token does not grant");
    expect(world.bb.requests.slice(before).some((r) => r.method === "PATCH")).toBe(false);
  });
});
