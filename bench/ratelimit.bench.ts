// B5: 400 creates at once through @pulumi/pulumi's real dynamic-provider host against a local console with Bytebase's
// rate limiter on (30 requests/s per client IP, burst 60): the seconds they take against the limiter's floor, and the
// 429s met per create.
import { startLocalConsole, type StartedLocalConsole } from "pulumi-bytebase-gitops/local-console";
import { ourProvider, startHost } from "./host";
import { oauthEnv } from "./oauth";
import type { Row } from "./report";
import { quantile } from "./stats";

const N = 400;
/** Bytebase's limiter: backend/server/routers.go@2.14.0 (and server.go@2.5.0), `Rate: 30, Burst: 60`. */
const RATE = 30;
const BURST = 60;
const GOAL = 1.25;
const GOAL_429_PER_CREATE = 0.25;

interface Round {
  /** Seconds from the first console request to the last answer: the window the limiter governs. */
  readonly seconds: number;
  /** Seconds from sending the creates to the last answer (the host's start-up included). */
  readonly total: number;
  /** The limiter's floor for the requests it let through: (passed - burst) / rate. */
  readonly floor: number;
  readonly denied: number;
  readonly passed: number;
}

/**
 * When the console logs its next request (hrtime). The host's start-up before it (loading the package, the first
 * gRPC calls: 1 to 3 s on a busy machine) is not the limiter's and is left out of the ratio; the note gives it.
 */
function firstRequest(bb: StartedLocalConsole): Promise<bigint> {
  const log = bb.requests;
  const push = log.push;
  return new Promise((resolve) => {
    log.push = (...items) => {
      resolve(process.hrtime.bigint());
      log.push = push;
      return push.apply(log, items);
    };
  });
}

/** One round: a fresh console (a full bucket) and a fresh host (a client that knows nothing of the rate yet). */
async function round(provider: string): Promise<Round> {
  const bb: StartedLocalConsole = await startLocalConsole();
  const host = await startHost(bb, oauthEnv(bb));
  try {
    const app = bb.demoApps.GITHUB;
    const declared = (i: number) => ({
      type: "GITHUB",
      title: `Git ${i}`,
      applicationId: app.applicationId,
      secret: app.secret,
      callbackUrl: app.callbackUrls[0],
    });
    // Check makes no console request; it runs first, untimed, so that the clock sees the creates only.
    const inputs = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const checked = await host.check(provider, {}, declared(i));
        if (checked.failures.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
        return checked.inputs;
      }),
    );
    if (bb.requests.length) throw new Error(`check sent ${bb.requests.length} console requests`);
    const first = firstRequest(bb);
    const start = process.hrtime.bigint();
    const made = await Promise.allSettled(inputs.map((i) => host.create(provider, i)));
    const end = process.hrtime.bigint();
    const seconds = Number(end - (await first)) / 1e9;
    const total = Number(end - start) / 1e9;
    const failed = made.filter((m) => m.status === "rejected");
    if (failed.length)
      throw new Error(
        `${failed.length} of ${N} creates failed: ${(failed[0] as PromiseRejectedResult).reason}`,
      );
    const stored = bb.listProviders();
    if (stored.length !== N || new Set(stored.map((p) => p.title)).size !== N)
      throw new Error(`${N} creates made ${stored.length} providers`);
    const denied = bb.rateLimit.denied;
    const passed = bb.requests.length - denied;
    return { seconds, total, floor: (passed - BURST) / RATE, denied, passed };
  } finally {
    await host.close();
    await bb.close();
  }
}

export async function rateLimitBench(quick: boolean): Promise<Row[]> {
  const provider = await ourProvider();
  const rounds: Round[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) rounds.push(await round(provider));
  const med = (f: (r: Round) => number) => quantile(rounds.map(f), 0.5);
  const p90 = (f: (r: Round) => number) => quantile(rounds.map(f), 0.9);
  const ratios = rounds.map((r) => r.seconds / r.floor);
  const ratio = med((r) => r.seconds / r.floor);
  const perCreate = med((r) => r.denied / N);
  const passed = med((r) => r.passed);
  const samples = rounds.length;
  return [
    {
      id: "B5a",
      name: `${N} creates at once, Bytebase's rate limiter on (host)`,
      unit: "s",
      subject: { median: med((r) => r.seconds), p90: p90((r) => r.seconds), samples },
      floor: { median: med((r) => r.floor), samples },
      floorName: `the limiter's: (requests it let through - ${BURST} burst) / ${RATE} per s`,
      ratio,
      ratioSpread: [quantile(ratios, 0.1), quantile(ratios, 0.9)],
      goal: { text: `ratio <= ${GOAL}`, met: ratio <= GOAL },
      note:
        `${samples} round(s), each a fresh console and host, timed from the first console request to the last ` +
        `answer (from sending the creates: median ${med((r) => r.total).toFixed(2)} s); ${passed} requests let ` +
        `through (${N} creates, the login, the external-URL read)`,
    },
    {
      id: "B5b",
      name: `429s met by those ${N} creates`,
      unit: "requests",
      subject: { median: med((r) => r.denied), p90: p90((r) => r.denied), samples },
      floor: { median: N },
      floorName: `the ${N} creates: the ratio is 429s per create`,
      ratio: perCreate,
      goal: { text: `<= ${GOAL_429_PER_CREATE} per create`, met: perCreate <= GOAL_429_PER_CREATE },
    },
  ];
}
