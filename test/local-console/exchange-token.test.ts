// exchangeToken: real HTTP to the fake providers (cloud and self-hosted style), success and each provider error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { consoleCallbackUrl, type GitProviderType } from "../../src/catalog";
import type { StartedLocalConsole } from "../../src/local-console";
import { call, fixedClock, provider, setup, type CallOptions } from "./helpers";

let c: StartedLocalConsole;
let req: (method: string, path: string, o?: CallOptions) => ReturnType<typeof call>;
const clock = fixedClock();
const EXTERNAL = "https://bytebase.example.com";
const CALLBACK = `${EXTERNAL}/oauth/callback`;
const CLOUD: Record<GitProviderType, string> = {
  AZURE_DEVOPS: "https://dev.azure.com",
  BITBUCKET: "https://bitbucket.org",
  GITHUB: "https://github.com",
  GITLAB: "https://gitlab.com",
};

beforeAll(async () => {
  ({ c, req } = await setup({ externalUrl: EXTERNAL, now: clock.now }));
});
beforeEach(() => c.setExternalUrl(EXTERNAL));
afterAll(() => c.close());

const exchange = (
  type: GitProviderType,
  clientId: string,
  clientSecret: string,
  code: string,
  instanceUrl = CLOUD[type],
) =>
  req("POST", "/v1/externalVersionControls/-:exchangeToken", {
    body: { name: "externalVersionControls/-", code, type, instanceUrl, clientId, clientSecret },
  });

const expectFailure = async (answer: Promise<Awaited<ReturnType<typeof call>>>, pattern: RegExp) => {
  const a = await answer;
  expect(a.status).toBe(500);
  expect(a.json.code).toBe(13);
  expect(a.json.message).toMatch(/^failed to exchange OAuth token with error: /);
  expect(a.json.message).toMatch(pattern);
};

describe("successful exchanges", () => {
  it("registers apps with the console's callback by default", () => {
    expect(c.oauth.register("GITHUB").callbackUrls).toEqual([consoleCallbackUrl(EXTERNAL)]);
  });

  it("answers GitHub tokens that never expire (1970-01-01T00:00:00Z)", async () => {
    const app = c.oauth.register("GITHUB");
    const code = c.oauth.issueCode("GITHUB", app.applicationId, CALLBACK);
    const answer = await exchange("GITHUB", app.applicationId, app.secret, code);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      accessToken: expect.stringMatching(/^gho_/),
      refreshToken: "",
      expiresTime: "1970-01-01T00:00:00Z",
    });
  });

  it.each(["GITLAB", "BITBUCKET", "AZURE_DEVOPS"] as const)(
    "answers %s tokens with an expiry and a refresh token",
    async (type) => {
      const app = c.oauth.register(type);
      const code = c.oauth.issueCode(type, app.applicationId, CALLBACK);
      const answer = await exchange(type, app.applicationId, app.secret, code);
      expect(answer.status).toBe(200);
      expect(answer.json.accessToken).toEqual(expect.any(String));
      expect(answer.json.refreshToken).not.toBe("");
      expect(Date.parse(answer.json.expiresTime as string)).toBeGreaterThan(clock.now());
    },
  );

  it.each(["GITHUB", "GITLAB"] as const)("talks to a self-hosted %s at its instance URL", async (type) => {
    const app = c.oauth.register(type);
    const code = c.oauth.issueCode(type, app.applicationId, CALLBACK);
    const answer = await exchange(type, app.applicationId, app.secret, code, `${c.oauth.url(type)}/`);
    expect(answer.status).toBe(200);
  });

  // Bytebase keeps an instance URL's path and appends the token path to it (plugin/vcs/gitlab/gitlab.go and
  // plugin/vcs/github/github.go@2.14.0), e.g. GitLab under a relative URL root.
  it.each(["GITHUB", "GITLAB"] as const)("talks to a self-hosted %s served under a path", async (type) => {
    const app = c.oauth.register(type);
    const code = c.oauth.issueCode(type, app.applicationId, CALLBACK);
    const answer = await exchange(type, app.applicationId, app.secret, code, `${c.oauth.url(type)}/git/lab`);
    expect(answer.status).toBe(200);
    const elsewhere = await fetch(`${c.oauth.url(type)}/git/lab/oauth/tokens`, { method: "POST" });
    expect(elsewhere.status).toBe(404);
  });

  it("exchanges with a stored provider's credentials when named by id", async () => {
    const app = c.oauth.register("GITLAB");
    const created = await req("POST", "/v1/externalVersionControls", {
      body: provider({
        type: "GITLAB",
        url: c.oauth.url("GITLAB"),
        applicationId: app.applicationId,
        secret: app.secret,
      }),
    });
    const code = c.oauth.issueCode("GITLAB", app.applicationId, CALLBACK);
    const answer = await req("POST", `/v1/${created.json.name as string}:exchangeToken`, {
      body: { name: created.json.name, code },
    });
    expect(answer.status).toBe(200);
  });
});

