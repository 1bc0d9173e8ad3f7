// The default provider resource the CLI records for dynamic resources: `pulumi:providers:pulumi-nodejs::default`,
// whose inputs are the whole stack config, and the `<urn>::<id>` reference each dynamic resource stores.
import { randomUUID } from "node:crypto";
import { remark } from "./secrets";
import type { ResourceState } from "./types";

export const NODEJS_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";

export const isProviderResource = (r: { type: string }) => r.type.startsWith("pulumi:providers:");

/**
 * The default `pulumi-nodejs` provider as an `up` records it. pkg/resource/deploy/target.go GetPackageConfig: "For
 * dynamic providers, we always pass the full configuration", keys kept namespaced, secure values as secrets; the
 * provider registry (pkg/resource/deploy/providers/registry.go Create) stores the inputs as its outputs too. The id
 * of a provider already in the state is kept (an update of a default provider keeps its id).
 */
export function defaultProvider(
  stack: string,
  project: string,
  config: Record<string, string>,
  secretKeys: readonly string[],
  prior: ResourceState | undefined,
): ResourceState {
  const secret = Object.keys(config).filter((k) => secretKeys.includes(k));
  return {
    urn: `urn:pulumi:${stack}::${project}::${NODEJS_PROVIDER_TYPE}::default`,
    type: NODEJS_PROVIDER_TYPE,
    name: "default",
    id: prior?.id ?? randomUUID(),
    inputs: { ...config },
    outputs: { ...config },
    secretInputs: secret,
    secretOutputs: secret,
  };
}

/** `<urn>::<id>`, as sdk/go/common/resource/providers/reference.go formats a provider reference. */
export const providerReference = (p: ResourceState) => `${p.urn}::${p.id}`;

/** The provider resource in a state, if an `up` recorded one. */
export const savedProvider = (state: readonly ResourceState[]) =>
  state.find((r) => r.type === NODEJS_PROVIDER_TYPE && r.name === "default" && !r.delete);

/** The provider's inputs as the analyzer gets them (AnalyzerProviderResource.properties: secrets still secret). */
export const providerProperties = (p: ResourceState) => remark(p.inputs, p.secretInputs);

/**
 * The config a refresh or destroy configures the dynamic provider with: without the program, the CLI rebuilds the
 * provider from its inputs in the old state (pkg/resource/deploy/providers/registry.go, pulumi/pulumi#4981), so it
 * sees the config of the last `up`; with `--run-program` the program registers it again with the current config.
 */
export function providerConfig(
  state: readonly ResourceState[],
  current: Record<string, string> | undefined,
  runProgram: boolean,
): Record<string, string> {
  const saved = savedProvider(state);
  if (runProgram || !saved) return current ?? {};
  return Object.fromEntries(Object.entries(saved.inputs).map(([k, v]) => [k, String(v)]));
}
