// The repositories a Git provider's token sees, as the console's `:searchRepositories` lists them, searched once per
// console connection and provider per process: N connectors on one provider in one `up` make one search. The console
// neither pages nor caps the answer (it fetches every page of the Git provider for each search:
// SearchVCSProviderRepositories, FetchRepositoryList(ctx, listAll=true) in backend/api/v1/vcs_provider_service.go and
// backend/plugin/vcs/*@2.15.0 and @3.4.1), so a cached list is the whole list as it was.
import type { ConsoleConnection } from "../client/connection";
import type { VcsConnectorClient, VcsRepository } from "../client/vcs-connectors";

/** What a lookup found, and the list it looked in (the freshest, for an error naming what the token sees). */
export interface RepositoryLookup {
  readonly found?: VcsRepository;
  readonly seen: VcsRepository[];
}

type Search = Promise<VcsRepository[]>;
const searches = new Map<ConsoleConnection, Map<string, Search>>();

/**
 * Looks for the repository `wanted` picks among those Git provider `provider` sees. A hit in the list searched before
 * is taken; a miss searches once more before it is reported (the repository may have been made since), unless this
 * lookup's own search was the list. Concurrent lookups share a search in flight, first and fresh ones alike.
 */
export async function findRepository(
  client: VcsConnectorClient,
  provider: string,
  wanted: (repository: VcsRepository) => boolean,
): Promise<RepositoryLookup> {
  const ofConnection =
    searches.get(client.connection) ?? searches.set(client.connection, new Map()).get(client.connection)!;
  const earlier = ofConnection.get(provider);
  const first = await (earlier ?? search(ofConnection, client, provider));
  const found = first.find(wanted);
  if (found || !earlier) return { found, seen: first };
  // A search begun after this lookup read the cache (another lookup's miss) is as fresh as one begun now.
  const current = ofConnection.get(provider);
  const seen = await (current && current !== earlier ? current : search(ofConnection, client, provider));
  return { found: seen.find(wanted), seen };
}

/**
 * Forgets the list of Git provider `provider` on this connection: its token changed, or it was made or deleted, in
 * this process, so what the old token saw says nothing of the new one.
 */
export function forgetRepositories(connection: ConsoleConnection, provider: string): void {
  searches.get(connection)?.delete(provider);
}

/** Searches and keeps the search as the provider's list (a failed one is dropped: the next lookup searches). */
function search(cache: Map<string, Search>, client: VcsConnectorClient, provider: string): Search {
  const pending = client.searchRepositories(provider);
  cache.set(provider, pending);
  pending.catch(() => cache.get(provider) === pending && cache.delete(provider));
  return pending;
}
