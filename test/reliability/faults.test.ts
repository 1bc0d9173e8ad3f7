// The console client's reliability contract as a matrix, through the real provider host: each fault of the console
// (429 with Retry-After, 500, 502, 503, no answer in time, a connection dropped before or after the request was
// processed, an expired token, a restart) against each operation (create, read, update, delete, and the login and
// actuator read that start a run). Each cell checks the outcome (success, or a failure naming the operation and, when
// it gave up retrying, saying so and naming the setting), that nothing is lost, that no create makes a duplicate,
// and that no secret appears in an error or the host's output.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, STATUS_CODES, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLocalConsole, type LocalConsole } from "../../src/local-console";
import {
  createResource,
  declareApp,
  expectNoSecrets,
  nonSecretOutputs,
  startWorld,
  type World,
} from "../provider/fixture";

type Props = Record<string, unknown>;

/**
 * A timeout per attempt that an answer of a loaded machine (CI: 2 cores shared) still beats by far, while the slow
 * answers below miss it by half of it: the cells' outcomes must not depend on how busy the machine is.
 */
const TIMEOUT_MS = 1_000;
/** Enough for one Retry-After of 1 s; spent after two or three timeouts. */
const BUDGET_MS = 3 * TIMEOUT_MS;
/** Fast retries: 4 attempts, backoff from 20 ms. */
const FAST = {
  BYTEBASE_GITOPS_TIMEOUT_MS: String(TIMEOUT_MS),
  BYTEBASE_GITOPS_MAX_ATTEMPTS: "4",
  BYTEBASE_GITOPS_RETRY_DELAY_MS: "20",
  BYTEBASE_GITOPS_RETRY_MAX_DELAY_MS: "100",
  BYTEBASE_GITOPS_RETRY_BUDGET_MS: String(BUDGET_MS),
};
/** Slower backoff and more attempts, for a restart: at least 75 + 150 + 300 + 600 ms of retries while it is down. */
const PATIENT = {
  ...FAST,
  BYTEBASE_GITOPS_MAX_ATTEMPTS: "6",
  BYTEBASE_GITOPS_RETRY_DELAY_MS: "150",
  BYTEBASE_GITOPS_RETRY_MAX_DELAY_MS: "600",
  BYTEBASE_GITOPS_RETRY_BUDGET_MS: "5000",
};
/** Longer than FAST's timeout, shorter than a timeout and a look for the lost create (half a timeout either way). */
const SLOW_ANSWER_MS = 1.5 * TIMEOUT_MS;
/** Longer than a timeout and the whole look for the lost create that follows it. */
const VERY_SLOW_ANSWER_MS = 5 * TIMEOUT_MS;

type Op = "create" | "read" | "update" | "delete" | "login" | "info";
const OPS: readonly Op[] = ["create", "read", "update", "delete", "login", "info"];

/** A console a cell runs against: the world's own, or a fresh one with a state file, reached through `connection`. */
interface Target {
  bb: LocalConsole;
  readonly fresh?: { stateFile: string; port: number; connection: Props };
  down: boolean;
}

/** One cell's world, console, resource and the route its fault is on. */
interface Cell {
  readonly world: World;
  readonly target: Target;
  readonly op: Op;
  readonly news: Props & { applicationId: string };
  readonly title: string;
  readonly renamed: string;
  /** For read, update and delete: the provider made beforehand. */
  readonly made?: { id: string; outs: Props; inputs: Props };
  readonly route: { method: string; path: string };
}

type Expect =
  | { ok: true; sent?: number; logins?: number; minMs?: number }
  | {
      ok: false;
      says: RegExp;
      /** How it says it gave up retrying (naming the setting that stopped it), or false: it did not retry. */
      gaveUp: RegExp | false;
      /** Whether the change reached the console although the operation failed ("late": after it failed). */
      applied?: boolean | "late";
      sent?: number;
      logins?: number;
    };

type Alongside = void | (() => Promise<void>);

