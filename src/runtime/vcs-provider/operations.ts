// The VcsProvider's operations (Bytebase 2.15 - 3.4 `vcsProviders`), run inside the Pulumi provider host: check,
// diff, create (or adopt), read, update, delete. The token is verified at the Git provider before the console is
// touched; each call resolves its console connection at run time, nothing is captured in `__provider`.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { normalizeInstanceUrl, specFor } from "../../catalog";
import { ConsoleError, isVcsProviderGone, lostAnswer } from "../../client/errors";
import {
  VcsProviderClient,
  type NewVcsProvider,
  type VcsProvider,
  type VcsUpdatable,
} from "../../client/vcs-providers";
import {
  tokenFailureMessage,
  verifyAccessToken,
  type TokenVerification,
} from "../../verification/access-token";
import { clientFor, consoleUrl } from "../connection";
import { explainRoute, requireVcsProviderConsole } from "../console-version";
import { UNKNOWN, type ConnectionInputs } from "../shared-inputs";
import { forgetProviderType, forgetRepositories, learnProviderType } from "../vcs-provider-cache";
import { checkVcsProviderInputs, type VcsProviderInputs } from "./inputs";
import { toVcsInputs, toVcsOutputs, vcsIdFromName, type VcsProviderOutputs } from "./state";

const REPLACING = ["resourceId", "type", "instanceUrl"] as const;
const UPDATING = ["title", "accessToken", "permissions", "verifyToken"] as const;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** The same instance URL in the console's form (TrimRight(url, "/"), vcs_provider_service.go@2.15.0; host case, port). */
const sameUrl = (a: string, b: string) => (normalizeInstanceUrl(a) ?? a) === (normalizeInstanceUrl(b) ?? b);
const explain = <T>(client: VcsProviderClient, call: () => Promise<T>) =>
  explainRoute(client, "VcsProvider", call);

export async function check(_olds: unknown, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  return checkVcsProviderInputs(news);
}

export async function diff(
  _id: string,
  olds: VcsProviderOutputs,
  news: VcsProviderInputs,
): Promise<dynamic.DiffResult> {
  const replaces: string[] = REPLACING.filter((key) => !same(olds[key], news[key]));
  const newConsole = news.connection === (UNKNOWN as unknown) ? UNKNOWN : consoleUrl(news.connection);
  if (newConsole !== undefined && newConsole !== olds.consoleUrl) replaces.push("connection");
  const changes: string[] = UPDATING.filter((key) => !same(olds[key], news[key]));
  if (!same(olds.connection, news.connection) && !replaces.includes("connection")) changes.push("connection");
  // A replacement keeps the same resource id in the same console: the old one must go first.
  const sameId = !replaces.includes("resourceId") && !replaces.includes("connection");
  return {
    changes: replaces.length + changes.length > 0,
    replaces,
    deleteBeforeReplace: sameId && replaces.length > 0,
  };
}

export async function create(inputs: VcsProviderInputs): Promise<dynamic.CreateResult> {
  const client = clientFor(VcsProviderClient, inputs.connection);
  await requireVcsProviderConsole(client, `Creating Git provider vcsProviders/${inputs.resourceId}`);
  const verification = inputs.verifyToken ? await verify(inputs) : undefined;
  const body: NewVcsProvider = {
    title: inputs.title,
    type: inputs.type,
    url: inputs.instanceUrl,
    accessToken: inputs.accessToken,
  };
  const created = await explain(client, () =>
    inputs.adoptExisting
      ? adoptOrCreate(client, inputs.resourceId, body)
      : createOnce(client, inputs.resourceId, body),
  );
  forgetRepositories(client.connection, inputs.resourceId);
  learnProviderType(client.connection, inputs.resourceId, created.type);
  return {
    id: inputs.resourceId,
    outs: toVcsOutputs(created, inputs, { consoleUrl: client.url, verification }),
  };
}

export async function read(
  id: string,
  props: Partial<VcsProviderOutputs> & Record<string, unknown>,
): Promise<dynamic.ReadResult> {
  const resourceId = vcsIdFromName(id);
  const client = clientFor(
    VcsProviderClient,
    props.connection as ConnectionInputs | undefined,
    props.consoleUrl,
  );
  await requireVcsProviderConsole(client, `Reading Git provider vcsProviders/${resourceId}`);
  let remote: VcsProvider;
  try {
    remote = await explain(client, () => client.get(resourceId));
  } catch (error) {
    // Only Bytebase's own not-found means the provider was deleted outside Pulumi.
    if (isVcsProviderGone(error, resourceId)) return { id: "", props: {} };
    throw error;
  }
  const outs = toVcsOutputs(
    remote,
    {
      accessToken: typeof props.accessToken === "string" ? props.accessToken : "",
      permissions: Array.isArray(props.permissions) ? props.permissions : undefined,
      verifyToken: props.verifyToken ?? true,
      adoptExisting: props.adoptExisting ?? false,
      connection: props.connection as ConnectionInputs | undefined,
    },
    { consoleUrl: client.url, verification: props.verification },
  );
  return { id: resourceId, props: outs, inputs: toVcsInputs(outs) };
}

