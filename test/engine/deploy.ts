// `pulumi up` and `pulumi preview` of a whole program: runs it through the real Node runtime (cmd/run) against
// monitor.ts, sends each dynamic resource through ONE real dynamic-provider host (Check, Diff, Create, Update, Read,
// Delete) and, when given policy packs, each resource and then the stack through their real analyzers.
import { spawn } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import { PROVIDER_KEY, pulumiRequire, type ProviderHost } from "../harness/provider-host";
import { startPolicyPack, violations, type PolicyPack, type PolicyPackOptions } from "./analyzer";
import { startMonitor, type ReadRequest, type Registration } from "./monitor";
import { deleteResource, isDynamic, lazyHost, type StackOptions } from "./host";
import { remark, stripSecrets } from "./secrets";
import type { EngineRun, PolicyViolation, ResourceState, StepOp } from "./types";

type Props = Record<string, unknown>;
const runEntry = pulumiRequire.resolve("./cmd/run");

export interface DeployOptions extends StackOptions {
  secretKeys?: string[];
  priorState?: ResourceState[];
  preview?: boolean;
  policyPacks?: PolicyPackOptions[];
  timeoutMs?: number;
}

function makeUrn(stack: string, project: string, parent: string, type: string, name: string): string {
  const parentType = parent ? (parent.split("::")[2] ?? "") : "";
  const qualified = !parentType || parentType === "pulumi:pulumi:Stack" ? type : `${parentType}$${type}`;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** Why the test engine cannot run a registration, or undefined when it can. */
function unsupported(reg: Registration): string | undefined {
  const cli = "run this program with the Pulumi CLI";
  if (reg.remote) return `${reg.type} is a multi-language component, which needs its provider plugin: ${cli}`;
  if (reg.type.startsWith("pulumi:providers:"))
    return `${reg.type} is a provider resource, which needs its plugin: ${cli}`;
  if (reg.custom && !isDynamic(reg.type))
    return `${reg.type} needs its provider plugin; the test engine runs dynamic resources only: ${cli}`;
  return undefined;
}

const changedKeys = (a: Props, b: Props) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => k !== PROVIDER_KEY && !isDeepStrictEqual(a[k], b[k]))
    .sort();

async function decide(h: ProviderHost, old: ResourceState, checked: Props, dbrOption: boolean) {
  const d = await h.diff(checked[PROVIDER_KEY] as string, old.id, old.outputs, checked);
  // Like the engine: without an answer from the provider, compare old and new inputs itself.
  const changes =
    d.changes === "unknown" ? (isDeepStrictEqual(old.inputs, checked) ? "none" : "some") : d.changes;
  const diffs = changedKeys(old.inputs, checked);
  if (changes === "none") return { op: "same" as StepOp, diffs: [], deleteBeforeReplace: false };
  if (d.replaces.length > 0)
    return { op: "replace" as StepOp, diffs, deleteBeforeReplace: d.deleteBeforeReplace || dbrOption };
  return { op: "update" as StepOp, diffs, deleteBeforeReplace: false };
}

