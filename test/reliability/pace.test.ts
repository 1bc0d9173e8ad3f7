// The client's pace (src/client/limiter.ts) against Bytebase's limiter (the local console's RateLimiter: 30/s, burst
// 60) on one simulated clock: no timer jitter, so what the pace learns and how many 429s it meets are exact figures
// of the algorithm, not of the machine.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Limiter, Pace } from "../../src/client/limiter";
import { RateLimiter } from "../../src/local-console/rate-limit";

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const now = () => Date.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `n` requests at once through one limiter (8 in flight, 2 ms per answer), each resent on 429 until it passes. */
async function flood(n: number, server: RateLimiter, limiter = new Limiter(8, now)) {
  let denied = 0;
  const one = async () => {
    for (;;) {
      const passed = await limiter.run(async () => {
        await sleep(2);
        return server.allow("127.0.0.1");
      });
      limiter.pace.answered(!passed);
      if (passed) return;
      denied++;
    }
  };
  let done = false;
  const all = Promise.all(Array.from({ length: n }, one)).finally(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(10);
  await all;
  return { denied, seconds: now() / 1000, pace: limiter.pace.perSecond };
}

describe("the client's pace", () => {
  it("does not pace until the console first answers 429", async () => {
    const pace = new Pace(now);
    expect(pace.perSecond).toBe(Infinity);
    pace.answered(false);
    await pace.turn();
    expect(pace.perSecond).toBe(Infinity);
    pace.answered(true);
    expect(pace.perSecond).toBeGreaterThanOrEqual(10);
    expect(pace.perSecond).toBeLessThan(Infinity);
  });

  it("learns Bytebase's 30/s from the 429s: 400 requests at once meet few and take little over the floor", async () => {
    const server = new RateLimiter(now);
    const { denied, seconds, pace } = await flood(400, server);
    expect(pace).toBeGreaterThan(27);
    expect(pace).toBeLessThan(34);
    expect(denied).toBe(server.denied);
    expect(denied).toBeLessThan(400 / 10);
    // Simulated seconds: the limiter lets the 340 past its burst through at 30/s at best.
    const floor = (400 - 60) / 30;
    expect(seconds).toBeGreaterThanOrEqual(floor);
    expect(seconds).toBeLessThan(floor * 1.25);
  });

  it("learns a share of the limit when another client behind the same IP takes the rest", async () => {
    const server = new RateLimiter(now);
    // The other client: 15 requests a second, whatever the answer.
    const other = setInterval(() => server.allow("127.0.0.1"), 1000 / 15);
    const flooded = flood(200, server);
    const result = await flooded.finally(() => clearInterval(other));
    expect(result.pace).toBeGreaterThan(10);
    expect(result.pace).toBeLessThan(20);
  });

  it("grows again once the 429s stop, up to no pacing at all", async () => {
    const pace = new Pace(now);
    for (let i = 0; i < 20; i++) pace.answered(false);
    pace.answered(true);
    const learned = pace.perSecond;
    vi.setSystemTime(now() + 5_000);
    await pace.turn();
    expect(pace.perSecond).toBeGreaterThan(learned * 2);
    vi.setSystemTime(now() + 60_000);
    await pace.turn();
    expect(pace.perSecond).toBe(Infinity);
  });
});
