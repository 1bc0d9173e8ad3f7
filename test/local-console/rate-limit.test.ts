// The local console's rate limiter is Bytebase's (server.go@2.5.0, routers.go@2.14.0 with echo's RateLimiter): a
// bucket of 60 per client IP refilled at 30/s on the console's clock, 429 `null` without Retry-After, in front of
// every route (login, the actuator and unknown routes included); `rateLimit: false` and `--rate-limit off` turn it off.
import { afterEach, describe, expect, it } from "vitest";
import { parseArgs } from "../../src/local-console/cli";
import { realIp } from "../../src/local-console/rate-limit";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { call, fixedClock, type Answer } from "./helpers";

let c: StartedLocalConsole | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

/** `n` requests at once to the actuator (no login needed), optionally from another client IP; their statuses. */
async function burst(n: number, headers: Record<string, string> = {}): Promise<number[]> {
  const answers = await Promise.all(
    Array.from({ length: n }, () => call(c!.url, "GET", "/v1/actuator/info", { headers })),
  );
  return answers.map((a) => a.status);
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe("the local console's rate limiter (Bytebase 2.x: 30/s per client IP, burst 60)", () => {
  it("lets a burst of 60 through, then answers 429 with the body null and no Retry-After", async () => {
    const clock = fixedClock();
    c = await startLocalConsole({ now: clock.now });
    const statuses = await burst(61);
    expect(count(statuses, 200)).toBe(60);
    expect(count(statuses, 429)).toBe(1);
    const denied: Answer = await call(c.url, "GET", "/v1/actuator/info");
    expect(denied.status).toBe(429);
    expect(denied.text).toBe("null\n");
    expect(denied.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    expect(denied.headers.get("retry-after")).toBeNull();
    expect(c.rateLimit).toEqual({ on: true, denied: 2 });
  });

  it("refills 30 per second of the console's clock, never above the burst", async () => {
    const clock = fixedClock();
    c = await startLocalConsole({ now: clock.now });
    await burst(60);
    expect(await burst(1)).toEqual([429]);
    clock.advance(100); // 3 tokens
    expect(count(await burst(4), 200)).toBe(3);
    clock.advance(1000);
    expect(count(await burst(31), 200)).toBe(30);
    clock.advance(10_000); // would be 300 tokens: capped at the burst
    expect(count(await burst(61), 200)).toBe(60);
  });

  it("keeps one bucket per client IP, as echo's RealIP tells them apart (X-Forwarded-For first)", async () => {
    const clock = fixedClock();
    c = await startLocalConsole({ now: clock.now });
    await burst(60);
    expect(await burst(1)).toEqual([429]);
    expect(count(await burst(61, { "x-forwarded-for": "203.0.113.7, 10.0.0.1" }), 200)).toBe(60);
    expect(count(await burst(2, { "x-real-ip": "198.51.100.2" }), 200)).toBe(2);
    expect(await burst(1, { "x-forwarded-for": "203.0.113.7" })).toEqual([429]);
    expect(realIp({ "x-forwarded-for": "[2001:db8::1], 10.0.0.1" }, "127.0.0.1")).toBe("2001:db8::1");
    expect(realIp({ "x-forwarded-for": "203.0.113.7" }, "127.0.0.1")).toBe("203.0.113.7");
    expect(realIp({ "x-real-ip": "[2001:db8::2]" }, "127.0.0.1")).toBe("2001:db8::2");
    expect(realIp({}, "::1")).toBe("::1");
  });

  it("runs before any handler: login, unknown routes and Git provider calls are limited alike", async () => {
    const clock = fixedClock();
    c = await startLocalConsole({ now: clock.now });
    await burst(60);
    const login = await call(c.url, "POST", "/v1/auth/login", {
      body: { email: c.admin.email, password: c.admin.key },
    });
    expect([login.status, login.text]).toEqual([429, "null\n"]);
    expect((await call(c.url, "GET", "/v1/no-such-route")).status).toBe(429);
    expect((await call(c.url, "POST", "/v1/externalVersionControls", { body: {} })).status).toBe(429);
    expect(c.listProviders()).toEqual([]);
  });

  it("is off with rateLimit: false", async () => {
    c = await startLocalConsole({ now: fixedClock().now, rateLimit: false });
    expect(count(await burst(100), 200)).toBe(100);
    expect(c.rateLimit).toEqual({ on: false, denied: 0 });
  });

  it("npm run console takes --rate-limit on|off (on when absent)", () => {
    expect(parseArgs([]).rateLimit).toBeUndefined();
    expect(parseArgs(["--rate-limit", "off"]).rateLimit).toBe(false);
    expect(parseArgs(["--rate-limit=on"]).rateLimit).toBe(true);
    expect(() => parseArgs(["--rate-limit", "maybe"])).toThrow("--rate-limit: set on or off, not maybe");
  });
});
