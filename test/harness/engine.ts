// A minimal Pulumi engine: runs a whole program through the real Node runtime (cmd/run) against monitor.ts, and
// drives dynamic resources through ONE real dynamic-provider host (provider-host.ts) as the Pulumi engine does.
import { spawn } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import { startMonitor, type Registration } from "./monitor";
import { PROVIDER_KEY, pulumiRequire, startProviderHost, type ProviderHost } from "./provider-host";

type Props = Record<string, unknown>;

/** Pulumi's secret marker, as the SDK sends secret values and expects secret outputs back. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";
const runEntry = pulumiRequire.resolve("./cmd/run");

/** One resource of the stack. Inputs/outputs are plain values (no secret markers), `__provider` included as the
 * real engine stores it; `secretOutputs` names the output keys the engine treats as secret. */
export interface ResourceState {
  urn: string;
  type: string;
  name: string;
  id: string;
  inputs: Props;
  outputs: Props;
  secretOutputs: string[];
}

export type StepOp = "create" | "update" | "replace" | "same" | "delete" | "import";

export interface EngineRun {
  state: ResourceState[];
  /** Stack outputs exactly as the program registered them: secret ones are secret marker objects (see reveal()). */
  outputs: Record<string, unknown>;
  /** Non-DEBUG engine log lines ("error: ...", "warning: ...", "info: ...") and failed steps ("error: URN: message"). */
  diagnostics: string[];
  ok: boolean;
  /** What the engine did (or, in a preview, would do) to each dynamic/custom resource. */
  steps: { urn: string; op: StepOp }[];
  /** Every RegisterResource request as the program sent it (secret inputs as secret marker objects). */
  registrations: Registration[];
  /** The program's own stdout/stderr and the provider host's output, to assert that nothing secret was printed. */
  stdout: string;
  stderr: string;
  hostOutput: string;
}

export interface UpOptions {
  programDir: string;
  project: string;
  stack: string;
  config?: Record<string, string>;
  secretKeys?: string[];
  priorState?: ResourceState[];
  preview?: boolean;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export function isSecretMarker(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Props)[SECRET_SIG] === SECRET_VALUE;
}

export function markSecret(value: unknown): Props {
  return { [SECRET_SIG]: SECRET_VALUE, value };
}

