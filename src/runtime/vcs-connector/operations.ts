// The VcsConnector's operations (Bytebase 2.15 - 3.4 `projects/{p}/vcsConnectors`), run inside the Pulumi provider
// host: check, diff, create (the repository looked up through the console first), read, update, delete. Each call
// resolves its console connection at run time; the console's refusals are quoted with what to do.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { isGitProviderType, specFor, type GitProviderSpec } from "../../catalog";
import { ConsoleError, isVcsConnectorGone, isVcsProviderGone, lostAnswer } from "../../client/errors";
import {
  VcsConnectorClient,
  type ConnectorUpdatable,
  type NewVcsConnector,
  type VcsConnector,
  type VcsRepository,
} from "../../client/vcs-connectors";
import { clientFor, consoleUrl } from "../connection";
import { explainRoute, requireVcsConnectorConsole } from "../console-version";
import { UNKNOWN, type ConnectionInputs } from "../shared-inputs";
import { findRepository, providerType, type RepositoryLookup } from "../vcs-provider-cache";
import { createRefusal, sentDirectory } from "./base-directory";
import { explain, explainRows } from "./errors";
import { checkVcsConnectorInputs, type VcsConnectorInputs } from "./inputs";
import {
  connectorIdOf,
  plainDirectory,
  toConnectorInputs,
  toConnectorOutputs,
  type VcsConnectorOutputs,
} from "./state";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sameText = (a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : same(a, b);
const label = (project: string, id: string) => `projects/${project}/vcsConnectors/${id}`;

export async function check(_olds: unknown, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  return checkVcsConnectorInputs(news);
}

export async function diff(
  _id: string,
  olds: VcsConnectorOutputs,
  news: VcsConnectorInputs,
): Promise<dynamic.DiffResult> {
  const replaces: string[] = (["project", "resourceId", "vcsProvider"] as const).filter(
    (key) => !same(olds[key], news[key]),
  );
  // Git providers route repository paths case-insensitively; the console keeps the title it was created with.
  if (!sameText(olds.repository, news.repository)) replaces.push("repository");
  if (news.title !== undefined && news.title !== olds.title) replaces.push("title");
  const newConsole = news.connection === (UNKNOWN as unknown) ? UNKNOWN : consoleUrl(news.connection);
  if (newConsole !== undefined && newConsole !== olds.consoleUrl) replaces.push("connection");
  const changes: string[] = [];
  if (!same(olds.branch, news.branch)) changes.push("branch");
  if (news.baseDirectory === UNKNOWN || plainDirectory(olds.baseDirectory) !== news.baseDirectory)
    changes.push("baseDirectory");
  if (!same(olds.databaseGroup, news.databaseGroup)) changes.push("databaseGroup");
  if (!same(olds.connection, news.connection) && !replaces.includes("connection")) changes.push("connection");
  // A replacement under the same name in the same console: the old one must go first.
  const sameName = !["project", "resourceId", "connection"].some((k) => replaces.includes(k));
  return {
    changes: replaces.length + changes.length > 0,
    replaces,
    deleteBeforeReplace: sameName && replaces.length > 0,
  };
}

export async function create(inputs: VcsConnectorInputs): Promise<dynamic.CreateResult> {
  const client = clientFor(VcsConnectorClient, inputs.connection);
  const name = label(inputs.project, inputs.resourceId);
  const version = await requireVcsConnectorConsole(client, `Creating connector ${name}`);
  const refusal = createRefusal(inputs.baseDirectory, version);
  if (refusal) throw new Error(`Creating connector ${name} failed: ${refusal}`);
  // The provider's type (learned once per run) and the repositories its token sees, asked at once; the provider's own
  // error comes first.
  const lookup = explainRoute(client, "VcsConnector", () =>
    findRepository(client, inputs.vcsProvider, (r) => sameText(r.fullPath, inputs.repository)),
  );
  lookup.catch(() => undefined);
  const spec = specOf(await typeOf(client, inputs.vcsProvider, `Creating connector ${name}`));
  const repo = repositoryOf(await lookup, inputs, spec);
  const body: NewVcsConnector = {
    title: inputs.title ?? repo.title,
    vcsProvider: `vcsProviders/${inputs.vcsProvider}`,
    // As Bytebase's wizard sends it: the full path for GitHub and Bitbucket, the id for GitLab and Azure DevOps.
    externalId: spec?.connector.externalId === "fullPath" ? repo.fullPath : repo.id,
    fullPath: repo.fullPath,
    webUrl: repo.webUrl,
    branch: inputs.branch,
    baseDirectory: sentDirectory(inputs.baseDirectory, version),
    databaseGroup: inputs.databaseGroup,
  };
  const made = await explain(
    client,
    inputs,
    () => Promise.resolve(spec),
    () => createOnce(client, inputs, body),
  );
  return {
    id: inputs.resourceId,
    outs: toConnectorOutputs(
      made,
      { repository: inputs.repository, connection: inputs.connection },
      client.url,
    ),
  };
}

export async function read(
  id: string,
  props: Partial<VcsConnectorOutputs> & Record<string, unknown>,
): Promise<dynamic.ReadResult> {
  const { project, id: resourceId } = connectorIdOf(id, props.project);
  if (!project)
    throw new Error(
      `Reading connector ${id} failed: its project is not known; give the id as projects/<project>/vcsConnectors/<id> ` +
        "(e.g. VcsConnector.get(name, 'projects/payments/vcsConnectors/db'))",
    );
  const client = clientFor(
    VcsConnectorClient,
    props.connection as ConnectionInputs | undefined,
    props.consoleUrl,
  );
  await requireVcsConnectorConsole(client, `Reading connector ${label(project, resourceId)}`);
  let remote: VcsConnector;
  try {
    remote = await explainRows(label(project, resourceId), () =>
      explainRoute(client, "VcsConnector", () => client.get(project, resourceId)),
    );
  } catch (error) {
    // Only Bytebase's own not-found for this connector means it was deleted outside Pulumi.
    if (isVcsConnectorGone(error, project, resourceId)) return { id: "", props: {} };
    throw error;
  }
  const repository = sameText(props.repository, remote.fullPath) ? props.repository! : remote.fullPath;
  const outs = toConnectorOutputs(
    remote,
    { repository, connection: props.connection as ConnectionInputs | undefined },
    client.url,
  );
  return { id: resourceId, props: outs, inputs: toConnectorInputs(outs) };
}

export async function update(
  id: string,
  olds: VcsConnectorOutputs,
  news: VcsConnectorInputs,
): Promise<dynamic.UpdateResult> {
  const client = clientFor(VcsConnectorClient, news.connection, olds.consoleUrl);
  const { project, id: resourceId } = connectorIdOf(id, olds.project);
  const version = await requireVcsConnectorConsole(
    client,
    `Updating connector ${label(project, resourceId)}`,
  );
  const changes: Partial<Record<ConnectorUpdatable, string>> = {};
  if (olds.branch !== news.branch) changes.branch = news.branch;
  if (plainDirectory(olds.baseDirectory) !== news.baseDirectory)
    changes.baseDirectory = sentDirectory(news.baseDirectory, version);
  if (olds.databaseGroup !== news.databaseGroup) changes.databaseGroup = news.databaseGroup;
  const remote: VcsConnector = Object.keys(changes).length
    ? await explain(
        client,
        { ...news, repository: olds.fullPath },
        // The outputs keep no provider type: it is asked for after a refusal, for the same advice as a create.
        () =>
          client.provider(olds.vcsProvider).then(
            (p) => specOf(p.type),
            () => undefined,
          ),
        () => client.update(project, resourceId, changes),
      )
    : { ...olds, vcsProvider: `vcsProviders/${olds.vcsProvider}` };
  return {
    outs: toConnectorOutputs(
      remote,
      { repository: news.repository, connection: news.connection },
      client.url,
    ),
  };
}

export async function remove(id: string, props: VcsConnectorOutputs): Promise<void> {
  const client = clientFor(VcsConnectorClient, props.connection, props.consoleUrl);
  const { project, id: resourceId } = connectorIdOf(id, props.project);
  await requireVcsConnectorConsole(client, `Deleting connector ${label(project, resourceId)}`);
  try {
    await explainRows(label(project, resourceId), () =>
      explainRoute(client, "VcsConnector", () => client.delete(project, resourceId)),
    );
  } catch (error) {
    if (isVcsConnectorGone(error, project, resourceId)) return; // already gone
    throw error;
  }
}

/** The catalog entry of a Git provider's type; none for a type the catalog does not know. */
function specOf(type: string): GitProviderSpec | undefined {
  return isGitProviderType(type) ? specFor(type) : undefined;
}

/** The type of the connector's Git provider; a provider the console lacks fails naming it and what to do. */
async function typeOf(client: VcsConnectorClient, id: string, operation: string): Promise<string> {
  try {
    return await providerType(client.connection, id, () =>
      explainRoute(client, "VcsConnector", () => client.provider(id)),
    );
  } catch (error) {
    if (!isVcsProviderGone(error, id)) throw error;
    throw new Error(
      `${operation} failed: the console has no Git provider vcsProviders/${id} ("${(error as ConsoleError).consoleMessage}"). ` +
        "Declare it with a VcsProvider and pass its name output as vcsProvider (so it is made first), or check the id.",
      { cause: error },
    );
  }
}

/** The declared repository among those the provider's token sees (`:searchRepositories`, vcs-provider-cache.ts). */
function repositoryOf(
  { found, seen }: RepositoryLookup,
  inputs: VcsConnectorInputs,
  spec: GitProviderSpec | undefined,
): VcsRepository {
  if (found) return found;
  const listed = seen.length
    ? `it sees ${seen.length}: ${seen
        .slice(0, 10)
        .map((r) => r.fullPath)
        .join(", ")}${seen.length > 10 ? ", ..." : ""}`
    : "it sees none";
  throw new Error(
    `Creating connector ${label(inputs.project, inputs.resourceId)} failed: the repository ${inputs.repository} is not among ` +
      `the repositories the token of Git provider vcsProviders/${inputs.vcsProvider} can see (${listed}). Give the path as ` +
      `the Git provider lists it (e.g. ${spec?.connector.pathExample ?? "platform/db"}). ` +
      `${spec?.connector.listed ?? "Check the token's rights"}.`,
  );
}

/**
 * Creates the connector under its resource id. After a lost answer it is read back: if it exists with the declared
 * provider and repository it was this create's.
 */
async function createOnce(
  client: VcsConnectorClient,
  inputs: VcsConnectorInputs,
  body: NewVcsConnector,
): Promise<VcsConnector> {
  try {
    return await client.create(inputs.project, inputs.resourceId, body);
  } catch (error) {
    if (!lostAnswer(error)) throw error;
    const made = await client.get(inputs.project, inputs.resourceId).catch((e: unknown) => e as Error);
    if (
      !(made instanceof Error) &&
      made.vcsProvider === body.vcsProvider &&
      made.externalId === body.externalId
    )
      return made;
    const readBack = made instanceof Error ? ` (reading it back failed too: ${made.message})` : "";
    throw new Error(
      `${(error as Error).message}. The console may still make ${label(inputs.project, inputs.resourceId)}${readBack}: ` +
        "run again (if it then exists, delete it in the console or choose another resourceId).",
      { cause: error },
    );
  }
}
