// Starts a real Bytebase server whose binary is in the cache (~/.cache/pulumi-bytebase-gitops/bytebase/<version>): a fresh database on the machine's PostgreSQL, a
// temporary data directory, its external URL, the first user (the workspace admin) and an admin service account.
// Used by `npm run bytebase` (cli.ts) and by the tests' harness (test/harness/real-bytebase.ts).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { bootstrapUsers, type Account, type BootstrapMode } from "./bootstrap";

const run = promisify(execFile);

export interface BytebaseRelease {
  /** The commit of the release's tag in bytebase/bytebase. */
  commit: string;
  /** Server flags of that release that keep it quiet: no metric collector, no sample instances. */
  flags: string[];
  /** Directories under `<data>/resources` that must exist so the server does not unpack (absent) tarballs. */
  resources: string[];
  /** How the first user and the service account are made on that release (bootstrap.ts). */
  bootstrap: BootstrapMode;
}

export const RELEASES = JSON.parse(readFileSync(join(__dirname, "versions.json"), "utf8")) as Record<
  string,
  BytebaseRelease
>;

export function release(version: string): BytebaseRelease {
  const r = RELEASES[version];
  if (!r)
    throw new Error(`unknown Bytebase version ${version}: known are ${Object.keys(RELEASES).join(", ")}`);
  return r;
}

/** The cache of Bytebase servers (and of `npm run bytebase`'s run records), outside the clone. */
export function cacheDir(): string {
  const root = process.env.PULUMI_BYTEBASE_CACHE || join(homedir(), ".cache", "pulumi-bytebase-gitops");
  return join(root, "bytebase");
}

/** Where the server binary of a version is looked for. */
export function binaryPath(version: string): string {
  return join(cacheDir(), version, "bytebase");
}

/** Why a version cannot run here, and how it could. */
export const notBuilt = (version: string): string =>
  `not built on this machine: the Go module proxy serves none of bytebase/bytebase's release commits, so this repository cannot build it; put a server binary of that release (built from Bytebase's source as its own docs say) at ${binaryPath(version)}`;

export function isBuilt(version: string): boolean {
  return existsSync(binaryPath(version));
}

export interface StartOptions {
  version: string;
  /** 0 or none: a free port. */
  port?: number;
  /**
   * The database (and accounts) an earlier server left with `stop({ keepDatabase: true })`: this server starts on it,
   * migrating it as Bytebase upgrades do, instead of on a fresh one.
   */
  upgrade?: Pick<StartedBytebase, "database" | "admin" | "serviceAccount">;
}