interface Row {
  readonly fault: string;
  readonly variant: "transient" | "permanent";
  readonly world: "fast" | "patient";
  /** Whether it runs against a fresh console with a state file (always for login and the actuator). */
  readonly fresh?: boolean;
  /** Sets up the fault; what it returns runs alongside the operation. */
  readonly arm: (cell: Cell) => Alongside | Promise<Alongside>;
  readonly cells: Partial<Record<Op, Expect>>;
}

const OK = { ok: true } as const;
const each = (e: Expect, ops: readonly Op[] = OPS): Partial<Record<Op, Expect>> =>
  Object.fromEntries(ops.map((op) => [op, e]));
const IDEMPOTENT: readonly Op[] = ["read", "update", "delete", "login", "info"];
const RESOURCE_OPS: readonly Op[] = ["create", "read", "update", "delete"];
const GAVE_UP_ATTEMPTS = /; gave up after 4 attempts in [\d.]+ s \(BYTEBASE_GITOPS_MAX_ATTEMPTS=4\)/;
const GAVE_UP_BUDGET = new RegExp(
  `; gave up after [23] attempts in [\\d.]+ s \\(BYTEBASE_GITOPS_RETRY_BUDGET_MS=${BUDGET_MS}\\)`,
);
const GAVE_UP_WAIT = new RegExp(
  `; gave up after 1 attempt in [\\d.]+ s; the console asked to wait 60 s \\(BYTEBASE_GITOPS_RETRY_BUDGET_MS=${BUDGET_MS}\\)`,
);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inject = (cell: Cell, fault: Omit<Parameters<LocalConsole["faults"]["inject"]>[0], "path">) =>
  void cell.target.bb.faults.inject({ ...cell.route, ...fault });

