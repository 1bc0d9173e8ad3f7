// GitOpsProvider: providers an interrupted `up` left in the console: a create that the console processed but whose
// answer never reached the state (a cancelled CI job; the CLI records only a pending create, and a dynamic resource
// cannot be imported). Before creating, a resource adopts such a provider, identical in type, URL, application id and
// title, that no other resource of this run has claimed. One list per console per run (per provider host process).
import type {
  ConsoleClient,
  ExternalVersionControl,
  NewExternalVersionControl,
} from "../../client/external-version-controls";
import { idFromName } from "./state";

interface Run {
  /** The console's providers as listed before this run's first create; listed again only after a failure. */
  list?: Promise<ExternalVersionControl[]>;
  /** Ids a resource of this run owns or has adopted: never adopted by another. */
  readonly claimed: Set<string>;
}

/** Per console URL: every client (service account) of one console shares its list and its claims. */
const runs = new Map<string, Run>();

function runOf(consoleUrl: string): Run {
  let run = runs.get(consoleUrl);
  if (!run) runs.set(consoleUrl, (run = { claimed: new Set() }));
  return run;
}

/** Records that a resource of this run owns the provider `id` (created, adopted, read, diffed, updated...). */
export function claim(consoleUrl: string, id: string): void {
  runOf(consoleUrl).claimed.add(idFromName(id));
}

/** Whether a resource of this run owns the provider `id`. */
export function claimed(consoleUrl: string, id: string): boolean {
  return runOf(consoleUrl).claimed.has(idFromName(id));
}

/** The same provider as far as the console shows (it never shows the secret). */
export const matches = (p: ExternalVersionControl, body: NewExternalVersionControl) =>
  p.title === body.title &&
  p.type === body.type &&
  p.url === body.url &&
  p.applicationId === body.applicationId;

/**
 * An unclaimed provider identical to `body` left in the console by an earlier run, now claimed by the caller; or
 * undefined (then create it). The oldest first, so that reruns adopt in a stable order. Rejects when the console
 * cannot list its providers: creating blind could make a duplicate.
 */
export async function claimLeftover(
  client: ConsoleClient,
  body: NewExternalVersionControl,
): Promise<ExternalVersionControl | undefined> {
  const run = runOf(client.url);
  if (!run.list) {
    const pending = client.list();
    pending.catch(() => run.list === pending && (run.list = undefined));
    run.list = pending;
  }
  const all = await run.list;
  const id = (p: ExternalVersionControl) => idFromName(p.name);
  const found = all
    .filter((p) => matches(p, body) && !run.claimed.has(id(p)))
    .sort((a, b) => Number(id(a)) - Number(id(b)))[0];
  if (found) run.claimed.add(id(found));
  return found;
}
