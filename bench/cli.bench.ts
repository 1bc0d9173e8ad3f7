// B6: the real Pulumi CLI (`pulumi` on PATH: run `npm run pulumi-cli` and put its directory first; else the rows say
// skipped). B6a: wall time of `pulumi up --yes --skip-preview` of 100 GitOpsProviders against the local console
// (Bytebase's rate limiter off), over the same CLI's `up` of 100 no-op dynamic resources (the engine's own floor:
// the same language host, dynamic-provider host and state writes, no console). B6b: `pulumi preview` of the same
// 100, unchanged, over the no-op stack's. Each round makes both stacks afresh (floor and subject in alternating
// order, 5 rounds); what a round leaves is destroyed untimed.
import { execFile } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { startLocalConsole, type StartedLocalConsole } from "pulumi-bytebase-gitops/local-console";
import { oauthEnv } from "./oauth";
import { repoRoot } from "./package";
import type { Row } from "./report";
import { quantile } from "./stats";

const N = 100;
const GOALS = { up: 1.3, preview: 1.1 };
const STANDIN = join(repoRoot, "test", "engine", "bin", "pulumi");

/** The real `pulumi` on PATH (the stand-in in test/engine/bin does not count), as scripts/demo/engines.ts finds it. */
function realPulumi(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "pulumi");
    try {
      accessSync(candidate, constants.X_OK);
      if (realpathSync(candidate) !== realpathSync(STANDIN)) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The two programs, in plain JavaScript (no TypeScript compile on either side). */
const PROGRAMS = {
  noop: `const pulumi = require("@pulumi/pulumi");
const provider = { async create(inputs) { return { id: inputs.title, outs: inputs }; } };
class Noop extends pulumi.dynamic.Resource {
  constructor(name, args) { super(provider, name, args, undefined, "bench", "Noop"); }
}
for (let i = 0; i < ${N}; i++) new Noop("r" + i, { title: "provider " + i, type: "GITHUB" });
`,
  gitops: `const { GitOpsProvider } = require("pulumi-bytebase-gitops");
const cfg = new (require("@pulumi/pulumi").Config)();
for (let i = 0; i < ${N}; i++)
  new GitOpsProvider("r" + i, {
    type: "GITHUB",
    title: "provider " + i,
    applicationId: cfg.require("appId"),
    secret: cfg.requireSecret("appSecret"),
    callbackUrl: cfg.require("callbackUrl"),
  });
`,
};
type Side = keyof typeof PROGRAMS;

function pulumi(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((ok, fail) =>
    execFile(
      bin,
      [...args, "--non-interactive"],
      { cwd, env, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        error
          ? fail(new Error(`pulumi ${args.join(" ")}: ${error.message}\n${stdout}\n${stderr}`))
          : ok(Number(process.hrtime.bigint() - start) / 1e9),
    ),
  );
}

const median = (xs: readonly number[]) => quantile(xs, 0.5);

function skipped(why: string): Row[] {
  return (["B6a", "B6b"] as const).map((id) => ({
    id,
    name: id === "B6a" ? `real CLI: up of ${N} GitOpsProviders` : `real CLI: preview of ${N} unchanged`,
    unit: "s",
    subject: { median: Number.NaN },
    floor: { median: Number.NaN },
    floorName: "the same CLI's run of no-op dynamic resources",
    ratio: Number.NaN,
    note: `skipped: ${why}`,
  }));
}

export async function cliBench(quick: boolean): Promise<Row[]> {
  const bin = realPulumi();
  if (!bin) return skipped("no `pulumi` on PATH (npm run pulumi-cli prints the directory to put first)");
  const rounds = quick ? 1 : 5;
  const bb: StartedLocalConsole = await startLocalConsole({ rateLimit: false });
  const cache = join(repoRoot, ".cache", "bench");
  mkdirSync(cache, { recursive: true });
  // Inside the repository, so that the programs resolve @pulumi/pulumi and the package from its node_modules.
  const work = mkdtempSync(join(cache, "b6-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...oauthEnv(bb),
    BYTEBASE_URL: bb.url,
    BYTEBASE_SERVICE_ACCOUNT: bb.admin.email,
    BYTEBASE_SERVICE_KEY: bb.admin.key,
    PULUMI_BACKEND_URL: `file://${join(work, "backend")}`,
    PULUMI_HOME: join(work, "home"),
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  mkdirSync(join(work, "backend"));
  const dirs = {} as Record<Side, string>;
  for (const side of ["noop", "gitops"] as Side[]) {
    const dir = (dirs[side] = join(work, side));
    mkdirSync(dir);
    writeFileSync(join(dir, "Pulumi.yaml"), `name: b6-${side}\nruntime: nodejs\n`);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `b6-${side}`, main: "index.js" }));
    writeFileSync(join(dir, "index.js"), PROGRAMS[side]);
  }
  const app = bb.demoApps.GITHUB;
  const times: Record<"up" | "preview", Record<Side, number[]>> = {
    up: { noop: [], gitops: [] },
    preview: { noop: [], gitops: [] },
  };
  try {
    for (let round = 0; round < rounds; round++) {
      const order: Side[] = round % 2 ? ["gitops", "noop"] : ["noop", "gitops"];
      for (const side of order) {
        const dir = dirs[side];
        const stack = `r${round}`;
        await pulumi(bin, ["stack", "init", stack], dir, env);
        if (side === "gitops") {
          await pulumi(bin, ["config", "set", "appId", app.applicationId], dir, env);
          await pulumi(bin, ["config", "set", "--secret", "appSecret", app.secret], dir, env);
          await pulumi(bin, ["config", "set", "callbackUrl", `${bb.externalUrl}/oauth/callback`], dir, env);
        }
        times.up[side].push(await pulumi(bin, ["up", "--yes", "--skip-preview"], dir, env));
        times.preview[side].push(await pulumi(bin, ["preview", "--expect-no-changes"], dir, env));
        await pulumi(bin, ["destroy", "--yes", "--skip-preview"], dir, env);
        await pulumi(bin, ["stack", "rm", stack, "--yes"], dir, env);
      }
    }
  } finally {
    await bb.close();
    rmSync(work, { recursive: true, force: true });
  }
  const row = (id: string, op: "up" | "preview", name: string): Row => {
    const subject = median(times[op].gitops);
    const floor = median(times[op].noop);
    const ratio = subject / floor;
    // Each round's own ratio (its two stacks ran back to back): the spread says how noisy the machine was.
    const perRound = times[op].gitops.map((s, i) => s / times[op].noop[i]!);
    return {
      id,
      name,
      unit: "s",
      subject: { median: subject, p90: quantile(times[op].gitops, 0.9), samples: rounds },
      floor: { median: floor, p90: quantile(times[op].noop, 0.9), samples: rounds },
      floorName: `the same CLI's \`${op}\` of ${N} no-op dynamic resources`,
      ratio,
      ratioSpread: [quantile(perRound, 0.1), quantile(perRound, 0.9)],
      goal: { text: `<= ${GOALS[op]}x`, met: ratio <= GOALS[op] },
      note: `pulumi at ${bin}; ${rounds} round(s), medians`,
    };
  };
  return [
    row("B6a", "up", `real CLI: up of ${N} GitOpsProviders`),
    row("B6b", "preview", `real CLI: preview of ${N} unchanged`),
  ];
}
