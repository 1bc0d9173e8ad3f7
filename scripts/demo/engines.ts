// What runs the demo's stack: the test engine (test/engine, always available), or the real Pulumi CLI through the
// Automation API (when `pulumi` is on PATH), with a local file backend and a passphrase secrets provider. Both
// report the same things: the planned or applied changes, policy violations, errors and the stack outputs.
import { accessSync, constants, copyFileSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { delimiter, join, relative } from "node:path";
import type * as automation from "@pulumi/pulumi/automation/index.js";
import type { StartedLocalConsole } from "../../src/local-console";
import { isSecretMarker, type EngineRun, type LocalStack } from "../../test/engine";
import {
  exampleStack,
  newStackDir,
  PASSPHRASE,
  policyPack,
  programDir,
  repoRoot,
  STACK,
  stackSettings,
  type ExampleProgram,
} from "./examples";

export interface Change {
  resource: string;
  op: string;
  /** The properties that changed (or would change). */
  diffs: string[];
}

export interface Violation {
  resource: string;
  policy: string;
  level: "advisory" | "mandatory";
  message: string;
}

export interface Report {
  ok: boolean;
  changes: Change[];
  violations: Violation[];
  errors: string[];
  /** Stack outputs, secret ones replaced by "[secret]". */
  outputs: Record<string, unknown>;
}

export interface DemoStack {
  /** Which engine runs the stack, for the reader. */
  readonly engine: string;
  /** Where the state lives. */
  readonly stateLocation: string;
  /** `pulumi config set [--secret] <key> <value>` for one of the program's own keys. */
  setConfig(key: string, value: string, secret?: boolean): Promise<void>;
  preview(): Promise<Report>;
  up(): Promise<Report>;
  refresh(): Promise<Report>;
  destroy(): Promise<Report>;
}

const STANDIN = join(repoRoot, "test", "engine", "bin", "pulumi");
const resourceOf = (urn: string) => urn.split("::").pop() ?? urn;
const SECRET = "[secret]";

function plainOutputs(outputs: Record<string, unknown>, isSecret: (v: unknown) => boolean) {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, isSecret(v) ? SECRET : v]));
}

/** The stack on the test engine: @pulumi/pulumi's runtime and provider host, @pulumi/policy's analyzer. */
export function testEngineStack(example: ExampleProgram, bb: StartedLocalConsole): DemoStack {
  const stack: LocalStack = exampleStack(example, bb, [policyPack(bb)]);
  const deployReport = (run: EngineRun): Report => ({
    ok: run.ok,
    changes: run.steps
      .filter((s) => s.op !== "same")
      .map((s) => ({ resource: resourceOf(s.urn), op: s.op, diffs: s.diffs ?? [] })),
    violations: run.violations.map((v) => ({
      resource: resourceOf(v.urn),
      policy: v.policyName,
      level: v.level,
      message: v.message,
    })),
    // Every error but the policy violations (listed on their own), with a URN shortened to the resource's name.
    errors: run.diagnostics
      .filter((d) => d.startsWith("error: ") && !d.includes("mandatory policy violation"))
      .map((d) =>
        d.replace(/^error: (?:(urn:\S+): )?/, (_m, urn?: string) => (urn ? `${resourceOf(urn)}: ` : "")),
      ),
    outputs: plainOutputs(run.ok ? run.outputs : stack.state().outputs, isSecretMarker),
  });
  return {
    engine:
      "the test engine (test/engine: @pulumi/pulumi's own runtime and dynamic-provider host, @pulumi/policy's analyzer)",
    stateLocation: `${relative(repoRoot, stack.stateFile)} (secrets encrypted with the stack passphrase)`,
    setConfig: async (key, value, secret) => stack.setConfig(`${example.project}:${key}`, value, secret),
    preview: async () => deployReport(await stack.preview()),
    up: async () => deployReport(await stack.up()),
    refresh: async () => {
      const result = await stack.refresh();
      return {
        ok: result.ok,
        changes: result.drift
          .filter((d) => d.op !== "same")
          .map((d) => ({
            resource: resourceOf(d.urn),
            op: d.op === "delete" ? "gone" : "drift",
            diffs: d.diffs,
          })),
        violations: [],
        errors: result.diagnostics.filter((d) => d.startsWith("error: ")),
        outputs: plainOutputs(stack.state().outputs, isSecretMarker),
      };
    },
    destroy: async () => {
      const result = await stack.destroy();
      return {
        ok: result.ok,
        changes: result.deleted.map((urn) => ({ resource: resourceOf(urn), op: "delete", diffs: [] })),
        violations: [],
        errors: result.diagnostics.filter((d) => d.startsWith("error: ")),
        outputs: {},
      };
    },
  };
}

/** The `pulumi` executable on PATH, if any. */
export function pulumiOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "pulumi");
    try {
      accessSync(candidate, constants.X_OK);
      // The CLI stand-in (test/engine/bin/pulumi) runs on the test engine: it is not the real CLI.
      if (realpathSync(candidate) === realpathSync(STANDIN)) continue;
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The keys whose values differ (`__provider` aside); secrets come masked in events, so a changed one is not seen. */
function changedKeys(olds: Record<string, unknown> = {}, news: Record<string, unknown> = {}): string[] {
  return [...new Set([...Object.keys(olds), ...Object.keys(news)])]
    .filter((k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]))
    .sort();
}

