// `pulumi refresh` and `pulumi destroy` on a stack's state, through the real dynamic-provider host.
import { isDeepStrictEqual } from "node:util";
import { PROVIDER_KEY } from "../harness/provider-host";
import { deleteResource, isDynamic, lazyHost, type StackOptions } from "./host";
import type { ResourceState } from "./types";

export interface StateOperationOptions extends StackOptions {
  state: ResourceState[];
}

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

/** Reads every dynamic resource back through its provider; resources whose Read answers no id are dropped. */
export async function refresh(opts: StateOperationOptions): Promise<OperationResult & { drift: Drift[] }> {
  const host = lazyHost(opts);
  const state: ResourceState[] = [];
  const drift: Drift[] = [];
  const diagnostics: string[] = [];
  for (const [i, r] of opts.state.entries()) {
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
      state.push({ ...r, id: read.id, inputs, outputs, secretOutputs });
    } catch (e) {
      diagnostics.push(`error: ${r.urn}: ${e instanceof Error ? e.message : String(e)}`);
      state.push(...opts.state.slice(i)); // like the engine: a failed refresh keeps what it could not read
      break;
    }
  }
  const hostOutput = await host.close();
  return { state, drift, ok: diagnostics.length === 0, diagnostics, hostOutput };
}

/** Deletes every dynamic resource, newest first (external ones are only forgotten); stops at the first failure. */
export async function destroy(opts: StateOperationOptions): Promise<OperationResult & { deleted: string[] }> {
  const host = lazyHost(opts);
  let state = [...opts.state];
  const deleted: string[] = [];
  const diagnostics: string[] = [];
  for (const r of [...opts.state].reverse()) {
    try {
      if (isDynamic(r.type) && !r.external) {
        await deleteResource(await host.get(), r);
        deleted.push(r.urn);
      }
      state = state.filter((s) => s !== r);
    } catch (e) {
      diagnostics.push(`error: ${r.urn}: ${e instanceof Error ? e.message : String(e)}`);
      break;
    }
  }
  const hostOutput = await host.close();
  return { state, deleted, ok: diagnostics.length === 0, diagnostics, hostOutput };
}