/** Removes every secret marker, recursively. */
export function reveal(value: unknown): unknown {
  if (isSecretMarker(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

function containsSecret(value: unknown): boolean {
  if (isSecretMarker(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsSecret);
  return false;
}

/** Plain values plus the top-level keys that held a secret anywhere inside. */
function stripSecrets(object: Props): { plain: Props; secretKeys: string[] } {
  return {
    plain: reveal(object) as Props,
    secretKeys: Object.keys(object).filter((k) => containsSecret(object[k])),
  };
}

function remark(outputs: Props, secretOutputs: string[]): Props {
  return Object.fromEntries(
    Object.entries(outputs).map(([k, v]) => [k, secretOutputs.includes(k) ? markSecret(v) : v]),
  );
}

const isDynamic = (type: string) => type.startsWith("pulumi-nodejs:dynamic");

function makeUrn(stack: string, project: string, parent: string, type: string, name: string): string {
  const parentType = parent ? (parent.split("::")[2] ?? "") : "";
  const qualified = !parentType || parentType === "pulumi:pulumi:Stack" ? type : `${parentType}$${type}`;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function hostFor(opts: {
  programDir: string;
  project: string;
  stack?: string;
  env?: Record<string, string>;
}) {
  const env = {
    PULUMI_NODEJS_PROJECT: opts.project,
    ...(opts.stack ? { PULUMI_NODEJS_STACK: opts.stack } : {}),
  };
  return startProviderHost({ cwd: opts.programDir, env: { ...env, ...opts.env } });
}

function lazyHost(opts: Parameters<typeof hostFor>[0], config: Record<string, string>) {
  let host: Promise<ProviderHost> | undefined;
  return {
    get: () =>
      (host ??= hostFor(opts).then(async (h) => {
        await h.configure(config);
        return h;
      })),
    started: () => host,
  };
}

type Decision = { op: StepOp; deleteBeforeReplace: boolean };

async function decide(
  h: ProviderHost,
  old: ResourceState,
  checked: Props,
  dbrOption: boolean,
): Promise<Decision> {
  const provider = checked[PROVIDER_KEY] as string;
  const d = await h.diff(provider, old.id, old.outputs, checked);
  // Like the engine: without an answer from the provider, compare old and new inputs itself.
  const changes =
    d.changes === "unknown" ? (isDeepStrictEqual(old.inputs, checked) ? "none" : "some") : d.changes;
  if (changes === "none") return { op: "same", deleteBeforeReplace: false };
  if (d.replaces.length > 0)
    return { op: "replace", deleteBeforeReplace: d.deleteBeforeReplace || dbrOption };
  return { op: "update", deleteBeforeReplace: false };
}

/** Runs the program once (an update, or a preview with `preview: true`) and returns the new state. */
export async function up(opts: UpOptions): Promise<EngineRun> {
  const { programDir, project, stack, preview = false } = opts;
  const config = opts.config ?? {};
  const prior = new Map((opts.priorState ?? []).map((r) => [r.urn, r]));
  const host = lazyHost(opts, config);
  const registered: ResourceState[] = [];
  const seen = new Set<string>();
  const steps: EngineRun["steps"] = [];
  const registrations: Registration[] = [];
  const diagnostics: string[] = [];
  const pending: Promise<unknown>[] = [];
  let failed = false;
  let stackUrn = "";
  let stackOutputs: Props = {};
  // Provider calls run one at a time, in the order the program registers its resources.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn);
    queue = p.catch(() => undefined);
    return p;
  };

  /**
   * The `import` resource option on a resource not in the state, as the engine does it (pulumi/pulumi#19339):
   * Read with the id only, neither properties nor inputs; the answer becomes the old state that the program's
   * inputs are then checked and diffed against (an update follows when they differ).
   */
  async function importOld(
    h: ProviderHost,
    urn: string,
    reg: Registration,
    base: { type: string; name: string },
  ) {
    steps.push({ urn, op: "import" });
    const read = await h.importRead(reg.importId);
    if (!read.id) throw new Error(`resource '${reg.importId}' does not exist`);
    const provider = stripSecrets(reg.object).plain[PROVIDER_KEY];
    const state: ResourceState = {
      urn,
      ...base,
      id: read.id,
      inputs: { ...read.inputs, [PROVIDER_KEY]: provider },
      outputs: { ...read.outs, [PROVIDER_KEY]: provider },
      secretOutputs: [],
    };
    return state;
  }

  async function dynamicStep(
    urn: string,
    reg: Registration,
    inputs: Props,
    secretKeys: string[],
    base: { type: string; name: string },
  ) {
    const h = await host.get();
    const provider = inputs[PROVIDER_KEY] as string;
    const importing = !prior.has(urn) && reg.importId !== "";
    const old = importing ? await importOld(h, urn, reg, base) : prior.get(urn);
    const check = await h.check(provider, old?.inputs ?? {}, inputs);
    if (check.failures.length > 0) {
      throw new Error(check.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
    }
    const checked = { ...check.inputs, [PROVIDER_KEY]: provider };
    const secretOutputs = (outs: Props) =>
      Object.keys(outs).filter((k) => secretKeys.includes(k) || reg.additionalSecretOutputs.includes(k));
    const decision = old ? await decide(h, old, checked, reg.deleteBeforeReplace) : undefined;
    const op = decision?.op ?? "create";
    if (!(importing && op === "same")) steps.push({ urn, op }); // an import without a diff is just "import"
    if (preview) {
      // Check and Diff only: answer with the checked inputs; missing outputs stay unknown in the program.
      const outputs = op === "same" ? old!.outputs : checked;
      const id = op === "same" || op === "update" ? old!.id : "";
      return { id, outputs, secretOutputs: secretOutputs(outputs) };
    }
    let id = old?.id ?? "";
    let outs: Props;
    if (op === "same") {
      outs = old!.outputs;
    } else if (op === "update") {
      outs = (await h.update(provider, old!.id, old!.outputs, checked)).outs;
    } else {
      if (old && decision!.deleteBeforeReplace)
        await h.delete(old.outputs[PROVIDER_KEY] as string, old.id, old.outputs);
      const created = await h.create(provider, checked);
      if (old && !decision!.deleteBeforeReplace)
        await h.delete(old.outputs[PROVIDER_KEY] as string, old.id, old.outputs);
      id = created.id;
      outs = created.outs;
    }
    const outputs = { ...outs, [PROVIDER_KEY]: provider };
    return { id, outputs, secretOutputs: secretOutputs(outputs) };
  }

  async function register(reg: Registration) {
    const urn = makeUrn(stack, project, reg.parent, reg.type, reg.name);
    seen.add(urn);
    const { plain: inputs, secretKeys } = stripSecrets(reg.object);
    const base = { urn, type: reg.type, name: reg.name, inputs };
    if (!reg.custom) {
      if (reg.type === "pulumi:pulumi:Stack") stackUrn = urn;
      registered.push({ ...base, id: "", outputs: {}, secretOutputs: [] });
      return { urn, id: "", object: reg.object };
    }
    if (!isDynamic(reg.type)) {
      const id = prior.get(urn)?.id ?? `${reg.name}-id`;
      steps.push({ urn, op: prior.has(urn) ? "same" : "create" });
      registered.push({ ...base, id, outputs: inputs, secretOutputs: secretKeys });
      return { urn, id, object: reg.object };
    }
    try {
      const r = await serial(() => dynamicStep(urn, reg, inputs, secretKeys, base));
      registered.push({ ...base, id: r.id, outputs: r.outputs, secretOutputs: r.secretOutputs });
      return { urn, id: r.id, object: remark(r.outputs, r.secretOutputs) };
    } catch (e) {
      failed = true;
      diagnostics.push(`error: ${urn}: ${e instanceof Error ? e.message : String(e)}`);
      const old = prior.get(urn);
      if (old) registered.push(old);
      throw e;
    }
  }

  const monitor = await startMonitor(
    {
      registerResource(reg) {
        registrations.push(reg);
        const p = register(reg);
        pending.push(p.catch(() => undefined));
        return p;
      },
      registerResourceOutputs(urn, outputs) {
        if (urn === stackUrn) stackOutputs = outputs;
        const entry = registered.find((r) => r.urn === urn);
        if (entry) {
          const { plain, secretKeys } = stripSecrets(outputs);
          entry.outputs = plain;
          entry.secretOutputs = secretKeys;
        }
      },
      log: (severity, message, urn) =>
        diagnostics.push(`${severity}: ${urn ? `${urn}: ` : ""}${message.trimEnd()}`),
    },
    { project, stack, dryRun: preview },
  );

  const args = [runEntry, `--monitor=${monitor.address}`, `--engine=${monitor.address}`];
  args.push(`--project=${project}`, `--stack=${stack}`, `--pwd=${programDir}`);
  if (preview) args.push("--dry-run");
  args.push(".");
  const child = spawn(process.execPath, args, {
    cwd: programDir,
    env: {
      ...process.env,
      PULUMI_CONFIG: JSON.stringify(config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(opts.secretKeys ?? []),
      FORCE_COLOR: "0", // plain diagnostics (util.inspect colours otherwise)
      NO_COLOR: "1",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => {
    diagnostics.push(`error: program did not exit within ${opts.timeoutMs ?? 120_000} ms`);
    child.kill("SIGKILL");
  }, opts.timeoutMs ?? 120_000);
  const exitCode = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  clearTimeout(timer);
  await Promise.all(pending);
  await queue;

  let carried = [...prior.values()].filter((r) => !seen.has(r.urn));
  const ok = exitCode === 0 && !failed && !diagnostics.some((d) => d.startsWith("error:"));
  // Like the engine: resources the program no longer declares are deleted, newest first, only after a clean run.
  for (const r of ok ? [...carried].reverse() : []) {
    steps.push({ urn: r.urn, op: "delete" });
    if (preview) continue;
    try {
      if (isDynamic(r.type))
        await (await host.get()).delete(r.outputs[PROVIDER_KEY] as string, r.id, r.outputs);
      carried = carried.filter((c) => c !== r);
    } catch (e) {
      failed = true;
      diagnostics.push(`error: ${r.urn}: ${e instanceof Error ? e.message : String(e)}`);
      break;
    }
  }
  if (exitCode !== 0) diagnostics.push(`error: the program exited with code ${exitCode}`);

  const started = host.started();
  const h = started ? await started.catch(() => undefined) : undefined;
  const hostOutput = h?.stderr() ?? "";
  await h?.close();
  await monitor.close();
  return {
    state: preview ? (opts.priorState ?? []) : [...carried, ...registered],
    outputs: stackOutputs,
    diagnostics,
    ok: ok && !failed,
    steps,
    registrations,
    stdout,
    stderr,
    hostOutput,
  };
}

interface StateOptions {
  programDir: string;
  project: string;
  stack?: string;
  config?: Record<string, string>;
  state: ResourceState[];
  env?: Record<string, string>;
}

/** Reads every dynamic resource back through its provider; resources whose Read answers no id are dropped. */
export async function refresh(opts: StateOptions): Promise<ResourceState[]> {
  const host = lazyHost(opts, opts.config ?? {});
  const result: ResourceState[] = [];
  try {
    for (const r of opts.state) {
      if (!isDynamic(r.type)) {
        result.push(r);
        continue;
      }
      const provider = r.outputs[PROVIDER_KEY] as string;
      const read = await (await host.get()).read(provider, r.id, r.outputs, r.inputs);
      if (!read.id) continue;
      const outputs = { ...read.outs, [PROVIDER_KEY]: provider };
      const inputs =
        Object.keys(read.inputs).length > 0 ? { ...read.inputs, [PROVIDER_KEY]: provider } : r.inputs;
      const secretOutputs = r.secretOutputs.filter((k) => k in outputs);
      result.push({ ...r, id: read.id, inputs, outputs, secretOutputs });
    }
  } finally {
    await (await host.started()?.catch(() => undefined))?.close();
  }
  return result;
}

/** Deletes every dynamic resource, newest first; rejects with the provider's message on the first failure. */
export async function destroy(opts: StateOptions): Promise<void> {
  const host = lazyHost(opts, opts.config ?? {});
  try {
    for (const r of [...opts.state].reverse()) {
      if (!isDynamic(r.type)) continue;
      await (await host.get()).delete(r.outputs[PROVIDER_KEY] as string, r.id, r.outputs);
    }
  } finally {
    await (await host.started()?.catch(() => undefined))?.close();
  }
}
