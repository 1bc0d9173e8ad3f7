// Bytebase's own rate limiter (30 requests/s per client IP, burst 60, 429 `null`; the local console has it on by
// default) against many creates at once through the real provider host, as `pulumi up` sends them: every create
// succeeds exactly once, and the client, pacing itself at the rate it learns from the 429s, meets few of them.
// Speed is not asserted here: `npm run bench` (B5) measures it against the limiter's floor.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResource, declareApp, expectNoSecrets, startWorld, type World } from "../provider/fixture";

const N = 200;

// At least (N - 60) / 30 s by the limiter's own rate, several times that on a loaded 2-core machine.
describe(`${N} creates at once against Bytebase's rate limiter`, { timeout: 180_000 }, () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it("all succeed, each makes exactly one provider, and far fewer requests than that are refused", async () => {
    const app = declareApp(world, "GITHUB");
    const titles = Array.from({ length: N }, (_, i) => `Rate limited ${String(i + 1).padStart(3, "0")}`);
    const made = await Promise.all(titles.map((title) => createResource(world, { ...app, title })));

    expect(new Set(made.map((m) => m.id)).size).toBe(N);
    const stored = world.bb.listProviders();
    expect(stored.map((p) => p.title).sort()).toEqual(titles);
    for (const m of made) expect(stored.find((p) => p.id === m.id)?.title).toBe(m.outs.title);

    const { denied, on } = world.bb.rateLimit;
    expect(on).toBe(true);
    // The limiter was reached (N + 2 requests are more than its burst of 60), and rarely. Paced, about N / 10 are
    // refused; without pacing, over 5 N (the N - 58 creates past the burst are refused again and again). The bound
    // leaves room for a loaded machine's late timers, which the pace catches up on.
    expect(denied).toBeGreaterThan(0);
    expect(denied).toBeLessThan(N / 2);
    // No create was sent more often than once plus the 429s it met.
    const creates = world.bb.requests.filter(
      (r) => r.method === "POST" && r.path === "/v1/externalVersionControls",
    );
    expect(creates.length).toBeLessThanOrEqual(N + denied);
    expectNoSecrets(world, world.host.stderr());
  });
});
