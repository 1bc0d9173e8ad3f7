// The VcsConnector's outputs (what Pulumi stores) and how they are built from the console's answer and the inputs.
import type { VcsConnector } from "../../client/vcs-connectors";
import { dropUndefined, type ConnectionInputs } from "../shared-inputs";
import type { VcsConnectorInputs } from "./inputs";

export interface VcsConnectorOutputs {
  /** `projects/<project>/vcsConnectors/<resourceId>` */
  readonly name: string;
  readonly project: string;
  readonly resourceId: string;
  /** The Git provider's resource id. */
  readonly vcsProvider: string;
  /** The declared repository path (refresh: the console's full path). */
  readonly repository: string;
  readonly title: string;
  /** What the console stored: the repository's id or full path (per Git provider type), its path and web page. */
  readonly externalId: string;
  readonly fullPath: string;
  readonly webUrl: string;
  readonly branch: string;
  /** As the console stored it (2.15: Azure DevOps with a leading "/", the others without; from 2.16 with one). */
  readonly baseDirectory: string;
  readonly databaseGroup: string;
  /** The console this connector lives in. */
  readonly consoleUrl: string;
  /** Kept so that delete and refresh reach the same console; a secret output. */
  readonly connection?: ConnectionInputs;
}

/** `projects/<p>/vcsConnectors/<id>` to its parts; a bare id keeps the given project. */
export function connectorIdOf(name: string, project?: string): { project: string; id: string } {
  const m = /^projects\/([^/]+)\/vcsConnectors\/([^/]+)$/.exec(decodeURIComponent(name));
  return m ? { project: m[1]!, id: m[2]! } : { project: project ?? "", id: name };
}

/** A base directory as the inputs give it: without leading or trailing "/" (both consoles' forms compare equal). */
export const plainDirectory = (dir: string) => dir.replace(/^\/+|\/+$/g, "");

export function toConnectorOutputs(
  remote: VcsConnector,
  inputs: Pick<VcsConnectorInputs, "repository" | "connection">,
  consoleUrl: string,
): VcsConnectorOutputs {
  const { project, id } = connectorIdOf(remote.name);
  return dropUndefined({
    name: remote.name,
    project,
    resourceId: id,
    vcsProvider: remote.vcsProvider.replace(/^vcsProviders\//, ""),
    repository: inputs.repository,
    title: remote.title,
    externalId: remote.externalId,
    fullPath: remote.fullPath,
    webUrl: remote.webUrl,
    branch: remote.branch,
    baseDirectory: remote.baseDirectory,
    databaseGroup: remote.databaseGroup,
    consoleUrl,
    connection: inputs.connection,
  });
}

/** The inputs that reproduce these outputs (for `read`: refresh and Resource.get). */
export function toConnectorInputs(o: VcsConnectorOutputs): Record<string, unknown> {
  return dropUndefined({
    project: o.project,
    resourceId: o.resourceId,
    vcsProvider: o.vcsProvider,
    repository: o.repository,
    branch: o.branch,
    baseDirectory: plainDirectory(o.baseDirectory),
    databaseGroup: o.databaseGroup,
    title: o.title,
    connection: o.connection,
  });
}