/** Runs the program once (an update, or a preview with `preview: true`) and returns the new state. */
export async function deploy(opts: DeployOptions): Promise<EngineRun> {
  const { project, stack, preview = false } = opts;
  const prior = new Map((opts.priorState ?? []).map((r) => [r.urn, r]));
  const host = lazyHost(opts);
  const registered: ResourceState[] = [];
  const seen = new Set<string>();
  const steps: EngineRun["steps"] = [];
  const registrations: Registration[] = [];
  const diagnostics: string[] = [];
  const found: PolicyViolation[] = [];
  const pending: Promise<unknown>[] = [];
  let failed = false;
  let stackUrn = "";
  let stackOutputs: Props = {};
  let packs: PolicyPack[] = [];

  /** Runs every pack on one resource (or, with an array, on the stack); a mandatory violation throws. */
  async function analyze(
    subject: Parameters<PolicyPack["analyze"]>[0] | Parameters<PolicyPack["analyzeStack"]>[0],
  ) {
    const results = await Promise.all(
      packs.map(async (p) =>
        violations(
          p.name,
          Array.isArray(subject)
            ? await p.analyzeStack(subject)
            : (await p.analyze(subject)).map((d) => ({ ...d, urn: d.urn || subject.urn })),
        ),
      ),
    );
    const vs = results.flat();
    found.push(...vs);
    const mandatory = vs.filter((v) => v.level === "mandatory");
    if (mandatory.length)
      throw new Error(
        mandatory
          .map((v) => `mandatory policy violation: [${v.pack}] ${v.policyName}: ${v.message}`)
          .join("\n"),
      );
  }

  /**
   * The `import` resource option on a resource not in the state, as the engine does it (pulumi/pulumi#19339):
   * Read with the id only, neither properties nor inputs; the answer becomes the old state that the program's
   * inputs are then checked and diffed against.
   */
  async function importOld(h: ProviderHost, urn: string, reg: Registration): Promise<ResourceState> {
    steps.push({ urn, op: "import" });
    const read = await h.importRead(reg.importId);
    if (!read.id) throw new Error(`resource '${reg.importId}' does not exist`);
    const provider = stripSecrets(reg.object).plain[PROVIDER_KEY];
    return {
      urn,
      type: reg.type,
      name: reg.name,
      id: read.id,
      inputs: { ...read.inputs, [PROVIDER_KEY]: provider },
      outputs: { ...read.outs, [PROVIDER_KEY]: provider },
      secretInputs: [],
      secretOutputs: [],
    };
  }

  async function dynamicStep(urn: string, reg: Registration, inputs: Props, secretKeys: string[]) {
    const h = await host.get();
    const provider = inputs[PROVIDER_KEY] as string;
    const importing = !prior.has(urn) && reg.importId !== "";
    const old = importing ? await importOld(h, urn, reg) : prior.get(urn);
    const check = await h.check(provider, old?.inputs ?? {}, inputs);
    if (check.failures.length > 0)
      throw new Error(check.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
    const checked = { ...check.inputs, [PROVIDER_KEY]: provider };
    const secretOutputs = (outs: Props) =>
      Object.keys(outs).filter((k) => secretKeys.includes(k) || reg.additionalSecretOutputs.includes(k));
    const decision = old ? await decide(h, old, checked, reg.deleteBeforeReplace) : undefined;
    const op = decision?.op ?? "create";
    if (!(importing && op === "same"))
      steps.push({ urn, op, ...(decision?.diffs.length ? { diffs: decision.diffs } : {}) });
    // The step is planned (and shown) either way; a mandatory violation stops it before it runs.
    const { [PROVIDER_KEY]: _p, ...properties } = remark(checked, secretKeys);
    await analyze({ urn, type: reg.type, name: reg.name, properties });
    let id = old?.id ?? "";
    let outs: Props;
    if (preview) {
      // Check and Diff only: answer with the checked inputs; missing outputs stay unknown in the program.
      outs = op === "same" ? old!.outputs : checked;
      if (op === "create" || op === "replace") id = "";
    } else if (op === "same") {
      outs = old!.outputs;
    } else if (op === "update") {
      outs = (await h.update(provider, old!.id, old!.outputs, checked)).outs;
    } else {
      if (old && decision!.deleteBeforeReplace) await deleteResource(h, old);
      const created = await h.create(provider, checked);
      if (old && !decision!.deleteBeforeReplace) await deleteResource(h, old);
      id = created.id;
      outs = created.outs;
    }
    const outputs = { ...outs, [PROVIDER_KEY]: provider };
    return { id, inputs: checked, outputs, secretOutputs: secretOutputs(outputs) };
  }

  async function register(reg: Registration) {
    const urn = makeUrn(stack, project, reg.parent, reg.type, reg.name);
    seen.add(urn);
    const { plain: inputs, secretKeys } = stripSecrets(reg.object);
    const base = { urn, type: reg.type, name: reg.name, secretInputs: secretKeys };
    try {
      const reason = unsupported(reg);
      if (reason) throw new Error(reason);
      if (!reg.custom) {
        if (reg.type === "pulumi:pulumi:Stack") stackUrn = urn;
        registered.push({ ...base, id: "", inputs, outputs: {}, secretOutputs: [] });
        return { urn, id: "", object: reg.object };
      }
      const r = await dynamicStep(urn, reg, inputs, secretKeys);
      registered.push({ ...base, ...r });
      return { urn, id: r.id, object: remark(r.outputs, r.secretOutputs) };
    } catch (e) {
      failed = true;
      diagnostics.push(`error: ${urn}: ${e instanceof Error ? e.message : String(e)}`);
      const old = prior.get(urn);
      if (old) registered.push(old);
      throw e;
    }
  }

  /** `Resource.get`: a Read by id with the program's inputs; kept in the state as external (never deleted). */
  async function read(req: ReadRequest) {
    const urn = makeUrn(stack, project, req.parent, req.type, req.name);
    seen.add(urn);
    try {
      if (!isDynamic(req.type))
        throw new Error(
          `${req.type} needs its provider plugin to be read; run this program with the Pulumi CLI`,
        );
      const { plain, secretKeys } = stripSecrets(req.properties);
      const provider = plain[PROVIDER_KEY] as string;
      const r = await (await host.get()).read(provider, req.id, {}, plain);
      if (!r.id) throw new Error(`resource '${req.id}' does not exist`);
      steps.push({ urn, op: "read" });
      const outputs = { ...r.outs, [PROVIDER_KEY]: provider };
      const secretOutputs = Object.keys(outputs).filter((k) => secretKeys.includes(k));
      const { [PROVIDER_KEY]: _p, ...inputs } = r.inputs;
      registered.push({
        urn,
        type: req.type,
        name: req.name,
        id: r.id,
        inputs,
        outputs,
        secretInputs: secretKeys,
        secretOutputs,
        external: true,
      });
      return { urn, properties: remark(outputs, secretOutputs) };
    } catch (e) {
      failed = true;
      diagnostics.push(`error: ${urn}: ${e instanceof Error ? e.message : String(e)}`);
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
      readResource(req) {
        const p = read(req);
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
  packs = await Promise.all((opts.policyPacks ?? []).map((p) => startPolicyPack(p, monitor.address)));

  const program = await runProgram(opts, monitor.address, diagnostics);
  await Promise.all(pending);

  const ok = () => program.exitCode === 0 && !failed && !diagnostics.some((d) => d.startsWith("error:"));
  if (ok() && packs.length) {
    const custom = registered.filter((r) => isDynamic(r.type));
    await analyze(
      custom.map((r) => {
        const { [PROVIDER_KEY]: _p, ...properties } = remark(r.outputs, r.secretOutputs);
        return { urn: r.urn, type: r.type, name: r.name, properties };
      }),
    ).catch((e: unknown) => {
      failed = true;
      diagnostics.push(`error: ${stackUrn}: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
  for (const p of packs) p.close();

  let carried = [...prior.values()].filter((r) => !seen.has(r.urn));
  // Like the engine: resources the program no longer declares are deleted, newest first, only after a clean run.
  for (const r of ok() ? [...carried].reverse() : []) {
    if (r.external) {
      carried = carried.filter((c) => c !== r);
      continue;
    }
    steps.push({ urn: r.urn, op: "delete" });
    if (preview) continue;
    try {
      if (isDynamic(r.type)) await deleteResource(await host.get(), r);
      carried = carried.filter((c) => c !== r);
    } catch (e) {
      failed = true;
      diagnostics.push(`error: ${r.urn}: ${e instanceof Error ? e.message : String(e)}`);
      break;
    }
  }
  if (program.exitCode !== 0) diagnostics.push(`error: the program exited with code ${program.exitCode}`);

  const hostOutput = await host.close();
  await monitor.close();
  return {
    state: preview ? (opts.priorState ?? []) : [...carried, ...registered],
    outputs: stackOutputs,
    diagnostics,
    violations: found,
    ok: ok(),
    steps,
    registrations,
    stdout: program.stdout,
    stderr: program.stderr,
    hostOutput,
    policyPacks: packs.map((p) => ({ name: p.name, version: p.info.getVersion() })),
  };
}

/** `node cmd/run` on the program, as the Pulumi CLI's Node language host starts it. */
async function runProgram(opts: DeployOptions, address: string, diagnostics: string[]) {
  const args = [runEntry, `--monitor=${address}`, `--engine=${address}`];
  args.push(`--project=${opts.project}`, `--stack=${opts.stack}`, `--pwd=${opts.programDir}`);
  if (opts.preview) args.push("--dry-run");
  args.push(".");
  const child = spawn(process.execPath, args, {
    cwd: opts.programDir,
    env: {
      ...process.env,
      PULUMI_CONFIG: JSON.stringify(opts.config ?? {}),
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
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const timer = setTimeout(() => {
    diagnostics.push(`error: program did not exit within ${timeoutMs} ms`);
    child.kill("SIGKILL");
  }, timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  clearTimeout(timer);
  return { exitCode, stdout, stderr };
}