export async function update(
  id: string,
  olds: VcsProviderOutputs,
  news: VcsProviderInputs,
): Promise<dynamic.UpdateResult> {
  const client = clientFor(VcsProviderClient, news.connection, olds.consoleUrl);
  await requireVcsProviderConsole(client, `Updating Git provider vcsProviders/${vcsIdFromName(id)}`);
  const changes: Partial<Record<VcsUpdatable, string>> = {};
  if (olds.title !== news.title) changes.title = news.title;
  if (olds.accessToken !== news.accessToken) changes.accessToken = news.accessToken;
  const reverify =
    news.verifyToken &&
    (changes.accessToken !== undefined || !olds.verifyToken || !same(olds.permissions, news.permissions));
  const verification = reverify ? await verify(news) : olds.verification;
  const remote = Object.keys(changes).length
    ? await explain(client, () => client.update(vcsIdFromName(id), changes))
    : { name: olds.name, title: olds.title, type: olds.type, url: olds.instanceUrl, accessToken: "" };
  if (changes.accessToken !== undefined) forgetRepositories(client.connection, vcsIdFromName(id));
  if (Object.keys(changes).length) learnProviderType(client.connection, vcsIdFromName(id), remote.type);
  return { outs: toVcsOutputs(remote, news, { consoleUrl: client.url, verification }) };
}

export async function remove(id: string, props: VcsProviderOutputs): Promise<void> {
  const client = clientFor(VcsProviderClient, props.connection, props.consoleUrl);
  const resourceId = vcsIdFromName(id);
  await requireVcsProviderConsole(client, `Deleting Git provider vcsProviders/${resourceId}`);
  forgetProviderType(client.connection, resourceId);
  try {
    await explain(client, () => client.delete(resourceId));
  } catch (error) {
    if (isVcsProviderGone(error, resourceId)) return; // already gone
    if (error instanceof ConsoleError && error.status === 500 && /vcs_connector/.test(error.consoleMessage)) {
      const connectors = await client.connectors(resourceId).catch(() => undefined);
      const users = connectors?.length ? `the connector(s) ${connectors.join(", ")}` : "GitOps connectors";
      throw new Error(
        `Deleting Git provider vcsProviders/${resourceId} ("${props.title}") failed: it is still used by ${users}, so the ` +
          `console refused ("${error.consoleMessage}"). Remove those connectors first (their VcsConnector resources, or in ` +
          "Bytebase: Project > Integration > GitOps), then run again; or keep the provider with the resource option retainOnDelete.",
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Creates the provider under its resource id. The id makes the create idempotent to look for: after a lost answer,
 * the provider is read back; if it exists as declared it was this create's, and its token is set once more.
 */
async function createOnce(client: VcsProviderClient, id: string, body: NewVcsProvider): Promise<VcsProvider> {
  try {
    return await client.create(id, body);
  } catch (error) {
    if (error instanceof ConsoleError && error.status === 409)
      throw new Error(
        `${error.message}. A Git provider with the id ${id} is already in the console (made in the console, by another ` +
          "stack, or by Bytebase's 2.15 upgrade). To manage it with this resource, set adoptExisting: true: its type and " +
          "URL are checked, then its title and token are set to the declared ones; or choose another resourceId.",
        { cause: error },
      );
    if (!lostAnswer(error)) throw error;
    const made = await client.get(id).catch(() => undefined);
    if (made && made.type === body.type && sameUrl(made.url, body.url))
      return client.update(id, { title: body.title, accessToken: body.accessToken });
    throw new Error(
      `${(error as Error).message}. The console may still make vcsProviders/${id}: run again; if it then exists, ` +
        "set adoptExisting: true to take it over.",
      { cause: error },
    );
  }
}

/** `adoptExisting`: the existing provider must have the declared type and URL; its title and token are set. */
async function adoptOrCreate(
  client: VcsProviderClient,
  id: string,
  body: NewVcsProvider,
): Promise<VcsProvider> {
  let existing: VcsProvider;
  try {
    existing = await client.get(id);
  } catch (error) {
    if (isVcsProviderGone(error, id)) return createOnce(client, id, body);
    throw error;
  }
  if (existing.type !== body.type || !sameUrl(existing.url, body.url))
    throw new Error(
      `Creating Git provider vcsProviders/${id} failed: adoptExisting: it is a ${existing.type} provider at ${existing.url}, but this ` +
        `resource declares ${body.type} at ${body.url}; declare its type and instanceUrl, or choose another resourceId`,
    );
  const changes: Partial<Record<VcsUpdatable, string>> = { accessToken: body.accessToken };
  if (existing.title !== body.title) changes.title = body.title;
  return client.update(id, changes);
}

/** Verifies the token at the Git provider; throws (before the console is touched) when a finding failed. */
async function verify(inputs: VcsProviderInputs): Promise<TokenVerification> {
  const spec = specFor(inputs.type);
  const verification = await verifyAccessToken(
    spec,
    inputs.instanceUrl,
    inputs.accessToken,
    Date.now,
    inputs.permissions,
  );
  const failure = tokenFailureMessage(spec, verification);
  if (failure) throw new Error(failure);
  for (const c of verification.checks)
    if (c.outcome === "unverifiable") console.warn(`${spec.label} token ${c.check}: ${c.detail}`);
  return verification;
}
