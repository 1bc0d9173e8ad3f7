// The public shapes of the local console: its options, its handle, registered OAuth apps and injectable faults.
import type { GitProviderType } from "../catalog";
import type { IssuedToken, IssueTokenInput } from "./git-fakes";
import type { FakeHook } from "./git-fakes/repos";
import type { Fault } from "./faults";

export type { Fault, FaultTarget } from "./faults";

export type Role = "admin" | "dba" | "member";

export interface LocalConsoleOptions {
  /** Port of the console on `host`; 0 or absent = a random free port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** The workspace external URL; default the console's own URL; null = none set. */
  externalUrl?: string | null;
  /** JSON file the state is loaded from at start and saved to on every change; absent = in memory. */
  stateFile?: string;
  /** Clock in milliseconds; default Date.now. `advanceClock` adds to it. */
  now?: () => number;
  /**
   * Bytebase's rate limiter (30 requests/s per client IP, burst 60, 429 `null`) in front of every route; default
   * true, as in Bytebase through 3.3 (3.4.1 has none, so a 3.4 console never has it). false for tests that send more
   * than it allows and are not about it.
   */
  rateLimit?: boolean;
  /**
   * The Bytebase version to be: "2.5", "2.13", "2.14" (default), "2.15" or "3.4", or a release of 2.5 - 2.23 or 3.0 - 3.4
   * such as "2.14.2" or "2.19.0" (reported as given, behaving as its era with its release's rules: versions.ts).
   * Decides permissions, routes, the gateway's answers and what /v1/actuator/info reports.
   */
  version?: string;
  /** Extension: ports of the fake OAuth providers (0 or absent = random). */
  oauthPorts?: Partial<Record<GitProviderType, number>>;
  /** Extension: the key of the admin service account when the state is fresh (default: random `bbs_...`). */
  adminKey?: string;
}

export interface RegisterAppInput {
  applicationId?: string;
  secret?: string;
  callbackUrl?: string | string[];
  scopes?: string[];
  clientCredentials?: boolean;
  secretExpiresAt?: Date;
}

export interface RegisteredApp {
  type: GitProviderType;
  applicationId: string;
  secret: string;
  /** Azure DevOps only: the "App Secret" shown next to the Client Secret; not a JWT, refused by the token endpoint. */
  appSecret?: string;
  callbackUrls: string[];
  scopes: string[];
  clientCredentials: boolean;
}

export interface ProviderRecord {
  id: string;
  title: string;
  type: string;
  url: string;
  /** As Bytebase stores it at create (derived from the URL as given); absent in state files of older consoles. */
  apiUrl?: string;
  applicationId: string;
  secret: string;
}

export interface VcsProviderRecord {
  resourceId: string;
  title: string;
  type: GitProviderType;
  url: string;
  /** "" after the 2.15 migration until a token is set (0003##vcs_token.sql@2.15.0). */
  accessToken: string;
}

/** What a 2.14 console's `repository` row (LATEST.sql@2.14.0) holds of a link beyond its project and provider. */
export interface LinkedRepository {
  fullPath: string;
  webUrl: string;
  /** branch_filter */
  branch: string;
  baseDirectory: string;
  externalId: string;
  /** external_webhook_id: the hook the Git provider made ("": none made by this console). */
  webhookId: string;
  webhookSecret: string;
}

/** A connector as stored (vcs_connector row and its payload, backend/store/vcs_connector.go@2.15.0): ./routes/vcs-connectors.ts. */
export interface VcsConnectorRecord {
  /** vcs_connector.id (see nextConnectorUid in state-data.ts), which DeleteVCSConnector@2.15.0 names when its provider is missing. */
  uid: number;
  project: string;
  resourceId: string;
  /** The provider's resource id (the `vcs_id` foreign key that refuses deleting a provider in use). */
  vcsProvider: string;
  fullPath: string;
  branch: string;
  title?: string;
  externalId?: string;
  webUrl?: string;
  baseDirectory?: string;
  databaseGroup?: string;
  /** The Git provider's hook id(s), ","-joined (3.4.1: one per Azure DevOps event). */
  webhookId?: string;
  webhookSecret?: string;
  creator?: string;
  updater?: string;
  createTime?: string;
  updateTime?: string;
}

export interface LocalConsole {
  readonly url: string;
  readonly admin: { email: string; key: string };
  addServiceAccount(email: string, role: Role): { email: string; key: string };
  addUser(email: string, password: string, role: Role): void;
  setExternalUrl(url: string | null): void;
  /**
   * Links a Bytebase project (created from its title) to the provider through a repository, as the GitOps wizard
   * does; `repositoryTitle` (default: the project's id) is what ListProjectGitOpsInfo answers as `title`, and
   * `repository` the rest of the row (default: `bytebase/<title>`, branch main, base directory bytebase), which
   * 2.15's migration keeps in the connector.
   */
  linkProject(
    providerId: string,
    projectTitle?: string,
    repositoryTitle?: string,
    repository?: Partial<LinkedRepository>,
  ): void;
  unlinkProjects(providerId: string): void;
  listProviders(): ProviderRecord[];
  advanceClock(ms: number): void;
  readonly faults: { inject(fault: Fault): () => void; clear(): void };
  readonly oauth: {
    url(type: GitProviderType): string;
    register(type: GitProviderType, app?: RegisterAppInput): RegisteredApp;
    issueCode(type: GitProviderType, applicationId: string, redirectUri: string): string;
  };
  /** Extension: access tokens the fake Git providers know (Bytebase 2.15 - 3.4). */
  readonly git: {
    issueToken(type: GitProviderType, input?: IssueTokenInput): IssuedToken;
    revokeToken(token: string): void;
    /** A repository's branches (made with `main` when a token first lists it); the branch is added. */
    addBranch(type: GitProviderType, fullPath: string, branch: string): void;
    /** The webhooks on a repository (Azure DevOps: `<organization>/<project>/<repository>`), as the Git provider keeps them. */
    hooks(type: GitProviderType, fullPath: string): FakeHook[];
    /** The Git provider refuses (or accepts again) hook URLs on loopback or private addresses, as cloud services do. */
    refusePrivateHookUrls(type: GitProviderType, on?: boolean): void;
  };
  /** Extension (2.15 - 3.4): the `vcsProviders` as stored, and connectors that use one. */
  readonly vcs: {
    providers(): VcsProviderRecord[];
    /** The connectors as stored (`vcsConnectors` of every project). */
    connectors(): VcsConnectorRecord[];
    /** Adds a project (every console has `default`); `archive` marks it deleted as Bytebase archives projects. */
    addProject(resourceId: string, title?: string): void;
    archiveProject(resourceId: string): void;
    addConnector(provider: string, project: string, resourceId?: string, fullPath?: string): void;
    removeConnectors(provider: string): void;
    /** Stores a provider as is, without any check (e.g. the rows Bytebase's 2.15 migration leaves). */
    put(record: VcsProviderRecord): void;
  };
  /** Whether Bytebase's rate limiter is on (`rateLimit` option), and how many requests it has answered 429. */
  readonly rateLimit: { readonly on: boolean; readonly denied: number };
  /** Every console request: its path as sent (no query) and its query string (`update_mask=title`, or ""). */
  readonly requests: Array<{ method: string; path: string; query: string }>;
  close(): Promise<void>;
}
