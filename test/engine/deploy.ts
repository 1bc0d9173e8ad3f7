// `pulumi up` and `pulumi preview` of a whole program: runs it through the real Node runtime (cmd/run) against
// monitor.ts, sends each dynamic resource through ONE real dynamic-provider host (Check, Diff, Create, Update, Read,
// Delete) and, when given policy packs, each resource and then the stack through their real analyzers.
import { spawn } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import { PROVIDER_KEY, pulumiRequire, type ProviderHost } from "../harness/provider-host";
import {
  PolicyConfigError,
  startPolicyPack,
  violations,
  type PolicyPack,
  type PolicyPackOptions,
} from "./analyzer";
import { startMonitor, type ReadRequest, type Registration } from "./monitor";
import { applyDelete, isDynamic, lazyHost, reportHostOutput, type StackOptions } from "./host";
import {
  defaultProvider,
  isProviderResource,
  providerProperties,
  providerReference,
  savedProvider,
} from "./provider-resource";
import { checkFailureMessage, secretFilter } from "./render";
import { remark, stripSecrets } from "./secrets";
import { Journal, pendingOperationsWarning, snapshotOrder, timestamp } from "./journal";
import type { EngineRun, PendingOperation, PolicyViolation, ResourceState, StepOp } from "./types";

type Props = Record<string, unknown>;
const runEntry = pulumiRequire.resolve("./cmd/run");

