// GitOpsProvider (Bytebase 2.5 - 2.14): creating a Git provider exactly once. The console does not deduplicate creates,
// so a create is never resent blindly: after an ambiguous failure the provider it may have made is looked for and
// adopted. Also the `importId` adoption of a provider that already exists.
import type {
  ConsoleClient,
  ExternalVersionControl,
  NewExternalVersionControl,
  UpdatableField,
} from "../../client/external-version-controls";
import { isProviderGone, lostAnswer } from "../../client/errors";
import { backoffMs, giveUpReason } from "../../client/http";
import { claim, claimed, claimLeftover, matches } from "./leftovers";
import { idFromName } from "./state";

/** Creates the provider; when the answer is lost, adopts the one it made, or resends only when none was made. */
export async function createOnce(
  client: ConsoleClient,
  body: NewExternalVersionControl,
): Promise<ExternalVersionControl> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const made = await client.create(body);
      claim(client.url, made.name);
      return made;
    } catch (error) {
      const lost = lostAnswer(error);
      if (!lost) throw error;
      const made = await lookFor(client, body, lost === "timeout");
      if (made) {
        claim(client.url, made.name);
        return made;
      }
      const message = (error as Error).message;
      if (lost === "timeout")
        throw new Error(
          `${message}. The console may still create it: the create was not sent again, so that it cannot make a ` +
            `duplicate. Look in Bytebase under Settings > GitOps for "${body.title}": if it is there, set this ` +
            "resource's importId to its id and run again (or just run again: a new run adopts it); if not, run again.",
          { cause: error },
        );
      // The connection closed (or a gateway failed, or the console timed out) and nothing was made: not processed,
      // so it is sent again.
      const delay = backoffMs(attempt, client.options);
      const gaveUp = giveUpReason(attempt, Date.now() - started, delay, false, client.options);
      if (gaveUp)
        throw new Error(`${message}; ${gaveUp}, and the console has no such provider: nothing was created`, {
          cause: error,
        });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * The provider a lost create made: the newest with the same type, URL, application id and title that no resource of
 * this run owns. After a timeout the console may still be working on it, so it is looked for again, with backoff,
 * for up to one more timeout.
 */
async function lookFor(
  client: ConsoleClient,
  body: NewExternalVersionControl,
  wait: boolean,
): Promise<ExternalVersionControl | undefined> {
  const deadline = Date.now() + (wait ? client.options.timeoutMs : 0);
  for (let look = 1; ; look++) {
    const found = await client.list().then(
      (all) => newest(all.filter((p) => matches(p, body) && !claimed(client.url, p.name))),
      () => undefined,
    );
    if (found || Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, backoffMs(look, client.options)));
  }
}

function newest(candidates: ExternalVersionControl[]): ExternalVersionControl | undefined {
  const id = (p: ExternalVersionControl) => Number(idFromName(p.name)) || 0;
  return candidates.sort((a, b) => id(b) - id(a))[0];
}

/**
 * Takes over an existing provider (the `importId` input): the engine's own import cannot reach a dynamic provider
 * (pulumi/pulumi#16175). Its type and instance URL must be the declared ones; title and application id are set to
 * the declared ones, and the secret always (the console never tells what it holds).
 */
export async function adopt(client: ConsoleClient, importId: string, body: NewExternalVersionControl) {
  const id = idFromName(importId);
  claim(client.url, id);
  let existing;
  try {
    existing = await client.get(id);
  } catch (error) {
    if (!isProviderGone(error, id)) throw error;
    throw new Error(
      `importId: the console at ${client.url} has no Git provider ${id}; check the id in Settings > GitOps`,
      { cause: error },
    );
  }
  if (existing.type !== body.type || existing.url !== body.url)
    throw new Error(
      `importId: Git provider ${id} is a ${existing.type} provider at ${existing.url}, but this resource declares ` +
        `${body.type} at ${body.url}; declare its type and instanceUrl, or import another id`,
    );
  const changes: Partial<Record<UpdatableField, string>> = { secret: body.secret };
  if (existing.title !== body.title) changes.title = body.title;
  if (existing.applicationId !== body.applicationId) changes.applicationId = body.applicationId;
  return client.update(id, changes);
}

/**
 * Takes over a provider identical to `body` that an interrupted run left in the console (see leftovers.ts), setting
 * its secret (the console never tells which one it holds), and says so on the host's stderr, which the engine shows
 * as a diagnostic. Undefined when there is none: then create it.
 */
export async function adoptLeftover(
  client: ConsoleClient,
  body: NewExternalVersionControl,
): Promise<ExternalVersionControl | undefined> {
  const leftover = await claimLeftover(client, body);
  if (!leftover) return undefined;
  const id = idFromName(leftover.name);
  const adopted = await client.update(id, { secret: body.secret });
  console.warn(
    `Git provider "${body.title}": adopted ${leftover.name} (same type, URL, application id and title), which the ` +
      `console at ${client.url} already held, probably from an interrupted run, instead of creating a duplicate; ` +
      "its secret was set to the declared one",
  );
  return adopted;
}
