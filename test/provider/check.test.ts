// `check` through the real provider host: one failure per bad property, naming it and the fix, defaults filled in,
// unknown (preview) values let through, and never a secret in a failure.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { specFor } from "../../src/catalog";
import { UNKNOWN } from "../harness/provider-host";
import { declareApp, expectNoSecrets, startWorld, type World } from "./fixture";

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

const check = (news: Record<string, unknown>) => world.host.check(world.provider, {}, news);
/** The input a failure is about: its property, or the input its reason names (secret-safe and nested failures). */
const inputOf = (f: { property: string; reason: string }) =>
  /^the input '([^']+)' /.exec(f.reason)?.[1] ?? /^at ([^:]+): /.exec(f.reason)?.[1] ?? f.property;
const reasonsOf = async (news: Record<string, unknown>) => {
  const { failures } = await check(news);
  return Object.fromEntries(failures.map((f) => [inputOf(f), f.reason]));
};

/**
 * A failure as the real CLI prints it (pulumi/pulumi pkg/resource/deploy/step_generator.go issueCheckFailures):
 * `property <p> value <inputs[p]> has a problem: <reason>`, the value in plaintext (JSON here, which contains
 * every string Go's `{%v}` would print); `{<nil>}` when no top-level input has that name; no value for "".
 */
const printed = (news: Record<string, unknown>, f: { property: string; reason: string }) =>
  f.property === ""
    ? `GitOpsProvider resource 'p' has a problem: ${f.reason}`
    : `GitOpsProvider resource 'p': property ${f.property} value {${
        f.property in news ? JSON.stringify(news[f.property]) : "<nil>"
      }} has a problem: ${f.reason}`;

