// The fake Git providers' token endpoints, called directly: credentials, codes, callback rules, scopes, Azure secrets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeAzureClientSecret, GIT_PROVIDER_TYPES, specFor } from "../../src/catalog";
import type { StartedLocalConsole } from "../../src/local-console";
import { fixedClock, setup } from "./helpers";

let c: StartedLocalConsole;
const clock = fixedClock();
const CB = "https://bytebase.example.com/oauth/callback";

beforeAll(async () => {
  ({ c } = await setup({ externalUrl: "https://bytebase.example.com", now: clock.now }));
});
afterAll(() => c.close());

async function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: (text.startsWith("{") ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}
const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`,
});

describe("registration", () => {
  it.each(GIT_PROVIDER_TYPES)("generates %s credentials that pass the catalog's checks", (type) => {
    const app = c.oauth.register(type);
    expect(specFor(type).checkCredentials(app.applicationId, app.secret)).toEqual([]);
    expect(app.scopes).toEqual(specFor(type).requiredScopes);
    expect(new URL(c.oauth.url(type)).hostname).toBe("127.0.0.1");
  });

  it("shapes credentials like the real ones", () => {
    expect(c.oauth.register("GITHUB")).toMatchObject({
      applicationId: expect.stringMatching(/^Ov23li\w{14}$/),
      secret: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(c.oauth.register("GITLAB")).toMatchObject({
      applicationId: expect.stringMatching(/^[0-9a-f]{64}$/),
      secret: expect.stringMatching(/^gloas-[0-9a-f]{64}$/),
    });
    expect(c.oauth.register("BITBUCKET")).toMatchObject({
      applicationId: expect.stringMatching(/^[A-Za-z0-9]{18}$/),
      secret: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
    });
    const azure = c.oauth.register("AZURE_DEVOPS");
    const claims = decodeAzureClientSecret(azure.secret)!;
    expect(claims.cid).toBe(azure.applicationId.toLowerCase());
    expect(claims.exp! * 1000).toBeGreaterThan(clock.now());
    const header = JSON.parse(Buffer.from(azure.secret.split(".")[0]!, "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(header).toMatchObject({ typ: "JWT", alg: "RS256" });
    expect(decodeAzureClientSecret(azure.appSecret!)).toBeUndefined();
    expect(specFor("AZURE_DEVOPS").checkCredentials(azure.applicationId, azure.appSecret!)).not.toEqual([]);
  });

  it("keeps the demo apps' credentials stable", () => {
    expect(c.demoApps.GITHUB.applicationId).toMatch(/^Ov23li/);
    expect(c.demoApps.BITBUCKET.clientCredentials).toBe(true);
  });
});

describe("GitHub", () => {
  const url = () => `${c.oauth.url("GITHUB")}/login/oauth/access_token`;
  it("answers errors with HTTP 200 in the documented order, then a token", async () => {
    const app = c.oauth.register("GITHUB", { callbackUrl: "https://bytebase.example.com/oauth" });
    const code = c.oauth.issueCode("GITHUB", app.applicationId, CB);
    const accept = { accept: "application/json" };
    const form = { client_id: app.applicationId, client_secret: app.secret, code, redirect_uri: CB };
    const bad = await post(url(), { ...form, client_secret: "f".repeat(40), code: "nope" }, accept);
    expect(bad).toMatchObject({ status: 200, json: { error: "incorrect_client_credentials" } });
    expect((await post(url(), { ...form, code: "nope" }, accept)).json.error).toBe("bad_verification_code");
    const elsewhere = { ...form, redirect_uri: "https://bytebase.example.com:8443/oauth/callback" };
    expect((await post(url(), elsewhere, accept)).json.error).toBe("redirect_uri_mismatch");
    const ok = await post(url(), form, accept);
    expect(ok.json).toMatchObject({
      access_token: expect.stringMatching(/^gho_/),
      token_type: "bearer",
      scope: "repo,workflow",
    });
    expect((await post(url(), form, accept)).json.error).toBe("bad_verification_code");
  });

  it("answers form-encoded without Accept: application/json", async () => {
    const answer = await post(url(), { client_id: "nope", client_secret: "nope", code: "x" });
    expect(new URLSearchParams(answer.text).get("error")).toBe("incorrect_client_credentials");
  });

  it("refuses an expired code", async () => {
    const app = c.oauth.register("GITHUB");
    const code = c.oauth.issueCode("GITHUB", app.applicationId, CB);
    clock.advance(11 * 60 * 1000);
    const answer = await post(
      url(),
      { client_id: app.applicationId, client_secret: app.secret, code },
      { accept: "application/json" },
    );
    expect(answer.json.error).toBe("bad_verification_code");
  });
});

describe("GitLab", () => {
  const url = () => `${c.oauth.url("GITLAB")}/oauth/token`;
  it("answers 401 invalid_client, 400 invalid_grant, exact redirect matching", async () => {
    const app = c.oauth.register("GITLAB", { callbackUrl: [CB, "http://127.0.0.1:9000/oauth/callback"] });
    const form = {
      client_id: app.applicationId,
      client_secret: app.secret,
      grant_type: "authorization_code",
      redirect_uri: CB,
    };
    expect(await post(url(), { ...form, client_secret: "gloas-wrong", code: "x" })).toMatchObject({
      status: 401,
      json: { error: "invalid_client" },
    });
    expect(await post(url(), { ...form, code: "x" })).toMatchObject({
      status: 400,
      json: { error: "invalid_grant" },
    });
    const code = c.oauth.issueCode("GITLAB", app.applicationId, `${CB}/sub`);
    expect(await post(url(), { ...form, code, redirect_uri: `${CB}/sub` })).toMatchObject({
      status: 400,
      json: { error: "invalid_grant" },
    });
    const good = c.oauth.issueCode("GITLAB", app.applicationId, CB);
    expect(await post(url(), { ...form, code: good })).toMatchObject({
      status: 200,
      json: { token_type: "Bearer", expires_in: 7200, scope: "api" },
    });
  });
});

describe("Bitbucket", () => {
  const url = () => `${c.oauth.url("BITBUCKET")}/site/oauth2/access_token`;
  it("authenticates with HTTP Basic and matches the callback as a prefix", async () => {
    const app = c.oauth.register("BITBUCKET");
    const bad = await post(
      url(),
      { grant_type: "authorization_code", code: "x" },
      basic(app.applicationId, "x".repeat(32)),
    );
    expect(bad).toMatchObject({
      status: 400,
      json: { error: "unauthorized_client", error_description: "Invalid OAuth client credentials" },
    });
    const auth = basic(app.applicationId, app.secret);
    expect((await post(url(), { grant_type: "authorization_code", code: "x" }, auth)).json.error).toBe(
      "invalid_grant",
    );
    const sub = `${CB}/bitbucket`;
    const code = c.oauth.issueCode("BITBUCKET", app.applicationId, sub);
    const ok = await post(url(), { grant_type: "authorization_code", code, redirect_uri: sub }, auth);
    expect(ok.json).toMatchObject({ scopes: "account webhook repository:write", expires_in: 7200 });
    const other = c.oauth.issueCode(
      "BITBUCKET",
      app.applicationId,
      "https://evil.example.com/oauth/callback",
    );
    const mismatch = await post(
      url(),
      {
        grant_type: "authorization_code",
        code: other,
        redirect_uri: "https://evil.example.com/oauth/callback",
      },
      auth,
    );
    expect(mismatch).toMatchObject({ status: 400, json: { error: "invalid_grant" } });
  });

  it("answers client_credentials with the consumer's scopes, for private consumers only", async () => {
    const scopes = ["account", "webhook", "repository:admin"];
    const priv = c.oauth.register("BITBUCKET", { scopes, clientCredentials: true });
    const ok = await post(
      url(),
      { grant_type: "client_credentials" },
      basic(priv.applicationId, priv.secret),
    );
    expect(ok).toMatchObject({
      status: 200,
      json: { scopes: "account webhook repository:admin", expires_in: 7200, token_type: "bearer" },
    });
    const pub = c.oauth.register("BITBUCKET");
    const refused = await post(
      url(),
      { grant_type: "client_credentials" },
      basic(pub.applicationId, pub.secret),
    );
    expect(refused.status).toBe(400);
  });
});

describe("Azure DevOps", () => {
  const url = () => `${c.oauth.url("AZURE_DEVOPS")}/oauth2/token`;
  const form = (assertion: string, code: string, redirect = CB) => ({
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
    grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
    assertion: code,
    redirect_uri: redirect,
  });
  const DESERIALIZE = {
    Error: "invalid_client",
    ErrorDescription: "Failed to deserialize the JsonWebToken object.",
  };

  it("refuses the App Secret, a malformed secret and another app's secret alike", async () => {
    const app = c.oauth.register("AZURE_DEVOPS");
    const other = c.oauth.register("AZURE_DEVOPS");
    for (const secret of [app.appSecret!, "not.a.jwt", other.secret.replace(/.$/, "x"), ""]) {
      expect(await post(url(), form(secret, "x"))).toMatchObject({ status: 400, json: DESERIALIZE });
    }
  });

  it("refuses an expired client secret", async () => {
    const app = c.oauth.register("AZURE_DEVOPS", { secretExpiresAt: new Date(clock.now() + 1000) });
    clock.advance(2000);
    const answer = await post(url(), form(app.secret, "x"));
    expect(answer).toMatchObject({ status: 400, json: { Error: "invalid_client" } });
    expect(answer.json.ErrorDescription).toMatch(/expired/);
  });

  it("answers a bad code with invalid_grant, a redirect mismatch with an error, a good code with a token", async () => {
    const app = c.oauth.register("AZURE_DEVOPS");
    expect(await post(url(), form(app.secret, "x"))).toMatchObject({
      status: 400,
      json: { Error: "invalid_grant" },
    });
    const slash = c.oauth.issueCode("AZURE_DEVOPS", app.applicationId, `${CB}/`);
    expect((await post(url(), form(app.secret, slash, `${CB}/`))).status).toBe(400);
    const code = c.oauth.issueCode("AZURE_DEVOPS", app.applicationId, CB);
    const ok = await post(url(), form(app.secret, code));
    expect(ok).toMatchObject({ status: 200, json: { token_type: "jwt-bearer", expires_in: "3599" } });
  });
});
