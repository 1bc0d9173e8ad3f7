// The stored `vcsProviders` and `vcsConnectors` of a 2.15 - 3.4 console (the vcs and vcs_connector rows), as the
// routes of both resources read them.
import { nextConnectorUid } from "../state-data";
import type { VcsConnectorRecord, VcsProviderRecord } from "../types";
import type { RouteContext } from "./context";

export function vcsState(ctx: RouteContext): {
  providers: VcsProviderRecord[];
  connectors: VcsConnectorRecord[];
} {
  const data = ctx.store.data as { vcsProviders?: VcsProviderRecord[]; vcsConnectors?: VcsConnectorRecord[] };
  data.vcsProviders ??= [];
  data.vcsConnectors ??= [];
  // Connectors of a state file written before the stand-in kept their id get theirs when first seen.
  for (const c of data.vcsConnectors) c.uid ??= nextConnectorUid(data);
  return { providers: data.vcsProviders, connectors: data.vcsConnectors };
}

/** The stored provider with that resource id (migrated ids such as `azure_devops` included). */
export function findProvider(ctx: RouteContext, id: string): VcsProviderRecord | undefined {
  return vcsState(ctx).providers.find((p) => p.resourceId === id);
}