/**
 * The change an engine event reports: a step as it starts; a refresh's drift once the resource was read. The CLI
 * (v3.276.0) sends step events without diffs for a dynamic resource: an update's are then the inputs that differ
 * between the event's old and new states (as the CLI's display finds them), a refresh's drift (reported as an
 * `update`) the outputs that differ.
 */
function changeOf(e: automation.EngineEvent, refreshing: boolean): Change | undefined {
  const step = e.resOutputsEvent?.metadata ?? e.resourcePreEvent?.metadata;
  if (!step || step.type.startsWith("pulumi:") || step.op === "same") return undefined;
  const resource = resourceOf(step.urn);
  if (!refreshing) {
    const diffs = step.diffs?.length
      ? step.diffs
      : step.op === "update"
        ? changedKeys(step.old?.inputs, step.new?.inputs)
        : [];
    return { resource, op: step.op, diffs };
  }
  if (step.op === "delete") return { resource, op: "gone", diffs: [] };
  const diffs = step.diffs?.length ? step.diffs : changedKeys(step.old?.outputs, step.new?.outputs);
  return diffs.length ? { resource, op: "drift", diffs } : undefined;
}

function programCopy(example: ExampleProgram, dir: string): string {
  const copy = join(dir, "program");
  mkdirSync(copy);
  for (const file of ["Pulumi.yaml", "index.ts", "package.json"])
    copyFileSync(join(programDir(example), file), join(copy, file));
  return copy;
}

/** The stack on the real Pulumi CLI, through the Automation API: `file://` backend, passphrase secrets. */
export async function cliStack(example: ExampleProgram, bb: StartedLocalConsole): Promise<DemoStack> {
  const auto = (await import("@pulumi/pulumi/automation/index.js")) as typeof automation;
  const dir = newStackDir(`cli-${example.dir}`);
  const policyConfigFile = join(dir, "policy-config.json");
  const pack = policyPack(bb);
  writeFileSync(policyConfigFile, JSON.stringify(pack.config, null, 2));
  const settings = stackSettings(example, bb);
  const stack = await auto.LocalWorkspace.createOrSelectStack(
    // A copy of the program in the stack's directory: the CLI writes Pulumi.<stack>.yaml beside Pulumi.yaml, and
    // that must not land in examples/.
    { stackName: STACK, workDir: programCopy(example, dir) },
    {
      envVars: {
        ...settings.env,
        PULUMI_BACKEND_URL: `file://${dir}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
      },
    },
  );
  await stack.setAllConfig(
    Object.fromEntries(
      Object.entries(settings.config).map(([k, value]) => [
        k,
        { value, secret: settings.secretKeys.includes(k) },
      ]),
    ),
  );
  const policy = { policyPacks: [pack.dir], policyPackConfigs: [policyConfigFile] };

  async function run(
    action: (onEvent: (e: automation.EngineEvent) => void) => Promise<unknown>,
    refreshing = false,
  ): Promise<Report> {
    const report: Report = { ok: true, changes: [], violations: [], errors: [], outputs: {} };
    const onEvent = (e: automation.EngineEvent) => {
      const change = changeOf(e, refreshing);
      if (change && !report.changes.some((c) => c.resource === change.resource)) report.changes.push(change);
      if (e.policyEvent)
        report.violations.push({
          resource: resourceOf(e.policyEvent.resourceUrn ?? ""),
          policy: e.policyEvent.policyName,
          level: e.policyEvent.enforcementLevel === "mandatory" ? "mandatory" : "advisory",
          message: e.policyEvent.message,
        });
      if (e.diagnosticEvent?.severity === "error") report.errors.push(e.diagnosticEvent.message.trim());
    };
    try {
      await action(onEvent);
    } catch (error) {
      report.ok = false;
      if (!report.errors.length) report.errors.push(error instanceof Error ? error.message : String(error));
    }
    const outputs = await stack.outputs();
    report.outputs = Object.fromEntries(
      Object.entries(outputs).map(([k, o]) => [k, o.secret ? SECRET : o.value]),
    );
    return report;
  }

  return {
    engine: `the Pulumi CLI (${(await stack.workspace.pulumiVersion) || "pulumi"}) through the Automation API`,
    stateLocation: `${relative(repoRoot, dir)} (backend file://, secrets provider passphrase)`,
    setConfig: (key, value, secret = false) =>
      stack.setConfig(`${example.project}:${key}`, { value, secret }),
    preview: () => run((onEvent) => stack.preview({ ...policy, onEvent })),
    up: () => run((onEvent) => stack.up({ ...policy, onEvent })),
    refresh: () => run((onEvent) => stack.refresh({ onEvent }), true),
    destroy: () => run((onEvent) => stack.destroy({ onEvent })),
  };
}
