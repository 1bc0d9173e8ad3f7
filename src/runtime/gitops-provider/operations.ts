// GitOpsProvider's operations (Bytebase 2.5 - 2.14 `externalVersionControls`), run inside the Pulumi provider host:
// check, diff, create, read, update, delete. Each call resolves its console connection at run time; nothing here is captured in `__provider`.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { callbackMatches, consoleCallbackUrl, specFor } from "../../catalog";
import { ConsoleClient, type UpdatableField } from "../../client/external-version-controls";
import { ConsoleError, isProviderGone } from "../../client/errors";
import { adopt, adoptLeftover, createOnce } from "./create";
import { clientFor, consoleUrl } from "../connection";
import { requireGitOpsConsole } from "../console-version";
import { claim } from "./leftovers";
import { isKnownString, UNKNOWN } from "../shared-inputs";
import { checkInputs, type ProviderInputs } from "./inputs";
import { idFromName, toInputs, toOutputs, type ProviderOutputs } from "./state";
import { failureMessage, verifyApplication, type Verification } from "../../verification";

const REPLACING = ["type", "instanceUrl"] as const;
const UPDATING = ["title", "applicationId", "secret", "scopes", "verifyCredentials"] as const;

export async function check(_olds: unknown, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  return checkInputs(news);
}

export async function diff(
  id: string,
  olds: ProviderOutputs,
  news: ProviderInputs,
): Promise<dynamic.DiffResult> {
  if (olds.consoleUrl) claim(olds.consoleUrl, id); // this resource owns it: never adopted by a new one of this run
  const replaces: string[] = REPLACING.filter((key) => !same(olds[key], news[key]));
  const newConsole = news.connection === (UNKNOWN as unknown) ? UNKNOWN : consoleUrl(news.connection);
  if (newConsole !== undefined && newConsole !== olds.consoleUrl) replaces.push("connection");
  const changes: string[] = UPDATING.filter(
    (key) => !same(olds[key] ?? defaultsOf[key], news[key] ?? defaultsOf[key]),
  );
  if (!same(olds.declaredCallbackUrl, news.callbackUrl) || callbackDrifted(olds, news))
    changes.push("callbackUrl");
  if (!same(olds.connection, news.connection) && !replaces.includes("connection")) changes.push("connection");
  return { changes: replaces.length + changes.length > 0, replaces, deleteBeforeReplace: false };
}

/** The console's callback (as last read) no longer matches the declared one: update, so that it fails and says so. */
function callbackDrifted(olds: ProviderOutputs, news: ProviderInputs): boolean {
  const known = isKnownString;
  if (!known(news.callbackUrl) || !known(olds.callbackUrl) || !known(news.type)) return false;
  return !callbackMatches(specFor(news.type).callbackRule, news.callbackUrl, olds.callbackUrl);
}

const defaultsOf: Partial<Record<string, unknown>> = { scopes: [] };
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function create(inputs: ProviderInputs): Promise<dynamic.CreateResult> {
  const client = clientFor(ConsoleClient, inputs.connection);
  await requireGitOpsConsole(client, `Creating Git provider "${inputs.title}"`);
  const callbackUrl = await consoleCallback(client);
  const verification = await verify(inputs, callbackUrl, inputs.verifyCredentials);
  const body = {
    title: inputs.title,
    type: inputs.type,
    url: inputs.instanceUrl,
    applicationId: inputs.applicationId,
    secret: inputs.secret,
  };
  const created = inputs.importId
    ? await adopt(client, inputs.importId, body)
    : ((await adoptLeftover(client, body)) ?? (await createOnce(client, body)));
  return {
    id: idFromName(created.name),
    outs: toOutputs(created, inputs, { consoleUrl: client.url, callbackUrl, verification }),
  };
}

