// Verifying the OAuth application for real, through the provider host, against the local console's fake Git
// providers: good and bad credentials, callback rules, missing permissions, Azure DevOps secrets, a silent
// provider. After every failed create the console holds no new provider and no message holds a secret.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GIT_PROVIDER_TYPES, specFor } from "../../src/catalog";
import { startProviderHost } from "../harness/provider-host";
import {
  createResource,
  declareApp,
  errorOf,
  expectNoSecrets,
  nonSecretOutputs,
  oauthEnv,
  repoRoot,
  startWorld,
  type World,
} from "./fixture";

const TYPES = GIT_PROVIDER_TYPES;

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());
afterEach(() => world.bb.faults.clear());

/** Check (must pass) then create (must fail); returns the error, having asserted nothing was made or leaked. */
async function failedCreate(news: Record<string, unknown>): Promise<Error> {
  const before = world.bb.listProviders().length;
  const checked = await world.host.check(world.provider, {}, news);
  expect(checked.failures).toEqual([]);
  const error = await errorOf(world.host.create(world.provider, checked.inputs));
  expect(world.bb.listProviders().length).toBe(before);
  expectNoSecrets(world, error.message, world.host.stderr());
  return error;
}

/** The same shape as the real value, but not what the Git provider registered. */
function wrongLike(value: string): string {
  const last = value.at(-1)!;
  return value.slice(0, -1) + (last === "a" ? "b" : "a");
}

