// What one process (the provider host of one run) learned of a VcsProvider, per console connection and provider: the
// repositories its token sees and its type, each asked of the console once however many connectors use it.
//
// The repositories, as the console's `:searchRepositories` lists them: N connectors on one provider in one `up` make
// one search. The console neither pages nor caps the answer (it fetches every page of the Git provider for each
// search: SearchVCSProviderRepositories, FetchRepositoryList(ctx, listAll=true) in backend/api/v1/vcs_provider_service.go
// and backend/plugin/vcs/*@2.15.0 and @3.4.1), so a cached list is the whole list as it was.
//
// The type (it decides a connector's externalId): taken from the VcsProvider's own create or update answer in this
// process, else read once (`GET /v1/vcsProviders/{id}`). The console cannot change a provider's type in place
// (UpdateVCSProvider honours title and access_token only, vcs_provider_service.go@2.15.0 and @3.4.1).
import type { ConsoleConnection } from "../client/connection";
import type { VcsConnectorClient, VcsRepository } from "../client/vcs-connectors";

/** Values kept per connection and provider; one still pending is shared, a failed one dropped (the next asks again). */
class PerProvider<T> {
  private readonly byConnection = new Map<ConsoleConnection, Map<string, Promise<T>>>();

  get(connection: ConsoleConnection, provider: string): Promise<T> | undefined {
    return this.byConnection.get(connection)?.get(provider);
  }

  set(connection: ConsoleConnection, provider: string, pending: Promise<T>): Promise<T> {
    const cache =
      this.byConnection.get(connection) ?? this.byConnection.set(connection, new Map()).get(connection)!;
    cache.set(provider, pending);
    pending.catch(() => cache.get(provider) === pending && cache.delete(provider));
    return pending;
  }

  forget(connection: ConsoleConnection, provider: string): void {
    this.byConnection.get(connection)?.delete(provider);
  }
}

const searches = new PerProvider<VcsRepository[]>();
const types = new PerProvider<string>();

/** What a lookup found, and the list it looked in (the freshest, for an error naming what the token sees). */
export interface RepositoryLookup {
  readonly found?: VcsRepository;
  readonly seen: VcsRepository[];
}

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
  const earlier = searches.get(client.connection, provider);
  const first = await (earlier ?? search(client, provider));
  const found = first.find(wanted);
  if (found || !earlier) return { found, seen: first };
  // A search begun after this lookup read the cache (another lookup's miss) is as fresh as one begun now.
  const current = searches.get(client.connection, provider);
  const seen = await (current && current !== earlier ? current : search(client, provider));
  return { found: seen.find(wanted), seen };
}

/**
 * Forgets the list of Git provider `provider` on this connection: its token changed, or it was made, in this process,
 * so what the old token saw says nothing of the new one.
 */
export function forgetRepositories(connection: ConsoleConnection, provider: string): void {
  searches.forget(connection, provider);
}

/** Searches and keeps the search as the provider's list. */
function search(client: VcsConnectorClient, provider: string): Promise<VcsRepository[]> {
  return searches.set(client.connection, provider, client.searchRepositories(provider));
}

/** The type of Git provider `provider`: as this process last learned it, else read (once for concurrent callers). */
export function providerType(
  connection: ConsoleConnection,
  provider: string,
  read: () => Promise<{ readonly type: string }>,
): Promise<string> {
  return (
    types.get(connection, provider) ??
    types.set(
      connection,
      provider,
      read().then((p) => p.type),
    )
  );
}

/** The type the console answered for Git provider `provider` (made, adopted or updated in this process). */
export function learnProviderType(connection: ConsoleConnection, provider: string, type: string): void {
  types.set(connection, provider, Promise.resolve(type));
}

/** Forgets the type of Git provider `provider` (deleted in this process: a provider made again may differ). */
export function forgetProviderType(connection: ConsoleConnection, provider: string): void {
  types.forget(connection, provider);
}