export async function read(
  id: string,
  props: Partial<ProviderOutputs> & Record<string, unknown>,
): Promise<dynamic.ReadResult> {
  const numericId = providerId(id);
  // Refresh passes the stored outputs; a read by id (Resource.get) passes the program's inputs.
  const declaredCallbackUrl = props.name ? props.declaredCallbackUrl : props.callbackUrl;
  const client = clientFor(ConsoleClient, props.connection, props.consoleUrl);
  await requireGitOpsConsole(client, `Reading Git provider ${numericId}`);
  claim(client.url, numericId);
  let remote;
  try {
    remote = await client.get(numericId);
  } catch (error) {
    // Deleted outside Pulumi (Bytebase's own not-found, nothing else): drop it from the state.
    if (isProviderGone(error, numericId)) return { id: "", props: {} };
    throw withSavedConfigHint(error, "read");
  }
  const outs = toOutputs(
    remote,
    {
      secret: typeof props.secret === "string" ? props.secret : "",
      callbackUrl: declaredCallbackUrl,
      scopes: Array.isArray(props.scopes) ? props.scopes : undefined,
      verifyCredentials: props.verifyCredentials ?? true,
      connection: props.connection,
    },
    { consoleUrl: client.url, callbackUrl: await consoleCallback(client), verification: props.verification },
  );
  return { id: numericId, props: outs, inputs: toInputs(outs) };
}

export async function update(
  id: string,
  olds: ProviderOutputs,
  news: ProviderInputs,
): Promise<dynamic.UpdateResult> {
  const client = clientFor(ConsoleClient, news.connection, olds.consoleUrl);
  await requireGitOpsConsole(client, `Updating Git provider ${id}`);
  claim(client.url, id);
  const callbackUrl = await consoleCallback(client);
  const changes: Partial<Record<UpdatableField, string>> = {};
  for (const field of ["title", "applicationId", "secret"] as const)
    if (olds[field] !== news[field]) changes[field] = news[field];
  const reverify =
    news.verifyCredentials &&
    (changes.applicationId !== undefined ||
      changes.secret !== undefined ||
      olds.declaredCallbackUrl !== news.callbackUrl);
  const verification = await verify(news, callbackUrl, reverify);
  const remote = Object.keys(changes).length
    ? await client.update(id, changes)
    : {
        name: olds.name,
        title: olds.title,
        type: olds.type,
        url: olds.instanceUrl,
        apiUrl: olds.apiUrl,
        applicationId: olds.applicationId,
        secret: "",
      };
  return {
    outs: toOutputs(remote, news, {
      consoleUrl: client.url,
      callbackUrl,
      verification: reverify ? verification : olds.verification,
    }),
  };
}

export async function remove(id: string, props: ProviderOutputs): Promise<void> {
  const client = clientFor(ConsoleClient, props.connection, props.consoleUrl);
  await requireGitOpsConsole(client, `Deleting Git provider ${id}`);
  claim(client.url, id);
  try {
    await client.delete(id);
  } catch (error) {
    if (isProviderGone(error, id)) return; // already gone, in Bytebase's own words
    if (error instanceof ConsoleError && error.status === 500)
      throw await inUseError(client, id, props, error);
    throw withSavedConfigHint(error, "delete");
  }
}

const SAVED_CONFIG: Record<"read" | "delete", string> = {
  read: "This was a read (`pulumi refresh`)",
  delete: "This was a delete (`pulumi destroy`, or a resource removed from the program)",
};
const RERUN: Record<"read" | "delete", string> = {
  read: "`pulumi refresh --run-program`",
  delete: "`pulumi destroy --run-program`",
};

/**
 * A refused login during a read or delete: say that these log in with the configuration saved in the state. A
 * dynamic provider's config is the whole stack config of the last `pulumi up`, kept in the state with the default
 * provider (pulumi/pulumi pkg/resource/deploy/target.go; pulumi/pulumi#4981, #7370), so a rotated
 * `bytebase:serviceKey` is not seen without the program, and BYTEBASE_SERVICE_KEY does not override a saved one.
 */
