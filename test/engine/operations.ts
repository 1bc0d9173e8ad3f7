// `pulumi refresh` and `pulumi destroy` on a stack's state, through the real dynamic-provider host.
import { isDeepStrictEqual } from "node:util";
import { PROVIDER_KEY } from "../harness/provider-host";
import { applyDelete, isDynamic, lazyHost, reportHostOutput, type StackOptions } from "./host";
import { defaultProvider, providerConfig, savedProvider } from "./provider-resource";
import type { PendingOperation, ResourceState } from "./types";

export interface StateOperationOptions extends StackOptions {
  state: ResourceState[];
  /**
   * `--run-program`: the provider is configured with the current config (`config`), as the program's registration
   * of the default provider would give it. Without it, with the config saved as the provider's inputs at the last
   * `up` (`config` is used only for a state without a provider resource). The program itself is not run.
   */
  runProgram?: boolean;
  /** The config keys that are secret (for the default provider a `destroy --run-program` records). */
  secretKeys?: readonly string[];
  /** As DeployOptions.onSnapshot: the state with each delete pending before its provider call, and after it. */
  onSnapshot?: (snapshot: { resources: ResourceState[]; pendingOperations: PendingOperation[] }) => void;
}

/** The provider host, configured as the CLI configures a provider rebuilt from the state (provider-resource.ts). */
const hostFor = (opts: StateOperationOptions) =>
  lazyHost({ ...opts, config: providerConfig(opts.state, opts.config, opts.runProgram === true) });

/** What a refresh found for one resource: unchanged, changed outside Pulumi (with the outputs that differ), gone. */
export interface Drift {
  urn: string;
  op: "same" | "update" | "delete";
  diffs: string[];
}

export interface OperationResult {
  state: ResourceState[];
  ok: boolean;
  diagnostics: string[];
  hostOutput: string;
}

/**
 * Reads every dynamic resource back through its provider; resources whose Read answers no id are dropped. Every
 * read runs, a failed one keeping its old state (the engine refreshes all resources and reports each failure); a
 * refreshed resource loses its propertyDependencies, as the real CLI v3.276.0 writes it after any refresh.
 */
export async function refresh(opts: StateOperationOptions): Promise<OperationResult & { drift: Drift[] }> {
  const host = hostFor(opts);
  const state: ResourceState[] = [];
  const drift: Drift[] = [];
  const diagnostics: string[] = [];
  for (const r of opts.state) {
    if (!isDynamic(r.type)) {
      state.push(r);
      continue;
    }
    try {
      const provider = r.outputs[PROVIDER_KEY] as string;
      const read = await (await host.get()).read(provider, r.id, r.outputs, r.inputs);
      if (!read.id) {
        drift.push({ urn: r.urn, op: "delete", diffs: [] });
        continue;
      }
      const outputs: Record<string, unknown> = { ...read.outs, [PROVIDER_KEY]: provider };
      const inputs =
        Object.keys(read.inputs).length > 0 ? { ...read.inputs, [PROVIDER_KEY]: provider } : r.inputs;
      const diffs = [...new Set([...Object.keys(r.outputs), ...Object.keys(outputs)])]
        .filter((k) => !isDeepStrictEqual(r.outputs[k], outputs[k]))
        .sort();
      drift.push({ urn: r.urn, op: diffs.length ? "update" : "same", diffs });
      const secretOutputs = r.secretOutputs.filter((k) => k in outputs);
      const { propertyDependencies: _dropped, ...kept } = r;
      state.push({ ...kept, id: read.id, inputs, outputs, secretOutputs });
    } catch (e) {
      diagnostics.push(`error: ${r.urn}: ${e instanceof Error ? e.message : String(e)}`);
      state.push(r); // like the engine: a failed refresh keeps what it could not read
    }
  }
  const hostOutput = await host.close();
  reportHostOutput(hostOutput, (severity, _urn, line) => diagnostics.push(`${severity}: ${line}`));
  return { state, drift, ok: !diagnostics.some((d) => d.startsWith("error:")), diagnostics, hostOutput };
}

/** Deletes every resource, newest first (external and retainOnDelete ones are only forgotten, the provider resource
 * last as it was recorded first); stops at the first failure. */
export async function destroy(opts: StateOperationOptions): Promise<OperationResult & { deleted: string[] }> {
  const host = hostFor(opts);
  // With --run-program the program registers the default provider with the current config, and that step is saved
  // before any delete: a destroy that then fails leaves the new config as the saved one (what the real CLI v3.276.0
  // does; pkg/engine/destroy.go runs the program's registrations through the deployment executor).
  const saved = savedProvider(opts.state);
  let state =
    opts.runProgram && saved && opts.config
      ? opts.state.map((r) =>
          r === saved
            ? defaultProvider(opts.stack, opts.project, opts.config!, opts.secretKeys ?? [], saved)
            : r,
        )
      : [...opts.state];
  const deleted: string[] = [];
  const diagnostics: string[] = [];
  // The deletes run in reverse dependency order, each when nothing left in the state needs it: a failed delete
  // stops only what depends on it (its parent, its dependencies, its provider), the others go on
  // (pkg/resource/deploy/step_executor.go runs independent steps in parallel and reports each failure).
  const needed = (r: ResourceState) =>
    state.some(
      (s) =>
        s !== r &&
        (s.parent === r.urn ||
          s.dependencies?.includes(r.urn) ||
          (s.provider !== undefined && s.provider.startsWith(`${r.urn}::`))),
    );
  for (const r of [...state].reverse()) {
    if (needed(r)) continue;
    try {
      // pkg/backend/snapshot.go doDelete: the delete is pending in the state while the provider runs it.
      opts.onSnapshot?.({ resources: state, pendingOperations: [{ type: "deleting", resource: r }] });
      // step.go DeleteStep.Apply: protect refuses, external and retainOnDelete only forget.
      await applyDelete(host, r, false);
      if (isDynamic(r.type) && !r.external) deleted.push(r.urn);
      state = state.filter((s) => s !== r);
    } catch (e) {
      diagnostics.push(`error: ${r.urn}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      opts.onSnapshot?.({ resources: state, pendingOperations: [] });
    }
  }
  const hostOutput = await host.close();
  reportHostOutput(hostOutput, (severity, _urn, line) => diagnostics.push(`${severity}: ${line}`));
  return { state, deleted, ok: !diagnostics.some((d) => d.startsWith("error:")), diagnostics, hostOutput };
}