describe.each(TYPES)("%s verification", (type) => {
  it("verifies good credentials and the declared callback, and reports it", async () => {
    const app = declareApp(world, type, { clientCredentials: type === "BITBUCKET" });
    const { outs } = await createResource(world, { ...app, callbackUrl: `${world.bb.url}/oauth/callback` });
    const verification = outs.verification as {
      checks: { check: string; outcome: string }[];
      verifiedAt: string;
    };
    expect(Date.parse(verification.verifiedAt)).not.toBeNaN();
    const outcomes = Object.fromEntries(verification.checks.map((c) => [c.check, c.outcome]));
    expect(outcomes).toMatchObject({ callback: "verified", credentials: "verified" });
    if (type === "BITBUCKET") expect(outcomes.permissions).toBe("verified");
    if (type === "AZURE_DEVOPS") {
      expect(outcomes.secret).toBe("verified");
      expect(Date.parse((outs.verification as { secretExpiresAt: string }).secretExpiresAt)).toBeGreaterThan(
        Date.now(),
      );
    }
    expectNoSecrets(world, nonSecretOutputs(outs));
  });

  it("fails on a wrong secret, saying which values to copy again", async () => {
    const app = declareApp(world, type);
    const error = await failedCreate({ ...app, secret: wrongLike(app.secret) });
    expect(error.message).toMatch(/nothing was written to the console/);
    expect(error.message).toMatch(/credentials: .* refused the .* or /);
  });

  it("fails on a wrong application id", async () => {
    const app = declareApp(world, type);
    const applicationId = wrongLike(app.applicationId);
    if (type === "AZURE_DEVOPS") {
      // The Client Secret names its application: check catches the mix-up before anything runs.
      const { failures } = await world.host.check(world.provider, {}, { ...app, applicationId });
      expect(failures).toEqual([
        { property: "", reason: expect.stringMatching(/^the input 'secret' belongs to another application/) },
      ]);
      return;
    }
    const error = await failedCreate({ ...app, applicationId });
    expect(error.message).toMatch(/credentials: .* refused/);
  });

  it("fails when the registered callback does not accept the console's, quoting both", async () => {
    const app = declareApp(world, type);
    const declared = "https://bytebase.example.com/oauth/callback";
    const error = await failedCreate({ ...app, callbackUrl: declared });
    expect(error.message).toContain(
      `registered callback ${declared} does not accept the console's callback ${world.bb.url}/oauth/callback`,
    );
  });

  it("is visible, not fatal, when the Git provider does not answer", async () => {
    const app = declareApp(world, type);
    world.bb.faults.inject({ target: type, path: /.*/, drop: "before" });
    const { outs } = await createResource(world, app);
    const checks = (outs.verification as { checks: { check: string; outcome: string; detail: string }[] })
      .checks;
    expect(checks.find((c) => c.check === "credentials")).toMatchObject({
      outcome: "unverifiable",
      detail: expect.stringMatching(/could not reach http:\/\/127\.0\.0\.1:\d+\/.*\(/),
    });
  });

  it("skips the credential check when verifyCredentials is false", async () => {
    const app = declareApp(world, type);
    const { outs } = await createResource(world, {
      ...app,
      secret: wrongLike(app.secret),
      verifyCredentials: false,
    });
    const checks = (outs.verification as { checks: { check: string }[] }).checks;
    expect(checks.map((c) => c.check)).toEqual(["callback"]);
  });
});

// Bytebase keeps a self-managed instance's path and derives `<url>/api/v4`, `<url>/api/v3` and the token endpoint
// from it (plugin/vcs/gitlab/gitlab.go, plugin/vcs/github/github.go@2.14.0).
describe.each(["GITHUB", "GITLAB"] as const)("%s served under a path", (type) => {
  it("verifies the credentials at the instance's own token endpoint and keeps the path", async () => {
    const app = declareApp(world, type);
    const instanceUrl = `${app.instanceUrl as string}/git/lab`;
    const tokenPath = new URL(specFor(type).tokenUrl(instanceUrl)).pathname;
    const { outs } = await createResource(world, { ...app, instanceUrl: `${instanceUrl}/` });
    const checks = (outs.verification as { checks: { check: string; outcome: string }[] }).checks;
    expect(Object.fromEntries(checks.map((c) => [c.check, c.outcome]))).toMatchObject({
      credentials: "verified",
    });
    expect(tokenPath).toMatch(/^\/git\/lab\//);
    expect(outs).toMatchObject({
      instanceUrl,
      apiUrl: `${instanceUrl}/${type === "GITLAB" ? "api/v4" : "api/v3"}`,
    });
    // A wrong secret is still told apart at that endpoint.
    const error = await failedCreate({ ...app, instanceUrl, secret: wrongLike(app.secret) });
    expect(error.message).toMatch(/credentials: .* refused/);
  });
});

describe("callback matching rules", () => {
  const consoleCallback = () => `${world.bb.url}/oauth/callback`;
  const otherPort = () => consoleCallback().replace(/:(\d+)\//, (_m, port) => `:${Number(port) + 1}/`);

  it("GitHub: same host and port, path at or below the registered one", async () => {
    const app = declareApp(world, "GITHUB");
    await createResource(world, { ...app, callbackUrl: consoleCallback() });
    const error = await failedCreate({ ...app, callbackUrl: otherPort() });
    expect(error.message).toMatch(/must have the registered callback's host and port/);
  });

  it("Bitbucket: the console's callback must start with the registered one", async () => {
    const app = declareApp(world, "BITBUCKET");
    const error = await failedCreate({ ...app, callbackUrl: `https://bytebase.example.com/oauth/callback` });
    expect(error.message).toMatch(/must start with the registered callback/);
  });

  it("Azure DevOps and GitLab: exact", async () => {
    for (const type of ["AZURE_DEVOPS", "GITLAB"] as const) {
      const app = declareApp(world, type);
      const error = await failedCreate({ ...app, callbackUrl: otherPort() });
      expect(error.message).toMatch(/must match the registered callback exactly/);
    }
  });

  it("a later change of the console's external URL shows on refresh and fails the next update", async () => {
    const moved = await startWorld();
    try {
      const app = declareApp(moved, "GITLAB");
      const declared = `${moved.bb.url}/oauth/callback`;
      const { id, outs, inputs } = await createResource(moved, { ...app, callbackUrl: declared });
      moved.bb.setExternalUrl("https://bytebase.example.com");
      // A new provider host is a new `pulumi refresh` / `pulumi up` process: the external URL is read again.
      const host = await startProviderHost({ cwd: repoRoot, env: oauthEnv(moved.bb) });
      try {
        await host.configure({
          "bytebase:url": moved.bb.url,
          "bytebase:serviceAccount": moved.bb.admin.email,
          "bytebase:serviceKey": moved.bb.admin.key,
        });
        const refreshed = await host.read(moved.provider, id, outs);
        expect(refreshed.outs.callbackUrl).toBe("https://bytebase.example.com/oauth/callback");
        const diff = await host.diff(moved.provider, id, refreshed.outs, inputs);
        expect(diff).toMatchObject({ changes: "some", replaces: [] });
        const error = await errorOf(host.update(moved.provider, id, refreshed.outs, inputs));
        expect(error.message).toContain(
          `registered callback ${declared} does not accept the console's callback https://bytebase.example.com/oauth/callback`,
        );
      } finally {
        await host.close();
      }
    } finally {
      await moved.close();
    }
  });
});

describe("what only some Git providers can tell", () => {
  it("fails on a console without an external URL, saying where to set it", async () => {
    const bare = await startWorld({ externalUrl: null });
    try {
      const app = declareApp(bare, "BITBUCKET");
      const checked = await bare.host.check(bare.provider, {}, app);
      const error = await errorOf(bare.host.create(bare.provider, checked.inputs));
      expect(error.message).toMatch(/has no external URL.*Settings > General > External URL/);
      expect(bare.bb.listProviders()).toEqual([]);
    } finally {
      await bare.close();
    }
  });

  it("Bitbucket: names each permission the consumer lacks, in the UI's words", async () => {
    const app = declareApp(world, "BITBUCKET", {
      scopes: ["account", "repository:write"],
      clientCredentials: true,
    });
    const error = await failedCreate(app);
    expect(error.message).toMatch(/permissions: the consumer lacks Webhooks > Read and write \(webhook\)/);
  });

  it("Bitbucket: a declared permission the consumer does not grant fails too", async () => {
    const app = declareApp(world, "BITBUCKET", { clientCredentials: true });
    const error = await failedCreate({
      ...app,
      scopes: ["account", "webhook", "repository:write", "pullrequest"],
    });
    expect(error.message).toMatch(
      /scopes declares Pull requests > Read \(pullrequest\), which the consumer does not grant/,
    );
  });

  it("Bitbucket: permissions of a public consumer are 'could not verify'", async () => {
    const app = declareApp(world, "BITBUCKET", { clientCredentials: false });
    const { outs } = await createResource(world, app);
    const checks = (outs.verification as { checks: { check: string; outcome: string; detail: string }[] })
      .checks;
    expect(checks.find((c) => c.check === "permissions")).toMatchObject({
      outcome: "unverifiable",
      detail: expect.stringMatching(/private consumer/),
    });
  });

  it("Azure DevOps: an expired Client Secret fails and says when it expired", async () => {
    const app = declareApp(world, "AZURE_DEVOPS", { secretExpiresAt: new Date(Date.now() - 86_400_000) });
    const error = await failedCreate(app);
    expect(error.message).toMatch(/secret: the Client Secret expired on \d{4}-\d\d-\d\dT/);
  });

  it("Azure DevOps: the App Secret given instead of the Client Secret fails before any call", async () => {
    const registered = world.bb.oauth.register("AZURE_DEVOPS");
    world.secrets.push(registered.secret, registered.appSecret!);
    const news = {
      type: "AZURE_DEVOPS",
      applicationId: registered.applicationId,
      secret: registered.appSecret,
    };
    const { failures, inputs } = await world.host.check(world.provider, {}, news);
    expect(failures[0]?.reason).toMatch(/looks like the App Secret/);
    const before = world.bb.listProviders().length;
    const error = await errorOf(
      world.host.create(world.provider, {
        ...inputs,
        title: "Azure DevOps",
        instanceUrl: "https://dev.azure.com",
        verifyCredentials: true,
      }),
    );
    expect(error.message).toMatch(/secret: the secret is not an Azure DevOps Client Secret/);
    expect(world.bb.listProviders().length).toBe(before);
    expectNoSecrets(world, error.message, world.host.stderr());
  });
});