function withSavedConfigHint(error: unknown, operation: "read" | "delete"): unknown {
  if (!(error instanceof ConsoleError) || error.status !== 401) return error;
  // A copy: the refused login is one error shared by every operation that waited on it (one login per process), so
  // appending to it would repeat the hint once per parallel delete (seen with the real CLI's parallel deletes).
  const hinted = Object.assign(Object.create(ConsoleError.prototype) as ConsoleError, error);
  hinted.message =
    `${error.message}. ${SAVED_CONFIG[operation]}: without the program, Pulumi gives the provider the bytebase:* ` +
    "config (and the resource's connection) saved in the state at the last `pulumi up`, not the current stack " +
    "config, and the environment does not override a saved value. If the service key was rotated, run `pulumi up` " +
    `first (it saves the new key), or run with the program: ${RERUN[operation]}`;
  hinted.stack = `${hinted.name}: ${hinted.message}\n${error.stack?.split("\n").slice(1).join("\n") ?? ""}`;
  return hinted;
}

/**
 * The console refused a delete with a database error: almost always projects still linked to the provider. Says
 * which ones (and their repositories) when the console lists them; when it lists none, passes the console's own
 * error on. The advice leaves out `retainOnDelete` set now: the CLI reads it from the state (pulumi/pulumi
 * pkg/resource/deploy/step.go, DeleteStep), so it cannot save a resource whose delete is already under way.
 * The UI words are Bytebase's (frontend/src/locales/en-US.json@2.14.0, "restore-to-ui-workflow").
 */
async function inUseError(client: ConsoleClient, id: string, props: ProviderOutputs, error: ConsoleError) {
  const projects = await client.linkedProjects(id).catch(() => undefined);
  if (projects?.length === 0) return error;
  const users = projects?.length
    ? `the GitOps repositories of the Bytebase project(s) ${projects.join(", ")}`
    : "a Bytebase project's GitOps repository";
  return new Error(
    `Deleting Git provider ${id} ("${props.title}") failed: it is still used by ${users}, so the console refused ` +
      `("${error.consoleMessage}"). Either disconnect ${projects?.length === 1 ? "that repository" : "each repository"} ` +
      "(in the project's GitOps page: Restore to UI workflow) and run again; or, to keep the provider in the console, forget it " +
      "without deleting: `pulumi state delete <urn>` (the resource's URN, from `pulumi stack --show-urns`). " +
      "The resource option `retainOnDelete: true` only helps if it is set and recorded by a `pulumi up` before the " +
      "resource is removed from the program; set now, it does not stop a delete already under way.",
  );
}

/** The console's callback for OAuth apps (its external URL, read once per client); fails when it has none. */
async function consoleCallback(client: ConsoleClient): Promise<string> {
  const externalUrl = await client.externalUrl();
  if (!externalUrl)
    throw new Error(
      `The console at ${client.url} has no external URL, so it has no OAuth callback to register: set it in Bytebase ` +
        "under Settings > General > External URL (or PATCH /v1/settings/bb.workspace.profile), then run again",
    );
  return consoleCallbackUrl(externalUrl);
}

/** Checks the declared callback (always) and the credentials (when asked); throws on any failed check. */
async function verify(
  inputs: ProviderInputs,
  callbackUrl: string,
  credentials: boolean,
): Promise<Verification> {
  const spec = specFor(inputs.type);
  const verification = await verifyApplication(spec, inputs, callbackUrl, { credentials });
  const failure = failureMessage(spec, verification);
  if (failure) throw new Error(failure);
  for (const c of verification.checks)
    if (c.outcome === "unverifiable")
      console.warn(`${spec.label} ${c.check} could not be verified: ${c.detail}`);
  return verification;
}

/** Accepts `101` and `externalVersionControls/101`. */
function providerId(id: string): string {
  const numeric = idFromName(id);
  if (!/^\d+$/.test(numeric))
    throw new Error(
      `"${id}" is not a Git provider id: use the numeric id (e.g. 101) or externalVersionControls/101`,
    );
  return numeric;
}
