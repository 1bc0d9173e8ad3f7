// Many resources at once, as `pulumi up` runs them: 50 creates in parallel through the real provider host make 50
// providers, no more, each readable; the console never has more than BYTEBASE_GITOPS_MAX_IN_FLIGHT requests from the
// host in flight (measured by a counting proxy in front of it); and a token that expires mid-way is renewed by one
// login for all of them.
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResource, declareApp, expectNoSecrets, startWorld, type World } from "../provider/fixture";

const N = 50;
const MAX_IN_FLIGHT = 4;
/**
 * Long enough that the creates queue up for the limit even when the verifications before them finish one by one on a
 * loaded machine (the limit drains 4 per latency; the verifications must only outpace that).
 */
const CREATE_LATENCY_MS = 100;
const CREATE_ROUTE = { method: "POST", path: "/v1/externalVersionControls" };

interface CountingProxy {
  readonly url: string;
  /** The most requests in flight at once since the last reset. */
  readonly max: number;
  readonly inFlight: number;
  reset(): void;
  close(): Promise<void>;
}

/** A reverse proxy to `upstream` that counts the requests in flight: from their arrival to the end of the answer. */
async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  let inFlight = 0;
  let max = 0;
  const server = createServer((req, res) => {
    max = Math.max(max, ++inFlight);
    let done = false;
    const finish = () => {
      if (!done) inFlight--;
      done = true;
    };
    res.once("finish", finish);
    res.once("close", finish);
    const forward = request(
      new URL(req.url ?? "/", upstream),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.once("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get max() {
      return max;
    },
    get inFlight() {
      return inFlight;
    },
    reset: () => void (max = inFlight),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the console");
    await sleep(2);
  }
}

// Seconds here, several times that on a loaded 2-core machine: past the default 30 s test timeout.
describe(
  `${N} creates in parallel (BYTEBASE_GITOPS_MAX_IN_FLIGHT=${MAX_IN_FLIGHT})`,
  { timeout: 180_000 },
  () => {
    let world: World;
    let proxy: CountingProxy;
    beforeAll(async () => {
      world = await startWorld({}, { BYTEBASE_GITOPS_MAX_IN_FLIGHT: String(MAX_IN_FLIGHT) });
      proxy = await startCountingProxy(world.bb.url);
    });
    afterAll(async () => {
      await proxy?.close();
      await world?.close();
    });

    /** N resources, each its own OAuth app, `extra` added to each (e.g. a connection). */
    function declareMany(label: string, extra: Record<string, unknown> = {}) {
      return Array.from({ length: N }, (_, i) => ({
        ...declareApp(world, "BITBUCKET"),
        title: `${label} ${String(i + 1).padStart(2, "0")}`,
        ...extra,
      }));
    }

    /** The console's providers of these resources' apps. */
    function inConsole(apps: Array<{ applicationId: string }>) {
      const ids = new Set(apps.map((a) => a.applicationId));
      return world.bb.listProviders().filter((p) => ids.has(p.applicationId));
    }

    it("makes exactly one provider each, readable with its outputs, with at most the limit in flight", async () => {
      // Every request through the counting proxy: the resources' connection points at it.
      const apps = declareMany("Parallel", { connection: { url: proxy.url } });
      world.bb.faults.inject({ ...CREATE_ROUTE, latencyMs: CREATE_LATENCY_MS });
      proxy.reset();
      const started = Date.now();
      const made = await Promise.all(apps.map((app) => createResource(world, app)));
      const elapsed = Date.now() - started;
      world.bb.faults.clear();

      expect(new Set(made.map((m) => m.id)).size).toBe(N);
      const stored = inConsole(apps);
      expect(stored).toHaveLength(N);
      for (const [i, m] of made.entries()) {
        expect(m.outs).toMatchObject({ name: `externalVersionControls/${m.id}`, title: apps[i]!.title });
        expect(stored.find((p) => p.id === m.id)).toMatchObject({
          title: apps[i]!.title,
          applicationId: apps[i]!.applicationId,
          secret: apps[i]!.secret,
        });
      }
      expect(proxy.max).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      // Sanity, not a speed test: the limit was reached, and N creates of CREATE_LATENCY_MS each, 4 at a time, take
      // at least N * CREATE_LATENCY_MS / 4 ms.
      expect(proxy.max).toBe(MAX_IN_FLIGHT);
      expect(elapsed).toBeGreaterThanOrEqual((N * CREATE_LATENCY_MS) / MAX_IN_FLIGHT);

      proxy.reset();
      const read = await Promise.all(made.map((m) => world.host.read(world.provider, m.id, m.outs)));
      for (const [i, r] of read.entries()) {
        expect(r.id).toBe(made[i]!.id);
        expect(r.outs).toEqual(made[i]!.outs);
      }
      expect(proxy.max).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      expect(proxy.inFlight).toBe(0);
      expectNoSecrets(world, world.host.stderr());
    });

    it("renews a token that expires mid-way with exactly one login for all of them", async () => {
      await createResource(world, declareApp(world, "BITBUCKET")); // logged in before the run
      const apps = declareMany("Mid-way");
      const logins = () =>
        world.bb.requests.filter((r) => r.method === "POST" && r.path === "/v1/auth/login").length;
      const creates = () =>
        world.bb.requests.filter((r) => r.method === CREATE_ROUTE.method && r.path === CREATE_ROUTE.path)
          .length;
      const [loginsBefore, createsBefore] = [logins(), creates()];
      world.bb.faults.inject({ ...CREATE_ROUTE, latencyMs: CREATE_LATENCY_MS });

      const all = Promise.all(apps.map((app) => createResource(world, app)));
      await until(() => inConsole(apps).length >= 10);
      world.bb.advanceClock(61 * 60_000); // the console's service-account tokens live 1 hour
      const made = await all;
      world.bb.faults.clear();

      expect(logins() - loginsBefore).toBe(1);
      // The expiry did hit mid-way: some creates were refused (401) and sent again, each once.
      const sent = creates() - createsBefore;
      expect(sent).toBeGreaterThan(N);
      expect(sent).toBeLessThanOrEqual(2 * N);
      expect(new Set(made.map((m) => m.id)).size).toBe(N);
      expect(inConsole(apps)).toHaveLength(N);
      expectNoSecrets(world, world.host.stderr());
    });
  },
);
