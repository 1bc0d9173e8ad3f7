// Scope arithmetic over the catalog: implications, what is missing, what is beyond need.
import type { GitProviderSpec } from "./types";

/** The declared scopes plus everything they imply, transitively. */
export function expandScopes(spec: GitProviderSpec, declared: readonly string[]): Set<string> {
  const granted = new Set<string>();
  const queue = [...declared];
  for (let scope = queue.pop(); scope !== undefined; scope = queue.pop()) {
    if (granted.has(scope)) continue;
    granted.add(scope);
    queue.push(...(spec.scopes[scope]?.implies ?? []));
  }
  return granted;
}

/** Required scopes that the declared ones do not grant, even through implications. */
export function missingScopes(spec: GitProviderSpec, declared: readonly string[]): string[] {
  const granted = expandScopes(spec, declared);
  return spec.requiredScopes.filter((scope) => !granted.has(scope));
}

/** Declared scopes that are neither needed, nor implied by what is needed, nor explicitly allowed. */
export function excessScopes(
  spec: GitProviderSpec,
  declared: readonly string[],
  allowedExtra: readonly string[] = [],
): string[] {
  const needed = expandScopes(spec, [...spec.requiredScopes, ...allowedExtra]);
  return declared.filter((scope) => !needed.has(scope));
}

/** A scope in the provider's UI words, e.g. `Repositories > Write (repository:write)`. */
export function describeScope(spec: GitProviderSpec, scope: string): string {
  const ui = spec.scopes[scope]?.uiName;
  return ui && ui !== scope ? `${ui} (${scope})` : scope;
}
