// Fault injection on console and fake-provider routes: status + Retry-After, raw bodies, latency, dropped connections,
// counts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StartedLocalConsole } from "../../src/local-console";
import { call, provider, setup, type CallOptions } from "./helpers";

let c: StartedLocalConsole;
let req: (method: string, path: string, o?: CallOptions) => ReturnType<typeof call>;

beforeAll(async () => {
  ({ c, req } = await setup({ externalUrl: "https://bytebase.example.com" }));
});
afterEach(() => c.faults.clear());
afterAll(() => c.close());

const LIST = "/v1/externalVersionControls";

describe("console faults", () => {
  it("answers an injected status with Retry-After and the grpc-gateway body, `times` times", async () => {
    c.faults.inject({ path: LIST, method: "GET", status: 503, retryAfter: 2, times: 2 });
    for (let i = 0; i < 2; i++) {
      const answer = await req("GET", LIST);
      expect(answer.status).toBe(503);
      expect(answer.headers.get("retry-after")).toBe("2");
      expect(answer.json).toEqual({ code: 14, message: expect.stringContaining("503"), details: [] });
    }
    expect((await req("GET", LIST)).status).toBe(200);
  });

  it("maps 429 to ResourceExhausted, matches a RegExp and a method, and can be removed", async () => {
    const remove = c.faults.inject({
      path: /^\/v1\/externalVersionControls\/\d+$/,
      method: "get",
      status: 429,
      retryAfter: 1,
    });
    const created = await req("POST", LIST, { body: provider() });
    expect(created.status).toBe(200);
    const limited = await req("GET", `/v1/${created.json.name as string}`);
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe(8);
    remove();
    expect((await req("GET", `/v1/${created.json.name as string}`)).status).toBe(200);
  });

  it("answers an injected raw body as JSON, with status 200 or the given one, without processing the request", async () => {
    const before = c.listProviders().length;
    c.faults.inject({ path: LIST, method: "POST", body: '{"name": "externalVersionControls/', times: 1 });
    const truncated = await req("POST", LIST, { body: provider({ title: "never created" }) });
    expect(truncated.status).toBe(200);
    expect(truncated.headers.get("content-type")).toBe("application/json");
    expect(truncated.text).toBe('{"name": "externalVersionControls/');
    expect(c.listProviders().length).toBe(before);
    c.faults.inject({ path: LIST, method: "GET", body: "", status: 500, retryAfter: 1, times: 1 });
    const empty = await req("GET", LIST);
    expect([empty.status, empty.text, empty.headers.get("retry-after")]).toEqual([500, "", "1"]);
    expect((await req("GET", LIST)).json.externalVersionControls).toBeInstanceOf(Array);
  });

  it("adds latency", async () => {
    c.faults.inject({ path: LIST, latencyMs: 60, times: 1 });
    const start = performance.now();
    expect((await req("GET", LIST)).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(55);
  });

  it("drops the connection before processing: no state change", async () => {
    const before = c.listProviders().length;
    c.faults.inject({ path: LIST, method: "POST", drop: "before", times: 1 });
    await expect(req("POST", LIST, { body: provider({ title: "dropped before" }) })).rejects.toThrow();
    expect(c.listProviders().length).toBe(before);
    expect(c.requests.at(-1)).toEqual({ method: "POST", path: LIST, query: "" });
  });

  it("drops the connection after processing: the state changed, no answer came", async () => {
    c.faults.inject({ path: LIST, method: "POST", drop: "after", times: 1 });
    await expect(req("POST", LIST, { body: provider({ title: "dropped after" }) })).rejects.toThrow();
    expect(c.listProviders().some((p) => p.title === "dropped after")).toBe(true);
    expect((await req("POST", LIST, { body: provider() })).status).toBe(200);
  });

  it("times out as Bytebase's 30 s timeout does: 503 with Go's HTML body, and the create still happens", async () => {
    const before = c.listProviders().length;
    c.faults.inject({ path: LIST, method: "POST", timeout: true, times: 1 });
    const answer = await req("POST", LIST, { body: provider({ title: "created after the 503" }) });
    expect(answer.status).toBe(503);
    expect(answer.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(answer.text).toBe("<html><head><title>Timeout</title></head><body><h1>Timeout</h1></body></html>");
    const list = (await req("GET", LIST)).json.externalVersionControls as Array<Record<string, unknown>>;
    expect(list.length).toBe(before + 1);
    expect(list.filter((p) => p.title === "created after the 503")).toHaveLength(1);
  });

  it("matches the escaped form of a name too", async () => {
    c.faults.inject({ path: "/v1/externalVersionControls/101", status: 500 });
    expect((await req("GET", "/v1/externalVersionControls%2F101")).status).toBe(500);
  });

  it("logs every console request", async () => {
    const n = c.requests.length;
    await req("GET", "/v1/actuator/info");
    expect(c.requests.slice(n)).toEqual([{ method: "GET", path: "/v1/actuator/info", query: "" }]);
  });
});

describe("fake provider faults", () => {
  const exchange = (type: "GITHUB" | "GITLAB", clientId: string, clientSecret: string, code: string) =>
    req("POST", "/v1/externalVersionControls/-:exchangeToken", {
      body: {
        name: "externalVersionControls/-",
        type,
        code,
        clientId,
        clientSecret,
        instanceUrl: type === "GITHUB" ? "https://github.com" : "https://gitlab.com",
      },
    });

  it("turns a provider's injected 503 into a failed exchange, and passes once it expired", async () => {
    const app = c.oauth.register("GITHUB");
    c.faults.inject({
      target: "GITHUB",
      path: "/login/oauth/access_token",
      status: 503,
      retryAfter: 5,
      times: 1,
    });
    const code = c.oauth.issueCode(
      "GITHUB",
      app.applicationId,
      "https://bytebase.example.com/oauth/callback",
    );
    const failed = await exchange("GITHUB", app.applicationId, app.secret, code);
    expect(failed.status).toBe(500);
    expect(failed.json.message).toMatch(/temporarily_unavailable/);
    expect((await exchange("GITHUB", app.applicationId, app.secret, code)).status).toBe(200);
  });

  it("answers the provider's fault directly with Retry-After", async () => {
    c.faults.inject({ target: "BITBUCKET", path: "/site/oauth2/access_token", status: 429, retryAfter: 3 });
    const response = await fetch(`${c.oauth.url("BITBUCKET")}/site/oauth2/access_token`, { method: "POST" });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("3");
  });

  it("answers a provider's injected raw body", async () => {
    c.faults.inject({ target: "GITLAB", path: "/oauth/token", body: "[1,", times: 1 });
    const response = await fetch(`${c.oauth.url("GITLAB")}/oauth/token`, { method: "POST" });
    expect([response.status, await response.text()]).toEqual([200, "[1,"]);
  });

  it("drops a provider's connection after it spent the code", async () => {
    const app = c.oauth.register("GITLAB");
    const code = c.oauth.issueCode(
      "GITLAB",
      app.applicationId,
      "https://bytebase.example.com/oauth/callback",
    );
    c.faults.inject({ target: "GITLAB", path: "/oauth/token", drop: "after", times: 1 });
    const dropped = await exchange("GITLAB", app.applicationId, app.secret, code);
    expect(dropped.status).toBe(500);
    expect(dropped.json.message).toMatch(/^failed to exchange OAuth token with error: /);
    const again = await exchange("GITLAB", app.applicationId, app.secret, code);
    expect(again.json.message).toMatch(/invalid_grant/);
  });
});
