// What the console's state file holds (accounts, settings, Git providers, linked projects, fake OAuth apps), as
// state.ts loads and saves it and migration.ts upgrades it, and the id sequence of stored connectors.
import type { LinkedRepository, ProviderRecord, RegisteredApp, Role } from "./types";

export interface Account {
  id: number;
  email: string;
  kind: "user" | "service";
  role: Role;
  /** The password of a user or the key of a service account (a local test console: stored in clear). */
  secret: string;
}

export interface ProjectLink {
  providerId: string;
  projectId: string;
  /** The Bytebase project's title. */
  title: string;
  /** The linked repository's title (its name at the Git provider); absent in older state files = the project id. */
  repositoryTitle?: string;
  /** The rest of the repository row, when given to linkProject; else as repositoryRow makes it. */
  repository?: Partial<LinkedRepository>;
}

/** A link's repository row: as given to linkProject, else what the 2.5 - 2.14 wizard would have stored for it. */
export function repositoryRow(link: ProjectLink, providerUrl: string): LinkedRepository {
  const fullPath = link.repository?.fullPath ?? `bytebase/${link.repositoryTitle ?? link.projectId}`;
  return {
    fullPath,
    webUrl: `${providerUrl}/${fullPath}`,
    branch: "main",
    baseDirectory: "bytebase",
    externalId: fullPath,
    webhookId: "",
    webhookSecret: "",
    ...link.repository,
  };
}

/** A registered OAuth app as stored: what tests see, plus when its secret stops working. */
export interface StoredApp extends RegisteredApp {
  /** Epoch ms after which the secret is refused; absent = never. */
  secretExpiresAt?: number;
}

export interface StateData {
  jwtSecret: string;
  workspaceId: string;
  /** Unset = "" (as Bytebase stores it). */
  externalUrl: string;
  /** The profile's gitopsWebhookUrl: where connectors' webhooks point when set ("" = the external URL). */
  gitopsWebhookUrl?: string;
  /** True while the external URL is the console's own URL by default (recomputed at each start). */
  externalUrlIsDefault: boolean;
  disallowSignup: boolean;
  require2fa: boolean;
  nextProviderId: number;
  nextPrincipalId: number;
  accounts: Account[];
  providers: ProviderRecord[];
  links: ProjectLink[];
  oauthApps: StoredApp[];
  /**
   * The Bytebase release the state's schema is at (as `migration_history`): the newest console version that opened
   * it. Absent in files of older local consoles (see migration.ts schemaVersion).
   */
  schemaVersion?: string;
}

/**
 * The next vcs_connector.id: `id SERIAL` with `ALTER SEQUENCE vcs_connector_id_seq RESTART WITH 101`
 * (migration/prod/LATEST.sql@2.15.0, migration/LATEST.sql@3.4.1). 0013##vcs_connector.sql@2.15.0 renames
 * `repository` (its sequence restarted at 101 too, LATEST.sql@2.14.0) with its ids, so migrated links take theirs
 * from the same sequence.
 */
export function nextConnectorUid(data: object): number {
  const seq = data as { nextVcsConnectorUid?: number };
  seq.nextVcsConnectorUid ??= 101;
  return seq.nextVcsConnectorUid++;
}
