// `npm run bytebase -- --version V [--port N] [--stop] | --list`: starts a real Bytebase server found in the cache,
// prints how to use it as `npm run console` does, stops it on Ctrl+C / SIGTERM (dropping its database); `--stop` stops
// the ones another `npm run bytebase` started (of that version, and port when given); `--list` says what is built.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  binaryPath,
  cacheDir,
  dropDatabase,
  isBuilt,
  logTail,
  postgresBase,
  RELEASES,
  startBytebase,
  type StartedBytebase,
} from "./server";

const USAGE = `Usage: npm run bytebase -- --version V [--port N] [--stop] | --list
  --version  the Bytebase release to start: ${Object.keys(RELEASES).join(", ")}
  --port     the server's port (default or 0: a free one)
  --stop     stop the servers of that version (and port) started by another npm run bytebase
  --list     say which versions are built on this machine (the real-Bytebase tests run those, skip the others)`;

interface Args {
  version: string;
  list: boolean;
  port: number;
  stop: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Partial<Args> = { port: 0, stop: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") throw new Error(USAGE);
    if (arg === "--stop" || arg === "--list") {
      args[arg === "--stop" ? "stop" : "list"] = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
    if (name === "--version") {
      if (!RELEASES[value])
        throw new Error(`--version: Bytebase ${value} is not one of ${Object.keys(RELEASES).join(", ")}`);
      args.version = value;
    } else if (name === "--port") {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port: not a port: ${value}`);
      args.port = port;
    } else throw new Error(`unknown option ${name}\n${USAGE}`);
  }
  if (!args.version && !args.list) throw new Error(`--version is required\n${USAGE}`);
  return args as Args;
}

/** What a running `npm run bytebase` leaves beside the binaries, so that `--stop` finds it. */
interface RunRecord {
  cliPid: number;
  serverPid: number;
  version: string;
  port: number;
  database: string;
  dataDir: string;
}

const runDir = join(cacheDir(), "run");
const recordFile = (version: string, port: number) => join(runDir, `${version}-${port}.json`);

/** Whether the process runs, and is still the one recorded (its command line names `marker`, where /proc tells). */
function alive(pid: number, marker: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
  } catch {
    return true;
  }
}

async function stopOthers(version: string, port: number): Promise<void> {
  const files = existsSync(runDir) ? readdirSync(runDir).filter((f) => f.startsWith(`${version}-`)) : [];
  const records = files
    .map((f) => JSON.parse(readFileSync(join(runDir, f), "utf8")) as RunRecord)
    .filter((r) => port === 0 || r.port === port);
  if (records.length === 0)
    console.log(
      `No Bytebase ${version}${port ? ` on port ${port}` : ""} started by npm run bytebase is running.`,
    );
  for (const r of records) {
    if (alive(r.cliPid, "scripts/bytebase/cli.ts")) {
      process.kill(r.cliPid, "SIGTERM"); // its handler stops the server and drops the database
      for (let i = 0; i < 120 && existsSync(recordFile(r.version, r.port)); i++)
        await new Promise((d) => setTimeout(d, 500));
    } else {
      if (alive(r.serverPid, binaryPath(r.version))) process.kill(r.serverPid, "SIGKILL");
      await dropDatabase(await postgresBase(), r.database);
      rmSync(r.dataDir, { recursive: true, force: true });
      rmSync(recordFile(r.version, r.port), { force: true });
    }
    console.log(`Stopped Bytebase ${r.version} on port ${r.port}; dropped its database ${r.database}.`);
  }
}

function banner(b: StartedBytebase): string {
  return [
    `Real Bytebase ${b.version} (git commit ${b.commit}), built at ${binaryPath(b.version)}`,
    `  URL:                   ${b.url}`,
    `  Admin service account: ${b.serviceAccount.email}`,
    `  Admin service key:     ${b.serviceAccount.secret}`,
    `  Admin user:            ${b.admin.email} (password ${b.admin.secret})`,
    `  External URL:          ${b.url}`,
    `  Database:              ${b.database} (dropped when stopped)`,
    `  Log:                   ${b.logFile}`,
    "",
    "For the examples:",
    `  export BYTEBASE_URL=${b.url}`,
    `  export BYTEBASE_SERVICE_ACCOUNT=${b.serviceAccount.email}`,
    `  export BYTEBASE_SERVICE_KEY=${b.serviceAccount.secret}`,
    "",
    `Press Ctrl+C to stop (or: npm run bytebase -- --version ${b.version} --port ${b.port} --stop).`,
  ].join("\n");
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (args.list) {
    const built = Object.keys(RELEASES).filter(isBuilt);
    const missing = Object.keys(RELEASES).filter((v) => !isBuilt(v));
    console.log(
      `real Bytebase: runs ${built.join(", ") || "none"}; skipped, not built: ${missing.join(", ") || "none"}`,
    );
    return;
  }
  if (args.stop) return stopOthers(args.version, args.port);
  const b = await startBytebase({ version: args.version, port: args.port });
  mkdirSync(runDir, { recursive: true });
  const record: RunRecord = {
    cliPid: process.pid,
    serverPid: b.pid,
    version: b.version,
    port: b.port,
    database: b.database,
    dataDir: b.dataDir,
  };
  writeFileSync(recordFile(b.version, b.port), JSON.stringify(record));
  console.log(banner(b));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Bytebase ${b.version} and dropping its database.`);
    void b
      .stop()
      .finally(() => rmSync(recordFile(b.version, b.port), { force: true }))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error instanceof Error ? error.message : error);
          process.exit(1);
        },
      );
  };
  void b.exited.then((how) => {
    if (!stopping)
      console.error(`Bytebase ${b.version} ended by itself (${how}); its log ends:\n${logTail(b.logFile)}`);
    stop("server ended");
  });
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