export interface DeployOptions extends StackOptions {
  secretKeys?: string[];
  priorState?: ResourceState[];
  preview?: boolean;
  /** `pulumi up --skip-preview`. Without it an update previews first and stops there when the preview fails
   * (pkg/cmd/pulumi/operations/up.go: `--yes` does not skip the preview). */
  skipPreview?: boolean;
  policyPacks?: PolicyPackOptions[];
  timeoutMs?: number;
  /** `--show-secrets`: check failures print secret inputs in plaintext (step_generator.go issueCheckFailures). */
  showSecrets?: boolean;
  /** Called with each diagnostic line as it is reported (the same lines as EngineRun.diagnostics). */
  onDiagnostic?: (line: string) => void;
  /** The pending operations of the prior state (an earlier run was interrupted). */
  pendingOperations?: PendingOperation[];
  /**
   * Called (by an update, not a preview) with the state as it stands before and after each provider call, as
   * pkg/backend/snapshot.go SnapshotManager persists every mutation: an operation begun is written as pending first
   * (markOperationPending) and cleared when it ends (markOperationComplete), so a killed run leaves it behind.
   */
  onSnapshot?: (snapshot: { resources: ResourceState[]; pendingOperations: PendingOperation[] }) => void;
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

/**
 * pkg/resource/deploy/step_generator.go processIgnoreChanges, for top-level keys and dotted paths of objects: each
 * ignored path is reset to its old value (removed when the old inputs lack it) before Check and Diff.
 */
function processIgnoreChanges(inputs: Props, oldInputs: Props, ignoreChanges: readonly string[]): Props {
  const result = structuredClone(inputs);
  for (const path of ignoreChanges) {
    const keys = path.split(".");
    let from: unknown = oldInputs;
    let to: Props = result;
    for (const [i, k] of keys.entries()) {
      const last = i === keys.length - 1;
      const oldValue = from !== null && typeof from === "object" ? (from as Props)[k] : undefined;
      if (last) {
        if (oldValue === undefined) delete to[k];
        else to[k] = structuredClone(oldValue);
      } else {
        if (to[k] === null || typeof to[k] !== "object") break;
        to = to[k] as Props;
        from = oldValue;
      }
    }
  }
  return result;
}

/** A step the engine refused before it ran (already reported): result.BailError in the CLI, never printed again. */
class Bail extends Error {}

async function decide(h: ProviderHost, old: ResourceState, checked: Props, dbrOption: boolean | undefined) {
  const d = await h.diff(checked[PROVIDER_KEY] as string, old.id, old.outputs, checked);
  // Like the engine: without an answer from the provider, compare old and new inputs itself.
  const changes =
    d.changes === "unknown" ? (isDeepStrictEqual(old.inputs, checked) ? "none" : "some") : d.changes;
  const diffs = changedKeys(old.inputs, checked);
  if (changes === "none") return { op: "same" as StepOp, diffs: [], deleteBeforeReplace: false };
  // step_generator.go: the program's deleteBeforeReplace, when set, overrides the provider's answer.
  if (d.replaces.length > 0)
    return { op: "replace" as StepOp, diffs, deleteBeforeReplace: dbrOption ?? d.deleteBeforeReplace };
  return { op: "update" as StepOp, diffs, deleteBeforeReplace: false };
}

/**
 * `pulumi up --yes` (or, with `preview: true`, `pulumi preview`) of the program; returns the new state. An update
 * previews first unless `skipPreview` is set, as the CLI's `up` does, and returns that failed preview when it fails.
 */
export async function deploy(opts: DeployOptions): Promise<EngineRun> {
  if (opts.preview || opts.skipPreview) return deployOnce(opts);
  const preview = await deployOnce({ ...opts, preview: true });
  if (!preview.ok) return { ...preview, preview };
  return { ...(await deployOnce(opts)), preview };
}

async function deployOnce(opts: DeployOptions): Promise<EngineRun> {
  const { project, stack, preview = false } = opts;
  const priorState = opts.priorState ?? [];
  // Old resources by URN; the ones marked `delete` (failed deletes of replaced resources) are only deleted.
  const prior = new Map(priorState.filter((r) => !r.delete && !isProviderResource(r)).map((r) => [r.urn, r]));
  const pendingDeletes = priorState.filter((r) => r.delete);
  const host = lazyHost(opts);
  const config = opts.config ?? {};
  const secretKeys = opts.secretKeys ?? [];
  const provider = defaultProvider(stack, project, config, secretKeys, savedProvider(priorState));
  const filter = secretFilter(secretKeys.map((k) => config[k]).filter((v) => v !== undefined));
  const registered: ResourceState[] = [];
  const replaced: ResourceState[] = [];
  const seen = new Set<string>();
  const steps: EngineRun["steps"] = [];
  const registrations: Registration[] = [];
  const diagnostics: string[] = [];
  const found: PolicyViolation[] = [];
  const pending: Promise<unknown>[] = [];
  let failed = false;
  let bailed = false;
  let usesProvider = false;
  let stackUrn = "";
  let stackOutputs: Props = {};
  let packs: PolicyPack[] = [];
  let deleting: { deletes: ResourceState[]; carried: ResourceState[] } | undefined;

  /** The resources as the snapshot has them now: new ones, then old ones not yet done. */
  function snapshotResources(): ResourceState[] {
    if (deleting) return finalResources(deleting.deletes, deleting.carried);
    const done = new Set(registered.map((r) => r.urn));
    const providers = usesProvider ? [provider] : priorState.filter(isProviderResource);
    const olds = [...prior.values()].filter((r) => !done.has(r.urn));
    return snapshotOrder([...providers, ...registered, ...replaced, ...pendingDeletes, ...olds]);
  }

  function finalResources(deletes: ResourceState[], carried: ResourceState[]): ResourceState[] {
    // An unused default provider is deleted with the last resource that used it.
    const stillUsed = [...deletes, ...carried].some((r) => isDynamic(r.type));
    const keptProvider = usesProvider
      ? [provider]
      : priorState.filter((r) => isProviderResource(r) && stillUsed);
    return snapshotOrder([...keptProvider, ...registered, ...deletes, ...carried]);
  }

  const journal = new Journal(
    opts.pendingOperations,
    preview ? undefined : opts.onSnapshot,
    snapshotResources,
  );
  const persist = () => journal.persist();
  const pendingStep = journal.pending.bind(journal);

  /** A diagnostic as the CLI displays it: every line through the secure-config filter (pkg/engine/events.go). */
  function report(severity: string, urn: string, message: string) {
    const line = filter(`${severity}: ${urn ? `${urn}: ` : ""}${message}`);
    diagnostics.push(line);
    opts.onDiagnostic?.(line);
  }

  /**
   * Runs every pack on one resource (or, with an array, on the stack). Returns whether a mandatory violation makes
   * it invalid: pkg/resource/deploy/step_generator.go analyzeAll is invalid on a mandatory violation only outside a
   * preview; in a preview the violation fails the run at its end (sawError) after every step was planned.
   */
  async function analyze(
    subject: Parameters<PolicyPack["analyze"]>[0] | Parameters<PolicyPack["analyzeStack"]>[0],
  ): Promise<boolean> {
    const results = await Promise.all(
      packs.map(async (p) =>
        violations(
          p.name,
          Array.isArray(subject)
            ? await p.analyzeStack(subject)
            : (await p.analyze(subject)).map((d) => ({ ...d, urn: d.urn || subject.urn })),
        ),
      ),
    ).catch((error: unknown) => {
      // An analyzer that fails (its RPC answers an error, e.g. a policy threw): the first error, as the status message
      // (rpcerror.Convert), ends the run. step_generator.go analyzeAll wraps it ("failed to run policy: ..."), and
      // deployment_executor.go reports it once with the resource's URN and cancels; AnalyzeResources (the stack)
      // returns it bare, reported without a URN.
      const message = (error as { details?: string }).details ?? String(error);
      failed = true;
      if (Array.isArray(subject)) report("error", "", message);
      else {
        report("error", subject.urn, `failed to run policy: ${message}`);
        bailed = true;
      }
      throw new Bail(`analyzing ${Array.isArray(subject) ? "the stack" : subject.urn} failed`);
    });
    const vs = results.flat().map((v) => ({ ...v, message: filter(v.message) }));
    found.push(...vs);
    // Advisory violations are listed with the policies, not as diagnostics.
    for (const v of vs.filter((x) => x.level === "mandatory"))
      report("error", v.urn, `mandatory policy violation: [${v.pack}] ${v.policyName}: ${v.message}`);
    if (vs.some((v) => v.level === "mandatory")) failed = true;
    return vs.some((v) => v.level === "mandatory") && !preview;
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
    const providerText = stripSecrets(reg.object).plain[PROVIDER_KEY];
    return {
      urn,
      type: reg.type,
      name: reg.name,
      id: read.id,
      inputs: { ...read.inputs, [PROVIDER_KEY]: providerText },
      outputs: { ...read.outs, [PROVIDER_KEY]: providerText },
      secretInputs: [],
      secretOutputs: [],
    };
  }

  let generating: Promise<unknown> = Promise.resolve();
  function serially<T>(f: () => Promise<T>): Promise<T> {
    const p = generating.then(f);
    generating = p.catch(() => undefined);
    return p;
  }

  /** Stops here when an earlier resource made the run bail (the CLI cancels the deployment: no further steps). */
  function checkNotBailed() {
    if (bailed) throw new Bail("the deployment was canceled: an earlier resource is invalid");
  }

  async function dynamicStep(urn: string, reg: Registration, programInputs: Props, secretInputs: string[]) {
    const h = await host.get();
    usesProvider = true;
    const providerText = programInputs[PROVIDER_KEY] as string;
    // The step generator handles one registration at a time (pkg/resource/deploy/deployment_executor.go
    // handleSingleEvent); only the steps it issues run in parallel.
    const { old, checked, decision, op } = await serially(async () => {
      checkNotBailed();
      const importing = !prior.has(urn) && reg.importId !== "";
      const old = importing ? await importOld(h, urn, reg) : prior.get(urn);
      // step_generator.go continueStepsFromImport: ignoreChanges resets inputs to the old ones before Check and Diff.
      const goal = old
        ? processIgnoreChanges(reg.object, remark(old.inputs, old.secretInputs), reg.ignoreChanges)
        : reg.object;
      const inputs = stripSecrets(goal).plain;
      const check = await h.check(providerText, old && !old.external ? old.inputs : {}, inputs);
      // issueCheckFailures: each failure printed with the program's input value (secrets redacted), then analyzers
      // still run on the checked inputs (analyzeAll comes before the `if invalid` test), then the resource bails.
      for (const f of check.failures)
        report(
          "error",
          urn,
          checkFailureMessage(reg.type, urn.split("::").at(-1)!, goal, f, opts.showSecrets),
        );
      let invalid = check.failures.length > 0;
      const checked = { ...check.inputs, [PROVIDER_KEY]: providerText };
      const { [PROVIDER_KEY]: _p, ...properties } = remark(checked, secretInputs);
      invalid =
        (await analyze({ urn, type: reg.type, name: reg.name, properties, provider: providerAnalyzed() })) ||
        invalid;
      if (invalid) {
        failed = true;
        bailed = true;
        throw new Bail(`resource ${urn} is invalid`);
      }
      checkNotBailed();
      const decision = old ? await decide(h, old, checked, reg.deleteBeforeReplace) : undefined;
      const op = decision?.op ?? "create";
      // step_generator.go: replacing a resource protected before and now is an error; an update bails at once.
      if (op === "replace" && old?.protect && reg.protect) {
        report(
          "error",
          urn,
          `unable to replace resource ${JSON.stringify(urn)}\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``,
        );
        failed = true;
        if (!preview) {
          bailed = true;
          throw new Bail(`resource ${urn} is protected`);
        }
      }
      if (!(importing && op === "same"))
        steps.push({ urn, op, ...(decision?.diffs.length ? { diffs: decision.diffs } : {}) });
      return { old, checked, decision, op };
    });
    /** The new state the step starts from (step.New()): the checked inputs, no outputs yet. */
    const newState = (): ResourceState => ({
      ...registrationState(urn, reg, secretInputs),
      id: "",
      inputs: checked,
      outputs: {},
      secretOutputs: [],
      provider: providerReference(provider),
    });
    const secretOutputs = (outs: Props) =>
      Object.keys(outs).filter((k) => secretInputs.includes(k) || reg.additionalSecretOutputs.includes(k));
    let id = old?.id ?? "";
    let outs: Props;
    checkNotBailed();
    if (preview) {
      // Check and Diff only: answer with the checked inputs; missing outputs stay unknown in the program.
      outs = op === "same" ? old!.outputs : checked;
      if (op === "create" || op === "replace") id = "";
    } else if (op === "same") {
      outs = old!.outputs;
    } else if (op === "update") {
      const pending = { ...newState(), id: old!.id };
      outs = (
        await pendingStep("updating", pending, () => h.update(providerText, old!.id, old!.outputs, checked))
      ).outs;
    } else {
      // step_generator.go: delete-before-replace deletes the old resource first; otherwise the replacement is
      // created and the old resource, marked `delete`, is deleted after every create and update (GenerateDeletes).
      if (old && decision!.deleteBeforeReplace) {
        await pendingStep("deleting", old, () => applyDelete(host, old, true));
        prior.delete(urn);
        persist();
      }
      const created = await pendingStep("creating", newState(), () => h.create(providerText, checked));
      if (old && !decision!.deleteBeforeReplace) replaced.push({ ...old, delete: true });
      id = created.id;
      outs = created.outs;
    }
    const outputs = { ...outs, [PROVIDER_KEY]: providerText };
    // step.go: CreateStep.Apply sets Created and Modified, UpdateStep.Apply Modified; a SameStep keeps the old ones.
    const now = timestamp();
    const times =
      op === "create" || op === "replace"
        ? { created: now, modified: now }
        : { created: old?.created, modified: op === "update" ? now : old?.modified };
    return { id, inputs: checked, outputs, secretOutputs: secretOutputs(outputs), ...times };
  }

  const providerAnalyzed = () => ({
    urn: provider.urn,
    type: provider.type,
    name: provider.name,
    properties: providerProperties(provider),
  });

  async function register(reg: Registration) {
    const urn = makeUrn(stack, project, reg.parent, reg.type, reg.name);
    seen.add(urn);
    const { plain: inputs, secretKeys: secretInputs } = stripSecrets(reg.object);
    const base = registrationState(urn, reg, secretInputs);
    try {
      const reason = unsupported(reg);
      if (reason) throw new Error(reason);
      if (!reg.custom) {
        if (reg.type === "pulumi:pulumi:Stack") stackUrn = urn;
        const old = prior.get(urn);
        const now = timestamp();
        const times = { created: old?.created ?? now, modified: old?.modified ?? now };
        registered.push({ ...base, id: "", inputs, outputs: {}, secretOutputs: [], ...times });
        return { urn, id: "", object: reg.object };
      }
      checkNotBailed();
      const r = await dynamicStep(urn, reg, inputs, secretInputs);
      const options = {
        ...(reg.protect ? { protect: true } : {}),
        ...(reg.retainOnDelete ? { retainOnDelete: true } : {}),
      };
      registered.push({ ...base, ...r, ...options, provider: providerReference(provider) });
      persist();
      return { urn, id: r.id, object: remark(r.outputs, r.secretOutputs) };
    } catch (e) {
      failed = true;
      if (!(e instanceof Bail)) stepFailed(urn, e);
      const old = prior.get(urn);
      if (old) registered.push(old);
      persist();
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
      const providerText = plain[PROVIDER_KEY] as string;
      usesProvider = true;
      const r = await (await host.get()).read(providerText, req.id, {}, plain);
      if (!r.id) throw new Error(`resource '${req.id}' does not exist`);
      steps.push({ urn, op: "read" });
      const outputs = { ...r.outs, [PROVIDER_KEY]: providerText };
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
        custom: true,
        ...(req.parent ? { parent: req.parent } : {}),
        provider: providerReference(provider),
      });
      return { urn, properties: remark(outputs, secretOutputs) };
    } catch (e) {
      failed = true;
      stepFailed(urn, e);
      throw e;
    }
  }

  /**
   * A provider call that failed: in a preview "Preview failed: <error>" (sdk/go/common/diag/errors.go, 2005), and the
   * deployment is canceled, so the program's own failure that follows is not shown (deployment_executor.go).
   */
  function stepFailed(urn: string, e: unknown) {
    const message = e instanceof Error ? e.message : String(e);
    report("error", urn, preview ? `Preview failed: ${message}` : message);
    bailed = true;
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
          const { plain, secretKeys: keys } = stripSecrets(outputs);
          entry.outputs = plain;
          entry.secretOutputs = keys;
        }
      },
      // After a bail the CLI has canceled the program: what it logs then is not shown.
      log: (severity, message, urn) => {
        if (!bailed) report(severity, urn, message.trimEnd());
      },
    },
    { project, stack, dryRun: preview },
  );
  // pkg/engine/update.go loadPolicyPlugins: the packs start (and their config is reconciled and validated) before
  // the program runs; any failure stops the run there.
  const started = await Promise.allSettled(
    (opts.policyPacks ?? []).map((p) => startPolicyPack(p, monitor.address)),
  );
  packs = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const packErrors = started.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (packErrors.length > 0) {
    for (const p of packs) p.close();
    // update.go: each validation error is printed as a diagnostic, then "validating policy config" is the
    // command's error; any other load failure (an enforcement level that does not parse) is only that error.
    for (const e of packErrors)
      if (e instanceof PolicyConfigError) for (const line of e.lines) report("error", "", line);
    const first = packErrors[0];
    await monitor.close();
    const hostOutput = await host.close();
    return {
      state: priorState,
      pendingOperations: opts.pendingOperations ?? [],
      outputs: {},
      diagnostics,
      violations: [],
      ok: false,
      error:
        first instanceof PolicyConfigError
          ? "validating policy config"
          : first instanceof Error
            ? first.message
            : String(first),
      steps,
      registrations,
      stdout: "",
      stderr: "",
      hostOutput,
    };
  }

  if (!preview && opts.pendingOperations?.length)
    report("warning", "", pendingOperationsWarning(opts.pendingOperations));
  const program = await runProgram(opts, monitor.address, diagnostics);
  await Promise.all(pending);

  // The default provider is in the new state once a dynamic resource used it (step_generator.go registers default
  // providers on first use).
  const providerStates = usesProvider ? [provider] : [];
  const errored = () =>
    program.exitCode !== 0 || bailed || diagnostics.some((d) => d.startsWith("error:") && !isPolicy(d));

  let carried = [...prior.values()].filter((r) => !seen.has(r.urn));
  let deletes = [...replaced, ...pendingDeletes];
  // step_generator.go GenerateDeletes/ScheduleDeletes: once the program finished without error, the old resources
  // of replacements, the pending deletes of earlier runs and the resources no longer declared are deleted, newest
  // first; a failed delete keeps its resource (a replaced one stays marked `delete: true`) and stops the run.
  if (!errored() && (preview || !failed)) {
    const toDelete = [...deletes, ...[...carried].reverse()];
    deleting = { deletes, carried };
    for (const r of toDelete) {
      // The old resource of this run's replacement is part of its `replace` step, not a step of its own.
      if (!r.external && !replaced.includes(r)) steps.push({ urn: r.urn, op: "delete" });
      if (preview) continue;
      try {
        await pendingStep("deleting", r, () => applyDelete(host, r, r.delete === true));
        carried = carried.filter((c) => c !== r);
        deletes = deletes.filter((c) => c !== r);
        deleting = { deletes, carried };
        persist();
      } catch (e) {
        failed = true;
        report("error", r.urn, e instanceof Error ? e.message : String(e));
        persist();
        break;
      }
    }
  }
  // deployment_executor.go Execute: AnalyzeResources (the stack policies, on every new resource's outputs) runs
  // after every step, performPostSteps' deletes included, when they ran without error, even when a preview already
  // saw a mandatory violation; so a mandatory stack violation fails an `up` whose deletes are done.
  if (!errored() && packs.length) {
    const analyzed = [...providerStates, ...registered].map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      properties: withoutProviderKey(remark(r.outputs, r.secretOutputs)),
      ...(isDynamic(r.type) ? { provider: providerAnalyzed() } : {}),
    }));
    await analyze(analyzed).catch((e: unknown) => {
      if (!(e instanceof Bail)) throw e;
    });
  }
  for (const p of packs) p.close();
  if (program.exitCode !== 0 && !bailed)
    report("error", "", `the program exited with code ${program.exitCode}`);

  const hostOutput = await host.close();
  reportHostOutput(hostOutput, report);
  await monitor.close();
  const ok = !errored() && !failed;
  return {
    state: preview ? priorState : finalResources(deletes, carried),
    pendingOperations: preview ? (opts.pendingOperations ?? []) : journal.kept,
    outputs: stackOutputs,
    diagnostics,
    violations: found,
    ok,
    steps,
    registrations,
    stdout: program.stdout,
    stderr: program.stderr,
    hostOutput,
    policyPacks: packs.map((p) => ({ name: p.name, version: p.info.getVersion() })),
  };
}

/** What the state records of a registration besides its values (ResourceV3's custom, parent, dependencies...). */
function registrationState(urn: string, reg: Registration, secretInputs: string[]) {
  return {
    urn,
    type: reg.type,
    name: reg.name,
    secretInputs,
    custom: reg.custom,
    ...(reg.parent ? { parent: reg.parent } : {}),
    dependencies: reg.dependencies,
    propertyDependencies: reg.propertyDependencies,
    additionalSecretOutputs: reg.additionalSecretOutputs,
  };
}

const isPolicy = (line: string) => line.includes("policy violation: [");

function withoutProviderKey(props: Props): Props {
  const { [PROVIDER_KEY]: _p, ...rest } = props;
  return rest;
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
