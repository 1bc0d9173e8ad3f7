// `npm run demo [-- --keep]`: the two example programs against a local Bytebase-compatible console, the way
// `pulumi up` runs them, without the Pulumi CLI: the real @pulumi/pulumi Node runtime (cmd/run) and the real
// dynamic-provider host, driven by the test engine (test/harness/engine.ts). It creates both Git providers, shows
// their outputs and the console's list, runs `up` again (a no-op), previews a bad change (a missing scope), and
// destroys everything; `--keep` leaves the console and the providers running instead.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { banner, startFromCli } from "../src/local-console/cli";
import type { StartedLocalConsole } from "../src/local-console";
import { reveal, type EngineRun, type ResourceState } from "../test/harness/engine";
import {
  destroyExample,
  EXAMPLES,
  leaks,
  listFromApi,
  runExample,
  STACK,
  stackSettings,
  type Example,
} from "./demo/examples";

const keep = process.argv.includes("--keep");

const say = (line = "") => console.log(line);
const section = (title: string) => say(`\n== ${title} ${"=".repeat(Math.max(0, 100 - title.length))}`);

/** Runs the example once (an update, or a preview) and fails the demo if a secret shows up anywhere printed. */
async function run(
  example: Example,
  bb: StartedLocalConsole,
  options: { extra?: Record<string, string>; priorState?: ResourceState[]; preview?: boolean } = {},
): Promise<EngineRun> {
  const settings = stackSettings(example, bb, options.extra);
  const result = await runExample(example, bb, options);
  const where = leaks(settings.secrets, {
    "the program's stdout": result.stdout,
    "the program's stderr": result.stderr,
    "the provider host's output": result.hostOutput,
    "the diagnostics": result.diagnostics,
    "the non-secret outputs": nonSecret(result.outputs),
  });
  if (where.length) throw new Error(`a secret of examples/${example.dir} appeared in ${where.join(", ")}`);
  return result;
}

/** Stack outputs without the secret ones (those are secret marker objects). */
function nonSecret(outputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(outputs).filter(([, v]) => JSON.stringify(v) === JSON.stringify(reveal(v))),
  );
}

function expectOk(example: Example, result: EngineRun, what: string): void {
  if (result.ok) return;
  throw new Error(`${what} of examples/${example.dir} failed:\n  ${result.diagnostics.join("\n  ")}`);
}

const SYMBOL: Record<string, string> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
  same: " ",
  import: "=",
};

function printSteps(result: EngineRun): void {
  for (const step of result.steps) {
    const [, , type = "", name = ""] = step.urn.split("::");
    say(`  ${(SYMBOL[step.op] ?? "?").padEnd(2)} ${step.op.padEnd(8)} ${type.split(":").pop()} ${name}`);
  }
}

function printOutputs(result: EngineRun, state: ResourceState | undefined): void {
  const outputs = reveal(result.outputs) as Record<string, unknown>;
  say("  Outputs:");
  for (const key of ["name", "apiUrl", "callbackUrl"]) say(`    ${key.padEnd(13)} ${String(outputs[key])}`);
  const verification = outputs.verification as
    { checks: { check: string; outcome: string; detail: string }[]; secretExpiresAt?: string } | undefined;
  say(`    verification`);
  for (const c of verification?.checks ?? [])
    say(`      ${c.check.padEnd(12)} ${c.outcome.padEnd(13)} ${c.detail}`);
  if (verification?.secretExpiresAt) say(`      the Client Secret expires ${verification.secretExpiresAt}`);
  if (state) say(`  Stored as secrets in the state: ${state.secretOutputs.sort().join(", ")}`);
}

async function printConsole(bb: StartedLocalConsole): Promise<void> {
  const providers = await listFromApi(bb);
  say(`  GET ${bb.url}/v1/externalVersionControls -> ${providers.length} Git provider(s)`);
  for (const p of providers)
    say(
      `    ${String(p.name).padEnd(30)} ${String(p.type).padEnd(13)} ${String(p.title).padEnd(15)} ${p.url}  app ${p.applicationId}`,
    );
}

function pulumiOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "pulumi");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const started = Date.now();
  const bb = await startFromCli({ port: keep ? undefined : 0 });
  let destroyed = false;
  const states = new Map<Example, ResourceState[]>();
  try {
    section("A local Bytebase-compatible console, with a demo OAuth app at each fake Git provider");
    say(`  console        ${bb.url}   (OAuth callback ${bb.externalUrl}/oauth/callback)`);
    for (const example of EXAMPLES) {
      const app = bb.demoApps[example.type];
      say(
        `  ${example.type.padEnd(14)} ${bb.oauth.url(example.type)}   app ${app.applicationId}, scopes ${app.scopes.join(" ")}`,
      );
    }
    const cli = pulumiOnPath();
    say(
      cli
        ? `  The Pulumi CLI is on PATH (${cli}): the same programs run with it too, on a local file backend\n` +
            "  (pulumi login --local, or PULUMI_BACKEND_URL=file://<dir>); see README.md (Examples). This demo uses the test engine."
        : "  The Pulumi CLI is not on PATH: the programs run through @pulumi/pulumi's own runtime and provider host.",
    );

    section(
      "pulumi up: both examples (stack config bytebase:url, bytebase:serviceAccount, bytebase:serviceKey [secret], ...)",
    );
    const created = await Promise.all(EXAMPLES.map((example) => run(example, bb)));
    EXAMPLES.forEach((example, i) => {
      const result = created[i]!;
      expectOk(example, result, "pulumi up");
      states.set(example, result.state);
      say(`\n  examples/${example.dir} (project ${example.project}, stack ${STACK})`);
      printSteps(result);
      printOutputs(
        result,
        result.state.find((r) => r.type.includes("GitOpsProvider")),
      );
    });
    say();
    await printConsole(bb);

    section("pulumi up again: nothing to do");
    const again = await Promise.all(
      EXAMPLES.map((example) => run(example, bb, { priorState: states.get(example) })),
    );
    EXAMPLES.forEach((example, i) => {
      const result = again[i]!;
      expectOk(example, result, "the second pulumi up");
      const changed = result.steps.filter((s) => s.op !== "same");
      if (changed.length)
        throw new Error(
          `the second up of examples/${example.dir} was not a no-op: ${JSON.stringify(changed)}`,
        );
      states.set(example, result.state);
      say(`  examples/${example.dir}: ${result.steps.length} unchanged, 0 to change`);
    });

    section("pulumi preview with a mistake: one scope missing from the declared scopes (config `scopes`)");
    const previews = await Promise.all(
      EXAMPLES.map((example) =>
        run(example, bb, {
          priorState: states.get(example),
          preview: true,
          extra: { scopes: JSON.stringify(example.missingOneScope) },
        }),
      ),
    );
    EXAMPLES.forEach((example, i) => {
      const result = previews[i]!;
      const message = result.diagnostics.find((d) => d.includes("scopes:"));
      if (result.ok || !message?.includes(example.missingScopeUiName))
        throw new Error(
          `the preview of examples/${example.dir} with a missing scope did not fail as expected: ${result.diagnostics.join("\n")}`,
        );
      say(
        `  examples/${example.dir} scopes = ${JSON.stringify(example.missingOneScope)}: preview failed, as it should:`,
      );
      say(`    ${message.replace(/^error: \S+: /, "error: ")}`);
    });
    const untouched = await listFromApi(bb);
    say(`  (a preview changes nothing: the console still lists ${untouched.length} Git providers)`);

    if (keep) {
      section("--keep: the console keeps running, with both Git providers");
      say(banner(bb, undefined).split("\n").slice(0, 5).join("\n"));
      say(`
  List the Git providers with curl:
    TOKEN=$(curl -s -X POST ${bb.url}/v1/auth/login -H 'content-type: application/json' \\
      -d '{"email":"${bb.admin.email}","password":"${bb.admin.key}"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')
    curl -s -H "Authorization: Bearer $TOKEN" ${bb.url}/v1/externalVersionControls

  Press Ctrl+C to stop (the console is in memory: the providers go with it).`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      return;
    }

    section("pulumi destroy");
    for (const example of EXAMPLES) {
      await destroyExample(example, bb, states.get(example) ?? []);
      say(`  examples/${example.dir}: deleted ${example.resourceName}`);
    }
    destroyed = true;
    await printConsole(bb);
    const left = await listFromApi(bb);
    if (left.length) throw new Error(`destroy left ${left.length} Git provider(s) in the console`);
    say(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    if (!destroyed && !keep) {
      // After a failure: leave nothing behind in the (in-memory) console; report but do not mask the failure.
      for (const [example, state] of states) {
        await destroyExample(example, bb, state).catch((error: unknown) =>
          console.error(`cleanup of examples/${example.dir} failed: ${String(error)}`),
        );
      }
    }
    await bb.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