describe("check", () => {
  it("fills in the wizard's defaults and the verification switch", async () => {
    const app = declareApp(world, "AZURE_DEVOPS");
    const { inputs, failures } = await check({
      type: "AZURE_DEVOPS",
      applicationId: app.applicationId,
      secret: app.secret,
    });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({
      title: "Azure DevOps",
      instanceUrl: "https://dev.azure.com",
      verifyCredentials: true,
    });
  });

  it("normalizes a trailing slash on the instance URL", async () => {
    const app = declareApp(world, "BITBUCKET");
    const { inputs } = await check({ ...app, instanceUrl: "https://bitbucket.org/" });
    expect(inputs.instanceUrl).toBe("https://bitbucket.org");
  });

  it("names each missing required property and how to fix it", async () => {
    const reasons = await reasonsOf({});
    expect(Object.keys(reasons).sort()).toEqual(["applicationId", "secret", "type"]);
    expect(reasons.type).toMatch(/is required.*AZURE_DEVOPS, BITBUCKET, GITHUB, GITLAB/);
  });

  it("rejects unknown properties, at the top level and in connection", async () => {
    const app = declareApp(world, "BITBUCKET");
    const reasons = await reasonsOf({
      ...app,
      instanceURL: "https://bitbucket.org",
      connection: { token: "x" },
    });
    expect(reasons.instanceURL).toMatch(
      /is not a property of GitOpsProvider; remove it \(known: .*instanceUrl/,
    );
    expect(reasons["connection.token"]).toMatch(/not a property of connection/);
  });

  it("rejects an unknown type and wrong value types, each on its own property", async () => {
    const reasons = await reasonsOf({
      type: "GITEA",
      applicationId: 42,
      secret: "",
      verifyCredentials: "yes",
    });
    expect(reasons.type).toMatch(/must be one of AZURE_DEVOPS, BITBUCKET, GITHUB, GITLAB/);
    expect(reasons.applicationId).toMatch(/must be a string/);
    expect(reasons.secret).toMatch(/must not be empty/);
    expect(reasons.verifyCredentials).toMatch(/true or false/);
  });

  it("checks the instance URL: http(s), no path, query or fragment, https unless loopback", async () => {
    const app = declareApp(world, "BITBUCKET");
    expect((await reasonsOf({ ...app, instanceUrl: "ftp://bitbucket.org" })).instanceUrl).toMatch(
      /http\(s\) URL/,
    );
    expect((await reasonsOf({ ...app, instanceUrl: "https://bitbucket.org/team?x=1" })).instanceUrl).toMatch(
      /path/,
    );
    expect((await reasonsOf({ ...app, instanceUrl: "http://bitbucket.org" })).instanceUrl).toMatch(
      /use https/,
    );
    expect((await check({ ...app, instanceUrl: "http://127.0.0.1:7990" })).failures).toEqual([]);
  });

  // Bytebase keeps the path of a self-managed instance URL (TrimRight(url, "/"), externalvs_service.go@2.14.0).
  it.each(["GITHUB", "GITLAB"] as const)("accepts a self-managed %s served under a path", async (type) => {
    const app = declareApp(world, type);
    const { failures, inputs } = await check({ ...app, instanceUrl: "https://git.example.com/gitlab/" });
    expect(failures).toEqual([]);
    expect(inputs.instanceUrl).toBe("https://git.example.com/gitlab");
    const cloud = new URL(specFor(type).defaultInstanceUrl).host;
    expect((await reasonsOf({ ...app, instanceUrl: `https://${cloud}/acme` })).instanceUrl).toMatch(
      new RegExp(`serves .* at its root; use https://${cloud}`),
    );
    for (const [url, problem] of [
      ["https://git.example.com/gitlab?x=1", /query/],
      ["https://git.example.com/gitlab#top", /fragment/],
      ["https://ci@git.example.com/gitlab", /user info/],
    ] as const) {
      const { failures: bad } = await check({ ...app, instanceUrl: url });
      expect(bad.map((f) => f.reason).join(), url).toMatch(problem);
    }
  });

  it.each(["AZURE_DEVOPS", "BITBUCKET"] as const)("keeps %s to its one URL, without a path", async (type) => {
    const app = declareApp(world, type);
    const url = `${specFor(type).defaultInstanceUrl}/acme`;
    expect((await reasonsOf({ ...app, instanceUrl: url })).instanceUrl).toMatch(
      /has the path '\/acme'.*one instance URL/,
    );
  });

  it("checks a declared callback offline", async () => {
    const app = declareApp(world, "BITBUCKET");
    const reasons = await reasonsOf({
      ...app,
      callbackUrl: "http://bytebase.example.com/oauth/callback?x=1",
    });
    expect(reasons.callbackUrl).toMatch(/use https/);
    const path = await reasonsOf({ ...app, callbackUrl: "https://bytebase.example.com/callback" });
    expect(path.callbackUrl).toMatch(/'\/oauth\/callback'/);
  });

  it("tells an Azure DevOps App Secret from the Client Secret, and a secret of another app", async () => {
    const app = world.bb.oauth.register("AZURE_DEVOPS");
    const other = world.bb.oauth.register("AZURE_DEVOPS");
    world.secrets.push(app.secret, app.appSecret!, other.secret);
    const appSecret = await reasonsOf({
      type: "AZURE_DEVOPS",
      applicationId: app.applicationId,
      secret: app.appSecret,
    });
    expect(appSecret.secret).toMatch(/not an Azure DevOps Client Secret.*App Secret/);
    const foreign = await reasonsOf({
      type: "AZURE_DEVOPS",
      applicationId: app.applicationId,
      secret: other.secret,
    });
    expect(foreign.secret).toMatch(/belongs to another application/);
    expect(
      (await reasonsOf({ type: "AZURE_DEVOPS", applicationId: "my-app", secret: app.secret })).applicationId,
    ).toMatch(/GUID/);
    expectNoSecrets(world, appSecret, foreign);
  });

  it("checks each Git provider's credential shapes", async () => {
    const bitbucket = declareApp(world, "BITBUCKET");
    const swapped = await reasonsOf({
      type: "BITBUCKET",
      applicationId: bitbucket.secret,
      secret: bitbucket.applicationId,
    });
    expect(swapped.applicationId).toMatch(/18 letters and digits, got 32.*swap/);
    expect(swapped.secret).toMatch(/32 letters and digits, got 18/);
    const github = declareApp(world, "GITHUB");
    expect((await reasonsOf({ ...github, applicationId: "Iv1.0123456789abcdef" })).applicationId).toMatch(
      /GitHub App/,
    );
    const gitlab = declareApp(world, "GITLAB");
    expect((await reasonsOf({ ...gitlab, secret: "glpat-0123456789abcdef0123" })).secret).toMatch(/'gloas-'/);
    expectNoSecrets(world, swapped);
  });

  it("checks declared scopes: spelling, and what the console needs, in the provider's UI words", async () => {
    const app = declareApp(world, "BITBUCKET");
    const reasons = await reasonsOf({ ...app, scopes: ["account", "repository:admin", "webhooks"] });
    expect(reasons["scopes[2]"]).toMatch(/'webhooks' is not one of the Bitbucket.org permissions/);
    expect(await reasonsOf({ ...app, scopes: ["account", "repository:admin", "webhook"] })).toEqual({
      scopes: expect.stringMatching(
        /lacks what the console needs: Repositories > Write \(repository:write\)/,
      ),
    });
    const azure = declareApp(world, "AZURE_DEVOPS");
    const implied = await check({
      ...azure,
      scopes: ["vso.code_full", "vso.identity", "vso.project", "vso.build_execute"],
    });
    expect(implied.failures).toEqual([]);
  });

  it("lets unknown values through during a preview", async () => {
    const { failures, inputs } = await check({
      type: "GITLAB",
      applicationId: UNKNOWN,
      secret: UNKNOWN,
      title: UNKNOWN,
    });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ instanceUrl: "https://gitlab.com", title: UNKNOWN });
  });

  it("names no property whose value is or may be secret, so the CLI cannot print it", async () => {
    const azure = world.bb.oauth.register("AZURE_DEVOPS");
    const other = world.bb.oauth.register("AZURE_DEVOPS");
    const bitbucket = declareApp(world, "BITBUCKET");
    const github = declareApp(world, "GITHUB");
    const gitlab = declareApp(world, "GITLAB");
    const key = "bbs_a_rotated_service_key_0123456789";
    world.secrets.push(azure.secret, azure.appSecret!, other.secret, key);
    const azureApp = { type: "AZURE_DEVOPS", applicationId: azure.applicationId };
    const cases: [string, Record<string, unknown>, string[]][] = [
      ["an Azure App Secret", { ...azureApp, secret: azure.appSecret }, [azure.appSecret!]],
      ["another app's Azure secret", { ...azureApp, secret: other.secret }, [other.secret]],
      ["a GitHub secret's shape", { ...github, secret: `${github.secret}x` }, [github.secret]],
      ["a GitLab secret's shape", { ...gitlab, secret: `${gitlab.secret}0` }, [gitlab.secret]],
      ["a Bitbucket secret's shape", { ...bitbucket, secret: `${bitbucket.secret}=` }, [bitbucket.secret]],
      ["whitespace", { ...bitbucket, secret: ` ${bitbucket.secret}` }, [bitbucket.secret]],
      [
        "a swapped Bitbucket key and secret",
        { ...bitbucket, applicationId: bitbucket.secret, secret: bitbucket.applicationId },
        [bitbucket.secret],
      ],
      [
        "a Bitbucket secret pasted into the key, with a space",
        { ...bitbucket, applicationId: ` ${bitbucket.secret}` },
        [bitbucket.secret],
      ],
      ["a mistyped secret's name", { ...bitbucket, secrets: bitbucket.secret }, [bitbucket.secret]],
      ["a bad connection", { ...bitbucket, connection: { serviceKey: ` ${key}` } }, [key]],
      ["an unknown connection key", { ...bitbucket, connection: { password: key } }, [key]],
      ["a URL with user info", { ...gitlab, instanceUrl: `https://ci:${key}@gitlab.example.com` }, [key]],
    ];
    for (const [what, news, secrets] of cases) {
      const { failures } = await check(news);
      expect(failures, what).not.toEqual([]);
      for (const f of failures) {
        expect(["secret", "connection"], what).not.toContain(f.property);
        expect(f.property, what).toMatch(/^[A-Za-z]*$/); // "" or a top-level property
        for (const secret of secrets) expect(printed(news, f), what).not.toContain(secret);
      }
      const aboutSecret = failures.filter((f) => f.property === "");
      expect(aboutSecret.length, what).toBeGreaterThan(0);
      for (const f of aboutSecret)
        expect(f.reason, what).toMatch(
          /^the input '(secret|secrets|connection\.\w+|instanceUrl|applicationId)' /,
        );
    }
  });

  it("names a nested path's top-level property and says which element in the reason", async () => {
    const app = declareApp(world, "BITBUCKET");
    const news = { ...app, scopes: ["account", "webhook", "repository:write", "webhooks"] };
    const { failures } = await check(news);
    expect(failures).toEqual([
      { property: "scopes", reason: expect.stringMatching(/^at scopes\[3\]: 'webhooks' is not one of/) },
    ]);
    expect(printed(news, failures[0]!)).toContain('property scopes value {["account"');
  });

  it("never puts a secret into a failure", async () => {
    const secret = "bbs_and_a_very_secret_value_that_must_not_leak";
    world.secrets.push(secret);
    const { failures } = await check({ type: "GITHUB", applicationId: "Iv1.x", secret: ` ${secret}` });
    expect(failures.map((f) => f.property).sort()).toEqual(["", "applicationId"]);
    expect(failures.find((f) => f.property === "")!.reason).toMatch(/^the input 'secret' .*whitespace/);
    expectNoSecrets(world, failures, world.host.stderr());
  });
});
