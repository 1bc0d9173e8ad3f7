// Login, bearer and cookie tokens, expiry (1 hour / 7 days). Permissions per version: versions.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedLocalConsole } from "../../src/local-console";
import { call, fixedClock, login, setup } from "./helpers";

let c: StartedLocalConsole;
let adminToken: string;

// A fixed clock, moved only by advanceClock: the expiry tests' margins are exact, whatever the machine's pace.
beforeAll(async () => {
  ({ c, token: adminToken } = await setup({ now: fixedClock().now }));
});
afterAll(() => c.close());

const HOUR = 60 * 60 * 1000;

describe("POST /v1/auth/login", () => {
  it("gives a service account an HS256 JWT, and the access-token cookie only to a web login", async () => {
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
    const api = await call(c.url, "POST", "/v1/auth/login", {
      body: { email: c.admin.email, password: c.admin.key },
    });
    expect(api.headers.get("set-cookie")).toBeNull();
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