export interface StartedBytebase {
  version: string;
  commit: string;
  url: string;
  port: number;
  pid: number;
  /** The workspace admin (a user with a password: the first user created). */
  admin: Account;
  /** A service account with the workspace admin role, and its key (`bbs_...`). */
  serviceAccount: Account;
  database: string;
  dataDir: string;
  logFile: string;
  /** Settles when the server process ends, with how it ended. */
  exited: Promise<string>;
  /** Stops the server, drops its database (unless kept for an upgrade) and removes its data directory. */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

/** The PostgreSQL the servers use: BYTEBASE_PG (a URL without database), else 127.0.0.1:5432 as postgres or root. */
export async function postgresBase(): Promise<string> {
  if (process.env.BYTEBASE_PG) return process.env.BYTEBASE_PG.replace(/\/+$/, "");
  const tried: string[] = [];
  for (const user of ["postgres", "root"]) {
    const base = `postgresql://${user}@127.0.0.1:5432`;
    try {
      await psql(base, "SELECT 1");
      return base;
    } catch (error) {
      tried.push(`${user}: ${(error as Error).message.trim().split("\n").pop()}`);
    }
  }
  throw new Error(
    `no PostgreSQL to start Bytebase on (set BYTEBASE_PG=postgresql://user@host:port): ${tried.join("; ")}`,
  );
}

async function psql(base: string, sql: string): Promise<string> {
  const { stdout } = await run("psql", [`${base}/postgres`, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], {
    timeout: 60_000,
  });
  return stdout;
}

/** The machine's PostgreSQL programs (pg_dump): BYTEBASE_PG_BIN, else `pg_config --bindir`, else none. */
async function postgresBinDir(): Promise<string | undefined> {
  if (process.env.BYTEBASE_PG_BIN) return process.env.BYTEBASE_PG_BIN;
  try {
    return (await run("pg_config", ["--bindir"])).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function dropDatabase(base: string, database: string): Promise<void> {
  await psql(base, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
}

function listenable(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}

/** A free port whose next one is free too: 2.x listens for gRPC on port + 1 (cmd/profile.go GrpcPort at 2.14.1). */
export async function freePort(): Promise<number> {
  for (let i = 0; ; i++) {
    const port = await listenable(0);
    if (
      port < 65535 &&
      (await listenable(port + 1).then(
        () => true,
        () => false,
      ))
    )
      return port;
    if (i === 20) throw new Error("no two free consecutive ports on 127.0.0.1");
  }
}

export function logTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

async function waitReady(
  url: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `Bytebase exited (${child.exitCode ?? child.signalCode}) before it was ready; its log ends:\n` +
          logTail(logFile),
      );
    try {
      const res = await fetch(`${url}/v1/actuator/info`, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `Bytebase at ${url} was not ready after ${timeoutMs / 1000}s (${last}); its log ends:\n${logTail(logFile)}`,
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Starts a version whose server binary is in the cache. */
export async function startBytebase(opts: StartOptions): Promise<StartedBytebase> {
  const { version } = opts;
  const rel = release(version);
  const binary = binaryPath(version);
  if (!existsSync(binary)) throw new Error(`Bytebase ${version} is ${notBuilt(version)}`);
  const base = await postgresBase();
  const port = opts.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const database =
    opts.upgrade?.database ?? `bb_${version.replace(/\./g, "_")}_${port}_${randomBytes(3).toString("hex")}`;
  if (!opts.upgrade) await psql(base, `CREATE DATABASE "${database}"`);
  const dataDir = mkdtempSync(join(tmpdir(), `bytebase-${version}-`));
  const pgBin = await postgresBinDir();
  for (const dir of rel.resources) {
    mkdirSync(join(dataDir, "resources", dir), { recursive: true });
    // A migration of the metadata schema first backs it up with pg_dump from here (utils.ExecuteMigrationWithFunc at
    // 2.15.0): lend it the machine's PostgreSQL client programs.
    if (dir.startsWith("postgres-") && pgBin) symlinkSync(pgBin, join(dataDir, "resources", dir, "bin"));
  }
  const logFile = join(dataDir, "bytebase.log");
  const log = createWriteStream(logFile);
  const child = spawn(
    binary,
    ["--port", String(port), "--external-url", url, "--data", dataDir, ...rel.flags],
    {
      cwd: dataDir,
      env: { ...process.env, PG_URL: `${base}/${database}` },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  for (const stream of [child.stdout!, child.stderr!]) stream.pipe(log, { end: false });
  const exited = new Promise<string>((done) =>
    child.on("exit", (code, signal) => done(signal ? `killed by ${signal}` : `exit code ${code}`)),
  );
  let stopped: Promise<void> | undefined;
  const stop = (options: { keepDatabase?: boolean } = {}) =>
    (stopped ??= (async () => {
      await stopChild(child);
      log.end();
      if (!options.keepDatabase) await dropDatabase(base, database);
      rmSync(dataDir, { recursive: true, force: true });
    })());
  try {
    await waitReady(url, child, logFile, 300_000);
    const { admin, serviceAccount } = opts.upgrade ?? (await bootstrapUsers(url, rel.bootstrap));
    return {
      version,
      commit: rel.commit,
      url,
      port,
      pid: child.pid!,
      admin,
      serviceAccount,
      database,
      dataDir,
      logFile,
      exited,
      stop,
    };
  } catch (error) {
    const tail = logTail(logFile);
    await stop().catch(() => undefined);
    if ((error as Error).message.includes("its log ends")) throw error;
    throw new Error(`${(error as Error).message}\nBytebase's log ends:\n${tail}`, { cause: error });
  }
}
