// The state file's schema version, and Bytebase 2.15.0's migration of the Git provider rows of a 2.14 state.
// Mirrors backend/migrator/migration/prod/2.15/{0003##vcs_token,0005##vcs_resource_id,0013##vcs_connector}.sql@2.15.0
// for what the local console keeps (providers and project links); everything else in those files has no
// counterpart here.
import { randomBytes } from "node:crypto";
import { isGitProviderType } from "../catalog";
import { nextConnectorUid, repositoryRow, type StateData } from "./state-data";
import type { VcsConnectorRecord, VcsProviderRecord } from "./types";
import type { VersionProfile } from "./versions";

/** The first release whose schema has `vcsProviders` (access tokens) instead of `externalVersionControls`. */
const TOKENS = [2, 15, 0];

const parse = (v: string) => v.split(".").map((n) => Number(n) || 0);
const compare = (a: number[], b: number[]) => {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
};
const isTokenEra = (version: string) => compare(parse(version), TOKENS) >= 0;

/**
 * The release a state file's schema is at, as Bytebase keeps it in `migration_history`. Files written before the
 * version was recorded: 2.15.0 if a 2.15 console added its `vcsProviders` lists, else 2.14.0 (the 2.5 - 2.14 shape).
 */
function schemaVersion(data: Partial<StateData> & Record<string, unknown>): string {
  if (typeof data.schemaVersion === "string") return data.schemaVersion;
  return Array.isArray(data.vcsProviders) || Array.isArray(data.vcsConnectors) ? "2.15.0" : "2.14.0";
}

/**
 * Brings a loaded state to the console's version, or refuses it naming the file, both versions and what to do.
 * - a 2.5 - 2.14 state opened by 2.15: migrated as 2.15.0 does (see migrateTo215); recorded as 2.15.0, never again.
 * - a 2.15+ state opened by 2.5 - 2.14: refused. Bytebase has no downgrade (migrator.go@2.14.0
 *   getMinorMigrationVersions skips what is older than the schema, so a 2.14 binary starts on a 2.15 schema and
 *   fails later on the first query of a dropped column such as vcs.application_id); the stand-in fails at start.
 * - a 2.5 - 2.14 state opened by 3.4: refused. backend/migrator/migration/@3.4.1 holds the migrations from 2.22
 *   only, and migrator.go@3.4.1 MigrateSchema answers a workspace with history "Must upgrade to Bytebase 3.3.1
 *   first": a 2.14 workspace reaches 3.4 through the releases between, the first of which (2.15) is what this
 *   console does with --version 2.15.
 * Otherwise the recorded version only moves forward (an older 2.x console on a newer 2.x file keeps the file's).
 */
export function upgradeState(
  data: StateData & Record<string, unknown>,
  profile: VersionProfile,
  file: string | undefined,
): void {
  const from = schemaVersion(data);
  const to = profile.reported;
  const where = file ?? "the state";
  if (isTokenEra(from) && !isTokenEra(to))
    throw new Error(
      `${where} was migrated to Bytebase ${from} (access-token vcsProviders, no externalVersionControls): a ` +
        `${to} console cannot open it, as Bytebase has no downgrade. Start the console with --version ` +
        `${from.split(".").slice(0, 2).join(".")} (or later) on it, or pass another --state`,
    );
  if (!isTokenEra(from) && isTokenEra(to) && compare(parse(to), [3, 0, 0]) >= 0)
    throw new Error(
      `${where} is a Bytebase ${from} state; Bytebase ${to} carries schema migrations from 2.22 on only ` +
        `("Must upgrade to Bytebase 3.3.1 first"). Start the console with --version 2.15 on it first (it ` +
        `migrates the Git providers as 2.15.0 does), then with --version ${profile.version}`,
    );
  if (!isTokenEra(from) && isTokenEra(to)) migrateTo215(data);
  data.schemaVersion = compare(parse(to), parse(from)) > 0 ? to : from;
}

/**
 * 0003##vcs_token.sql: `vcs` drops application_id, secret and api_url and gets `access_token` '' (so every
 * provider is without credentials until a token is set). 0005##vcs_resource_id.sql: the lowest-id provider of each
 * type gets the resource id LOWER(type) (`gitlab`, `azure_devops`: an underscore the create API's id rule
 * refuses), the others `vcs-` and 8 random hex characters; each repository (project link) gets the resource id
 * `default`. 0013##vcs_connector.sql: `repository` becomes `vcs_connector`, its id kept (nextConnectorUid: this
 * console's links keep none, so they take the ids in the order they were made) and its payload built from the old
 * row: title (the repository's name), fullPath, webUrl, branch, baseDirectory, externalId, externalWebhookId and
 * webhookSecretToken (0003 already dropped its OAuth tokens). The `externalVersionControls` rows are gone after it.
 */
function migrateTo215(data: StateData & Record<string, unknown>): void {
  const providers = (data.vcsProviders ??= []) as VcsProviderRecord[];
  const connectors = (data.vcsConnectors ??= []) as VcsConnectorRecord[];
  const taken = new Set(providers.map((p) => p.resourceId));
  const newIds = new Map<string, string>();
  const ordered = [...data.providers].sort((a, b) => Number(a.id) - Number(b.id));
  const typesSeen = new Set<string>();
  for (const old of ordered) {
    if (!isGitProviderType(old.type)) continue; // vcs.type CHECK (LATEST.sql@2.14.0): never another value
    let id = typesSeen.has(old.type) ? "" : old.type.toLowerCase();
    typesSeen.add(old.type);
    while (id === "" || taken.has(id)) id = `vcs-${randomBytes(4).toString("hex")}`;
    taken.add(id);
    newIds.set(old.id, id);
    providers.push({ resourceId: id, title: old.title, type: old.type, url: old.url, accessToken: "" });
  }
  for (const link of data.links) {
    const vcsProvider = newIds.get(link.providerId);
    const old = data.providers.find((p) => p.id === link.providerId);
    if (!vcsProvider || !old) continue; // repository.vcs_id REFERENCES vcs (id): every link has its provider
    const row = repositoryRow(link, old.url);
    connectors.push({
      uid: nextConnectorUid(data),
      project: link.projectId,
      resourceId: "default",
      vcsProvider,
      title: link.repositoryTitle ?? link.projectId,
      fullPath: row.fullPath,
      webUrl: row.webUrl,
      branch: row.branch,
      baseDirectory: row.baseDirectory,
      externalId: row.externalId,
      webhookId: row.webhookId,
      webhookSecret: row.webhookSecret,
    });
  }
  data.providers = [];
  data.links = [];
}
