// The console's project-repository connector API (Bytebase 2.15 - 3.4 `projects/{p}/vcsConnectors`,
// proto/v1/vcs_connector_service.proto@2.15.0 and @3.4.1) and the repository lookup it needs
// (`POST /v1/vcsProviders/{id}:searchRepositories`, body "*", vcs_provider_service.proto@2.15.0 and @3.4.1 alike),
// typed; the only module that knows their paths and fields.
import { z } from "zod";
import { Anything } from "./answers";
import { ConsoleApi } from "./connection";
import { VcsProviderAnswer, type VcsProvider } from "./vcs-providers";

const text = z.string().max(10_000);

/**
 * convertStoreVCSConnector (vcs_connector_service.go@2.15.0; 3.4.1 without creator, updater and times). Only `name` is
 * required: 3.4.1's marshaler leaves empty fields out (server.go@3.4.1).
 */
const VcsConnectorAnswer = z.object({
  name: text.regex(/^projects\/[^/]+\/vcsConnectors\/[^/]+$/, "expected projects/<p>/vcsConnectors/<id>"),
  title: text.default(""),
  vcsProvider: text.default(""),
  externalId: text.default(""),
  baseDirectory: text.default(""),
  branch: text.default(""),
  fullPath: text.default(""),
  webUrl: text.default(""),
  databaseGroup: text.default(""),
});
export type VcsConnector = z.output<typeof VcsConnectorAnswer>;

/** VCSRepository: what `:searchRepositories` lists (FetchRepositoryList of the provider's Git provider, every page). */
const RepositoriesAnswer = z.object({
  repositories: z
    .array(
      z.object({
        id: text.default(""),
        title: text.default(""),
        fullPath: text.default(""),
        webUrl: text.default(""),
      }),
    )
    .default([]),
});
export type VcsRepository = z.output<typeof RepositoriesAnswer>["repositories"][number];

export interface NewVcsConnector {
  readonly title: string;
  /** `vcsProviders/<id>` */
  readonly vcsProvider: string;
  readonly externalId: string;
  readonly fullPath: string;
  readonly webUrl: string;
  readonly branch: string;
  readonly baseDirectory: string;
  readonly databaseGroup: string;
}

/** The fields UpdateVCSConnector honours, by their update_mask paths (vcs_connector_service.go@2.15.0). */
const CONNECTOR_UPDATABLE = {
  branch: "branch",
  baseDirectory: "base_directory",
  databaseGroup: "database_group",
} as const;
export type ConnectorUpdatable = keyof typeof CONNECTOR_UPDATABLE;

const path = (project: string, id: string) =>
  `v1/projects/${encodeURIComponent(project)}/vcsConnectors/${encodeURIComponent(id)}`;

export class VcsConnectorClient extends ConsoleApi {
  protected readonly versions = "2.15 to 3.4";

  /** The Git provider the connector goes through (its type decides the externalId). */
  provider(id: string): Promise<VcsProvider> {
    return this.call(VcsProviderAnswer, {
      method: "GET",
      path: `v1/vcsProviders/${encodeURIComponent(id)}`,
      operation: `Reading Git provider vcsProviders/${id}`,
      idempotent: true,
    });
  }

  /** Every repository the provider's token sees (SearchVCSProviderRepositories lists all pages). */
  async searchRepositories(provider: string): Promise<VcsRepository[]> {
    const answer = await this.call(RepositoriesAnswer, {
      method: "POST",
      path: `v1/vcsProviders/${encodeURIComponent(provider)}:searchRepositories`,
      body: {},
      operation: `Listing the repositories Git provider vcsProviders/${provider} sees`,
      idempotent: true,
    });
    return answer.repositories;
  }

  get(project: string, id: string): Promise<VcsConnector> {
    return this.call(VcsConnectorAnswer, {
      method: "GET",
      path: path(project, id),
      operation: `Reading connector projects/${project}/vcsConnectors/${id}`,
      idempotent: true,
    });
  }

  /** `POST /v1/projects/<p>/vcsConnectors?vcsConnectorId=<id>` with the connector as the body. */
  create(project: string, id: string, connector: NewVcsConnector): Promise<VcsConnector> {
    return this.call(VcsConnectorAnswer, {
      method: "POST",
      path: `v1/projects/${encodeURIComponent(project)}/vcsConnectors?vcsConnectorId=${encodeURIComponent(id)}`,
      body: connector,
      operation: `Creating connector projects/${project}/vcsConnectors/${id}`,
      idempotent: false,
    });
  }

  /** PATCH with an update_mask of exactly the given fields. */
  update(
    project: string,
    id: string,
    changes: Partial<Record<ConnectorUpdatable, string>>,
  ): Promise<VcsConnector> {
    const fields = Object.keys(changes) as ConnectorUpdatable[];
    const mask = fields.map((f) => CONNECTOR_UPDATABLE[f]).join(",");
    return this.call(VcsConnectorAnswer, {
      method: "PATCH",
      path: `${path(project, id)}?update_mask=${mask}`,
      body: { name: `projects/${project}/vcsConnectors/${id}`, ...changes },
      operation: `Updating ${fields.map((f) => CONNECTOR_UPDATABLE[f]).join(", ")} of connector projects/${project}/vcsConnectors/${id}`,
      idempotent: true,
    });
  }

  async delete(project: string, id: string): Promise<void> {
    await this.call(Anything, {
      method: "DELETE",
      path: path(project, id),
      operation: `Deleting connector projects/${project}/vcsConnectors/${id}`,
      idempotent: true,
    });
  }
}