describe("failures", () => {
  it("needs an external URL (400 FailedPrecondition)", async () => {
    c.setExternalUrl(null);
    const answer = await exchange("GITHUB", "a", "b", "c");
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ code: 9, message: "external url is required", details: [] });
  });

  it("validates a `-` exchange in Bytebase's order and words", async () => {
    const body = {
      name: "externalVersionControls/-",
      code: "c",
      instanceUrl: "https://gitlab.com",
      clientId: "i",
      clientSecret: "s",
    };
    const post = (b: Record<string, unknown>) =>
      req("POST", "/v1/externalVersionControls/-:exchangeToken", { body: b });
    expect((await post({ ...body, instanceUrl: "" })).json).toEqual({
      code: 13,
      message: "unknown external version control type: TYPE_UNSPECIFIED",
      details: [],
    });
    expect((await post({ ...body, type: "GITLAB", instanceUrl: "" })).json).toEqual({
      code: 3,
      message: "instance url is required",
      details: [],
    });
    for (const missing of ["clientId", "clientSecret", "code"])
      expect((await post({ ...body, type: "GITLAB", [missing]: "" })).json).toEqual({
        code: 3,
        message: "client_id, client_secret and code is required",
        details: [],
      });
  });

  it("needs instanceUrl, clientId, clientSecret and code (400)", async () => {
    for (const missing of ["instanceUrl", "clientId", "clientSecret", "code"]) {
      const body: Record<string, string> = {
        name: "externalVersionControls/-",
        type: "GITHUB",
        code: "c",
        instanceUrl: "https://github.com",
        clientId: "a",
        clientSecret: "b",
      };
      delete body[missing];
      const answer = await req("POST", "/v1/externalVersionControls/-:exchangeToken", { body });
      expect(answer.status).toBe(400);
      expect(answer.json.code).toBe(3);
    }
  });

  it("passes GitHub's errors on (bad client, bad code, redirect mismatch)", async () => {
    const app = c.oauth.register("GITHUB");
    const code = c.oauth.issueCode("GITHUB", app.applicationId, CALLBACK);
    await expectFailure(
      exchange("GITHUB", app.applicationId, "0".repeat(40), code),
      /incorrect_client_credentials/,
    );
    await expectFailure(
      exchange("GITHUB", app.applicationId, app.secret, "made-up"),
      /bad_verification_code/,
    );
    c.setExternalUrl("https://elsewhere.example.com");
    await expectFailure(exchange("GITHUB", app.applicationId, app.secret, code), /redirect_uri_mismatch/);
  });

  it("passes GitLab's errors on (invalid_client, invalid_grant)", async () => {
    const app = c.oauth.register("GITLAB");
    await expectFailure(exchange("GITLAB", app.applicationId, "gloas-bad", "x"), /invalid_client/);
    await expectFailure(exchange("GITLAB", app.applicationId, app.secret, "x"), /invalid_grant/);
  });

  it("passes Bitbucket's errors on (unauthorized_client, invalid_grant)", async () => {
    const app = c.oauth.register("BITBUCKET");
    await expectFailure(
      exchange("BITBUCKET", app.applicationId, "bad", "x"),
      /unauthorized_client, error_description: Invalid OAuth client credentials/,
    );
    await expectFailure(exchange("BITBUCKET", app.applicationId, app.secret, "x"), /invalid_grant/);
  });

  it("passes Azure DevOps's errors on (the App Secret instead of the Client Secret, a bad code)", async () => {
    const app = c.oauth.register("AZURE_DEVOPS");
    await expectFailure(
      exchange("AZURE_DEVOPS", app.applicationId, app.appSecret!, "x"),
      /invalid_client, error_description: Failed to deserialize the JsonWebToken object\./,
    );
    await expectFailure(exchange("AZURE_DEVOPS", app.applicationId, app.secret, "x"), /invalid_grant/);
  });

  it("reports an unreachable provider as 500", async () => {
    await expectFailure(
      exchange("GITLAB", "a", "b", "c", "http://127.0.0.1:1"),
      /failed to exchange OAuth token/,
    );
  });
});