const ROWS: Row[] = [
  {
    fault: "429 with Retry-After: 1, once",
    variant: "transient",
    // FAST's 1.2 s budget would leave the 429's own answer 200 ms, which a loaded machine can exceed.
    world: "patient",
    arm: (c) => inject(c, { status: 429, retryAfter: 1, times: 1 }),
    // Sent again after the second the console asked for (the backoff alone would be 10 to 20 ms).
    cells: each({ ok: true, sent: 2, minMs: 950 }),
  },
  {
    fault: "429 with Retry-After: 60, past the retry budget",
    variant: "permanent",
    world: "fast",
    arm: (c) => inject(c, { status: 429, retryAfter: 60 }),
    cells: each({
      ok: false,
      says: /answered 429 ResourceExhausted: "injected fault: HTTP 429" \(the console is rate limiting; run again later\)/,
      gaveUp: GAVE_UP_WAIT,
      sent: 1,
    }),
  },
  {
    fault: "500, once",
    variant: "transient",
    world: "fast",
    arm: (c) => inject(c, { status: 500, times: 1 }),
    // Never retried.
    cells: {
      ...each({
        ok: false,
        says: /answered 500 Internal: "injected fault: HTTP 500"/,
        gaveUp: false,
        sent: 1,
      }),
    },
  },
  {
    fault: "502, twice",
    variant: "transient",
    world: "fast",
    arm: (c) => inject(c, { status: 502, times: 2 }),
    cells: {
      ...each({ ok: true, sent: 3 }, IDEMPOTENT),
      // The upstream of a proxy may have processed it: a create looks first, and is sent again when nothing was made.
      create: { ok: true, sent: 3 },
    },
  },
  {
    fault: "502",
    variant: "permanent",
    world: "fast",
    arm: (c) => inject(c, { status: 502 }),
    cells: {
      ...each({ ok: false, says: /answered 502\b/, gaveUp: GAVE_UP_ATTEMPTS, sent: 4 }),
    },
  },
  {
    fault: "503, twice",
    variant: "transient",
    world: "fast",
    arm: (c) => inject(c, { status: 503, times: 2 }),
    // Retried; a create is looked for first (a 503 may be Bytebase's timeout), and sent again when nothing was made.
    cells: each({ ok: true, sent: 3 }),
  },
  {
    fault: "503",
    variant: "permanent",
    world: "fast",
    arm: (c) => inject(c, { status: 503 }),
    cells: each({
      ok: false,
      says: /answered 503 Unavailable: "injected fault: HTTP 503" \(the console is unavailable; run again when it is back\)/,
      gaveUp: GAVE_UP_ATTEMPTS,
      sent: 4,
    }),
  },
  {
    fault: "no answer in time, once",
    variant: "transient",
    world: "fast",
    arm: (c) => inject(c, { latencyMs: SLOW_ANSWER_MS, times: 1 }),
    // A create is not sent again: the one that timed out is looked for until the console has made it, and adopted.
    cells: { ...each({ ok: true, sent: 2 }, IDEMPOTENT), create: { ok: true, sent: 1 } },
  },
  {
    fault: "no answer in time",
    variant: "permanent",
    world: "fast",
    arm: (c) => inject(c, { latencyMs: c.op === "create" ? VERY_SLOW_ANSWER_MS : SLOW_ANSWER_MS }),
    cells: {
      ...each({ ok: false, says: /\(no answer in time: \w+\)/, gaveUp: GAVE_UP_BUDGET }, IDEMPOTENT),
      // The first attempt is processed, late, before the operation gives up.
      update: { ok: false, says: /\(no answer in time: \w+\)/, gaveUp: GAVE_UP_BUDGET, applied: true },
      delete: { ok: false, says: /\(no answer in time: \w+\)/, gaveUp: GAVE_UP_BUDGET, applied: true },
      create: {
        ok: false,
        says: /\(no answer in time: \w+\).*the create was not sent again, so that it cannot make a duplicate.*set this resource's importId to its id and run again/,
        gaveUp: false,
        sent: 1,
        applied: "late",
      },
    },
  },
  {
    fault: "connection dropped before processing, once",
    variant: "transient",
    world: "fast",
    arm: (c) => inject(c, { drop: "before", times: 1 }),
    // A create is sent again once the console is seen to have made nothing.
    cells: each({ ok: true, sent: 2 }),
  },
  {
    fault: "connection dropped before processing",
    variant: "permanent",
    world: "fast",
    arm: (c) => inject(c, { drop: "before" }),
    cells: {
      ...each({
        ok: false,
        says: /\(the connection closed before an answer: \w+\)/,
        gaveUp: GAVE_UP_ATTEMPTS,
        sent: 4,
      }),
      // Sent again after each drop once nothing was found, up to BYTEBASE_GITOPS_MAX_ATTEMPTS.
      create: {
        ok: false,
        says: /\(the connection closed before an answer: \w+\).*, and the console has no such provider: nothing was created$/,
        gaveUp: GAVE_UP_ATTEMPTS,
        sent: 4,
      },
    },
  },
  {
    fault: "connection dropped after processing, once",
    variant: "transient",
    world: "fast",
    arm: (c) => inject(c, { drop: "after", times: 1 }),
    // A create is not sent again: the provider it made is adopted.
    cells: { ...each({ ok: true, sent: 2 }, IDEMPOTENT), create: { ok: true, sent: 1 } },
  },
  {
    fault: "connection dropped after processing",
    variant: "permanent",
    world: "fast",
    arm: (c) => inject(c, { drop: "after" }),
    cells: {
      ...each(
        {
          ok: false,
          says: /\(the connection closed before an answer: \w+\)/,
          gaveUp: GAVE_UP_ATTEMPTS,
          sent: 4,
        },
        IDEMPOTENT,
      ),
      update: {
        ok: false,
        says: /closed before an answer/,
        gaveUp: GAVE_UP_ATTEMPTS,
        sent: 4,
        applied: true,
      },
      delete: {
        ok: false,
        says: /closed before an answer/,
        gaveUp: GAVE_UP_ATTEMPTS,
        sent: 4,
        applied: true,
      },
      create: { ok: true, sent: 1 },
    },
  },
  {
    fault: "token expired mid-run (console clock +61 min)",
    variant: "transient",
    world: "fast",
    arm: (c) => c.target.bb.advanceClock(61 * 60_000),
    // Refused once, renewed with one login, sent again. (Login and the actuator read start a run: no old token.)
    cells: each({ ok: true, sent: 2, logins: 1 }, RESOURCE_OPS),
  },
  {
    fault: "token refused (401 every time)",
    variant: "permanent",
    world: "fast",
    arm: (c) => inject(c, { status: 401 }),
    cells: each(
      {
        ok: false,
        says: /answered 401 Unauthenticated: "injected fault: HTTP 401" \(check bytebase:serviceAccount \/ bytebase:serviceKey/,
        gaveUp: false,
        sent: 2,
        logins: 1,
      },
      RESOURCE_OPS,
    ),
  },
  {
    fault: "console restarted with its state file while retrying",
    variant: "transient",
    world: "patient",
    fresh: true,
    arm: async (c) => {
      // Stopped before the operation starts, back 100 ms later: its first attempts find the port closed.
      if (c.op !== "info") {
        await stop(c.target);
        return async () => {
          await sleep(100);
          await restart(c.target);
        };
      }
      // The actuator read starts the operation: stop the console while the read is in flight.
      inject(c, { latencyMs: 150, times: 1 });
      return async () => {
        await until(() => c.target.bb.requests.some((r) => r.path === c.route.path));
        await stop(c.target);
        await sleep(100);
        await restart(c.target);
      };
    },
    cells: each(OK),
  },
  {
    fault: "console stopped for good",
    variant: "permanent",
    world: "fast",
    fresh: true,
    arm: async (c) => {
      // The actuator read starts every run, then the login: those two stop the console while in flight.
      if (c.op !== "info" && c.op !== "login") return stop(c.target);
      inject(c, { latencyMs: 150, times: 1 });
      return async () => {
        await until(() => c.target.bb.requests.some((r) => r.path === c.route.path));
        await stop(c.target);
      };
    },
    cells: each({ ok: false, says: /\(connection refused: ECONNREFUSED\)/, gaveUp: GAVE_UP_ATTEMPTS }),
  },
];

let worlds: Record<Row["world"], World>;
let stateDir: string;
const freshConsoles: Target[] = [];

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "bytebase-gitops-faults-"));
  const [fast, patient] = await Promise.all([startWorld({}, FAST), startWorld({}, PATIENT)]);
  worlds = { fast, patient };
});
afterEach(async () => {
  for (const w of Object.values(worlds)) w.bb.faults.clear();
  await Promise.all(freshConsoles.splice(0).map((t) => (t.down ? undefined : t.bb.close())));
});
afterAll(async () => {
  await Promise.all(Object.values(worlds ?? {}).map((w) => w.close()));
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

async function stop(target: Target): Promise<void> {
  target.down = true;
  await target.bb.close();
}

async function restart(target: Target): Promise<void> {
  const { port, stateFile } = target.fresh!;
  target.bb = await startLocalConsole({ port, stateFile });
  target.down = false;
}

async function until(condition: () => boolean, timeoutMs = 2 * VERY_SLOW_ANSWER_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the console");
    await sleep(5);
  }
}

let cells = 0;

/** The world's console, or a fresh one with a state file that the host has not called yet. */
async function targetFor(world: World, isFresh: boolean): Promise<Target> {
  if (!isFresh) return { bb: world.bb, down: false };
  const stateFile = join(stateDir, `console-${++cells}.json`);
  const bb = await startLocalConsole({ stateFile });
  world.secrets.push(bb.admin.key);
  const connection = { url: bb.url, serviceAccount: bb.admin.email, serviceKey: bb.admin.key };
  const target: Target = {
    bb,
    down: false,
    fresh: { stateFile, port: Number(new URL(bb.url).port), connection },
  };
  freshConsoles.push(target);
  return target;
}

/** Declares the cell's resource, makes what the operation needs, and finds the route its fault goes on. */
async function prepare(world: World, op: Op, isFresh: boolean): Promise<Cell> {
  const target = await targetFor(world, isFresh);
  const title = `Cell ${++cells} ${op}`;
  const declare = () =>
    declareApp(world, "BITBUCKET", isFresh ? { callbackUrl: `${target.bb.url}/oauth/callback` } : {});
  const connection = target.fresh ? { connection: target.fresh.connection } : {};
  const news = { ...declare(), title, ...connection };
  let made: Cell["made"];
  if (op === "read" || op === "update" || op === "delete") made = await createResource(world, news);
  else if (op === "create" && isFresh) await createResource(world, { ...declare(), ...connection }); // logs in
  const id = made?.id ?? "";
  const routes: Record<Op, Cell["route"]> = {
    create: { method: "POST", path: "/v1/externalVersionControls" },
    read: { method: "GET", path: `/v1/externalVersionControls/${id}` },
    update: { method: "PATCH", path: `/v1/externalVersionControls/${id}` },
    delete: { method: "DELETE", path: `/v1/externalVersionControls/${id}` },
    login: { method: "POST", path: "/v1/auth/login" },
    info: { method: "GET", path: "/v1/actuator/info" },
  };
  return { world, target, op, news, title, renamed: `${title} renamed`, made, route: routes[op] };
}

/** The operation as the engine runs it. Login and the actuator read: the first create against a console. */
async function perform(cell: Cell): Promise<{ id?: string; outs: Props }> {
  const { world, made } = cell;
  switch (cell.op) {
    case "read":
      return world.host.read(world.provider, made!.id, made!.outs);
    case "update": {
      const news = await world.host.check(world.provider, made!.inputs, {
        ...cell.news,
        title: cell.renamed,
      });
      return world.host.update(world.provider, made!.id, made!.outs, news.inputs);
    }
    case "delete":
      await world.host.delete(world.provider, made!.id, made!.outs);
      return { outs: {} };
    default:
      return createResource(world, cell.news);
  }
}

/** How the operation names itself in its errors. */
function operationWords(cell: Cell): string {
  const id = cell.made?.id;
  switch (cell.op) {
    case "create":
      return `Creating Git provider "${cell.title}" failed`;
    case "read":
      return `Reading Git provider ${id} failed`;
    case "update":
      return `Updating title of Git provider ${id} failed`;
    case "delete":
      return `Deleting Git provider ${id}`;
    case "login":
      return `Logging in to the console as ${cell.target.bb.admin.email} failed`;
    case "info":
      return "Reading the console's version and external URL failed";
  }
}

const count = (cell: Cell, pred: (r: { method: string; path: string }) => boolean) =>
  cell.target.bb.requests.filter(pred).length;

describe.each(ROWS)("$fault ($variant)", (row) => {
  const cases = OPS.filter((op) => row.cells[op]).map((op) => {
    const expected = row.cells[op]!;
    return { name: op, op, expected };
  });
  it.each(cases)("$name", async ({ op, expected }) => {
    const world = worlds[row.world];
    const cell = await prepare(world, op, row.fresh || op === "login" || op === "info");
    const onRoute = (r: { method: string; path: string }) =>
      r.method === cell.route.method && r.path === cell.route.path;
    const isLogin = (r: { path: string }) => r.path === "/v1/auth/login";
    const sentBefore = count(cell, onRoute);
    const loginsBefore = count(cell, isLogin);
    const alongside = await row.arm(cell);
    const started = Date.now();
    const [outcome] = await Promise.all([
      perform(cell).then(
        (result) => ({ result, error: undefined }),
        (error: Error) => ({ result: undefined, error }),
      ),
      alongside?.(),
    ]);
    const elapsed = Date.now() - started;
    if (cell.target.down) await restart(cell.target); // to see what it holds

    if (expected.ok) {
      expect(outcome.error?.message).toBeUndefined();
      if (expected.minMs) expect(elapsed).toBeGreaterThanOrEqual(expected.minMs);
      expectNoSecrets(world, nonSecretOutputs(outcome.result!.outs));
    } else {
      const message = outcome.error?.message ?? "(it succeeded)";
      expect(message).toContain(operationWords(cell));
      expect(message).toMatch(expected.says);
      if (expected.gaveUp) expect(message).toMatch(expected.gaveUp);
      else expect(message).not.toMatch(/gave up/);
      expectNoSecrets(world, message);
    }
    if (expected.sent !== undefined) expect(count(cell, onRoute) - sentBefore).toBe(expected.sent);
    if (expected.logins !== undefined) expect(count(cell, isLogin) - loginsBefore).toBe(expected.logins);
    await expectConsoleHolds(cell, expected.ok || expected.applied, outcome.result?.id);
    expectNoSecrets(world, world.host.stderr());
  });
});

/**
 * Nothing lost, nothing doubled: the console holds exactly what the outcome says. `applied`: the operation's
 * change is there (true), not there (false), or arrives after the operation failed ("late").
 */
async function expectConsoleHolds(cell: Cell, applied: boolean | "late" | undefined, createdId?: string) {
  const { world, made } = cell;
  const mine = () =>
    cell.target.bb.listProviders().filter((p) => p.applicationId === cell.news.applicationId);
  switch (cell.op) {
    case "read":
      expect(mine()).toEqual([expect.objectContaining({ id: made!.id, title: cell.title })]);
      return;
    case "update":
      expect(mine()).toEqual([
        expect.objectContaining({ id: made!.id, title: applied ? cell.renamed : cell.title }),
      ]);
      return;
    case "delete":
      expect(mine()).toHaveLength(applied ? 0 : 1);
      // A delete that failed after the console deleted: run again, it finds it gone, and succeeds.
      if (applied) {
        cell.target.bb.faults.clear();
        await world.host.delete(world.provider, made!.id, made!.outs);
      }
      return;
    default:
      if (applied === "late") {
        // The console makes the provider after the create gave up: exactly one, which the resource then adopts
        // with importId as the error says, without making another.
        await until(() => mine().length > 0);
        const [late] = mine();
        const adopted = await createResource(world, { ...cell.news, importId: late!.id });
        expect(adopted.id).toBe(late!.id);
        expect(mine()).toEqual([expect.objectContaining({ id: late!.id, title: cell.title })]);
        return;
      }
      expect(mine()).toEqual(applied ? [expect.objectContaining({ id: createdId, title: cell.title })] : []);
  }
}

/**
 * A reverse proxy to `upstream` that forwards everything, but answers `status` (as a gateway does, with an HTML page)
 * instead of the upstream's own answer to the first `method path`, after the upstream processed it.
 */
async function startGateway(
  upstream: string,
  hide: { method: string; path: string; status: number },
): Promise<{ url: string; close(): Promise<void> }> {
  let hidden = false;
  const server: Server = createServer((req, res) => {
    const forward = request(
      new URL(req.url ?? "/", upstream),
      { method: req.method, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          if (!hidden && req.method === hide.method && req.url === hide.path) {
            hidden = true;
            res.writeHead(hide.status, { "content-type": "text/html" });
            res.end(`<html><body><h1>${hide.status} ${STATUS_CODES[hide.status]}</h1></body></html>`);
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        });
      },
    );
    forward.once("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe("a create whose answer a gateway replaced with 502/504 after the console made the provider", () => {
  // 502/504 may mean "processed": the create is not sent again; the provider it made is looked for and adopted.
  it.each([502, 504])("%i: adopts the provider the console made, and makes no duplicate", async (status) => {
    const world = worlds.fast;
    const gateway = await startGateway(world.bb.url, {
      method: "POST",
      path: "/v1/externalVersionControls",
      status,
    });
    try {
      const app = declareApp(world, "BITBUCKET");
      const news = { ...app, title: `Behind a gateway ${status}`, connection: { url: gateway.url } };
      const mine = () => world.bb.listProviders().filter((p) => p.applicationId === app.applicationId);
      const first = await createResource(world, news).catch((error: Error) => error);
      const said = first instanceof Error ? first.message : nonSecretOutputs(first.outs);
      expectNoSecrets(world, said, world.host.stderr());
      expect(mine()).toHaveLength(1); // the console made it, whatever the gateway said
      expect(first).not.toBeInstanceOf(Error);
      expect(mine()).toEqual([expect.objectContaining({ id: (first as { id: string }).id })]);
    } finally {
      await gateway.close();
    }
  });
});
