// Login, bearer and cookie tokens, expiry (1 hour / 7 days) and the Admin / DBA / Member permissions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedLocalConsole } from "../../src/local-console";
import { call, login, provider, setup } from "./helpers";

let c: StartedLocalConsole;
let adminToken: string;

beforeAll(async () => {
  ({ c, token: adminToken } = await setup());
});
afterAll(() => c.close());

const HOUR = 60 * 60 * 1000;

describe("POST /v1/auth/login", () => {
  it("gives a service account an HS256 JWT and the access-token cookie", async () => {
    expect(c.admin.email).toMatch(/@service\.bytebase\.com$/);
    expect(c.admin.key).toMatch(/^bbs_[A-Za-z0-9]{20}$/);
    const answer = await call(c.url, "POST", "/v1/auth/login", {
      body: { email: c.admin.email, password: c.admin.key, web: true },
    });
    expect(answer.status).toBe(200);
    const token = answer.json.token as string;
    const header = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(header).toMatchObject({ alg: "HS256", typ: "JWT" });
    expect(answer.headers.get("set-cookie")).toContain(`access-token=${token}`);
  });

  it("answers a wrong password, an unknown email and a missing body with 401", async () => {
    const expected = { code: 16, message: "The email or password is not valid.", details: [] };
    for (const body of [
      { email: c.admin.email, password: "bbs_wrong" },
      { email: "nobody@example.com", password: "x" },
      {},
    ]) {
      const answer = await call(c.url, "POST", "/v1/auth/login", { body });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual(expected);
    }
  });

  it("logs users in with their password", async () => {
    c.addUser("dev@example.com", "s3cret-pass", "member");
    const token = await login(c.url, "dev@example.com", "s3cret-pass");
    expect((await call(c.url, "GET", "/v1/externalVersionControls", { token })).status).toBe(200);
  });
});

describe("authentication", () => {
  it("refuses requests without a token, with a malformed one or a bad header", async () => {
    const none = await call(c.url, "GET", "/v1/externalVersionControls");
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ code: 16, message: "access token not found", details: [] });
    const forged = await call(c.url, "GET", "/v1/externalVersionControls", { token: `${adminToken}x` });
    expect(forged.json).toMatchObject({ code: 16, message: "failed to parse claim" });
    const basic = await call(c.url, "GET", "/v1/externalVersionControls", {
      headers: { authorization: "Basic abc" },
    });
    expect(basic.status).toBe(401);
  });

  it("accepts the access-token cookie", async () => {
    const answer = await call(c.url, "GET", "/v1/externalVersionControls", {
      headers: { cookie: `theme=dark; access-token=${adminToken}` },
    });
    expect(answer.status).toBe(200);
  });

  it("expires a service account's token after 1 hour", async () => {
    const sa = c.addServiceAccount("ci@service.bytebase.com", "admin");
    const token = await login(c.url, sa.email, sa.key);
    c.advanceClock(HOUR - 5_000);
    expect((await call(c.url, "GET", "/v1/externalVersionControls", { token })).status).toBe(200);
    c.advanceClock(10_000);
    const expired = await call(c.url, "GET", "/v1/externalVersionControls", { token });
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({ code: 16, message: "access token expired", details: [] });
    const again = await login(c.url, sa.email, sa.key);
    expect((await call(c.url, "GET", "/v1/externalVersionControls", { token: again })).status).toBe(200);
  });

  it("keeps a user's token for 7 days", async () => {
    c.addUser("dba@example.com", "pw", "dba");
    const token = await login(c.url, "dba@example.com", "pw");
    c.advanceClock(2 * HOUR);
    expect((await call(c.url, "GET", "/v1/externalVersionControls", { token })).status).toBe(200);
    c.advanceClock(7 * 24 * HOUR);
    expect((await call(c.url, "GET", "/v1/externalVersionControls", { token })).status).toBe(401);
  });

  it("adds service accounts by name or by full email, only in the service account domain", async () => {
    const sa = c.addServiceAccount("bot", "member");
    expect(sa.email).toBe("bot@service.bytebase.com");
    expect(() => c.addServiceAccount("bot@example.com", "member")).toThrow(/service\.bytebase\.com/);
    expect(
      (await call(c.url, "POST", "/v1/auth/login", { body: { email: sa.email, password: sa.key } })).status,
    ).toBe(200);
  });
});

describe("permissions", () => {
  it("lets a Member get and list but not create, update or delete (403)", async () => {
    const admin = await login(c.url, c.admin.email, c.admin.key);
    const created = await call(c.url, "POST", "/v1/externalVersionControls", {
      token: admin,
      body: provider(),
    });
    const name = created.json.name as string;
    const m = c.addServiceAccount("member@service.bytebase.com", "member");
    const token = await login(c.url, m.email, m.key);
    expect((await call(c.url, "GET", "/v1/externalVersionControls", { token })).status).toBe(200);
    expect((await call(c.url, "GET", `/v1/${name}`, { token })).status).toBe(200);
    const denied = await call(c.url, "POST", "/v1/externalVersionControls", { token, body: provider() });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({
      code: 7,
      message:
        'permission denied for method "/bytebase.v1.ExternalVersionControlService/CreateExternalVersionControl", user does not have permission "bb.externalVersionControls.create"',
      details: [],
    });
    expect((await call(c.url, "PATCH", `/v1/${name}`, { token, body: { title: "x" } })).status).toBe(403);
    expect((await call(c.url, "DELETE", `/v1/${name}`, { token })).status).toBe(403);
    expect(c.listProviders().find((p) => `externalVersionControls/${p.id}` === name)?.title).toBe(
      "GitHub.com",
    );
  });

  it("lets a DBA create, update and delete Git providers but not change settings", async () => {
    const d = c.addServiceAccount("dba-bot@service.bytebase.com", "dba");
    const token = await login(c.url, d.email, d.key);
    const created = await call(c.url, "POST", "/v1/externalVersionControls", { token, body: provider() });
    expect(created.status).toBe(200);
    const name = created.json.name as string;
    expect((await call(c.url, "PATCH", `/v1/${name}`, { token, body: { title: "y" } })).json.title).toBe("y");
    expect((await call(c.url, "DELETE", `/v1/${name}`, { token })).status).toBe(200);
    const settings = await call(c.url, "PATCH", "/v1/settings/bb.workspace.profile", {
      token,
      body: {
        name: "settings/bb.workspace.profile",
        value: { workspaceProfileSettingValue: { externalUrl: "https://x.example.com" } },
      },
    });
    expect(settings.status).toBe(403);
    expect(settings.json.code).toBe(7);
  });
});
