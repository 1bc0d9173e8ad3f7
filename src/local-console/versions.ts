// The Bytebase versions the local console can be (2.5 - 3.4, 3.15 - 3.21) and what differs between them: one rule
// table per era (PROFILES; TOKEN_ERA_RULES for the access-token era's connectors and providers; CiEraProfile for
// 3.15+), each rule naming the upstream file it follows, so that a reader can check it against Bytebase's release notes.

/** The eras the console reproduces; each stands for the Bytebase releases that behave alike. */
export const CONSOLE_VERSIONS = ["2.5", "2.13", "2.14", "2.15", "3.4", "3.15", "3.16", "3.21"] as const;
export type ConsoleVersion = (typeof CONSOLE_VERSIONS)[number];
export const DEFAULT_VERSION: ConsoleVersion = "2.14";

export interface VersionProfile {
  readonly version: ConsoleVersion;
  /** What `GET /v1/actuator/info` reports, e.g. "2.14.0". */
  readonly reported: string;
  /**
   * Who may call what: "roles" = 2.5 - 2.13 (`backend/api/v1/acl.go`: Owner and DBA pass every check, the others are
   * refused only the `ownerAndDBAMethods` of `acl_config.go`); "iam" = 2.14 and later (`backend/component/iam/acl.yaml`
   * checked by `backend/api/v1/acl_iam.go` before every handler).
   */
  readonly acl: "roles" | "iam";
  /**
   * The Git provider API served: `externalVersionControls` up to 2.14; from 2.15 `vcsProviders` and `vcsConnectors`;
   * none from 3.5 (GitOps moved into the CI, see ./ci-era/).
   */
  readonly gitProviders: "externalVersionControls" | "vcsProviders" | "none";
  /** 3.15 and later: the CI-era services (./ci-era/); absent before. */
  readonly ciEra?: CiEraProfile;
  /** The setting-update RPC: `SetSetting` up to 2.13, `UpdateSetting` from 2.14 (`proto/v1/setting_service.proto`). */
  readonly updateSettingMethod: "SetSetting" | "UpdateSetting";
  /** Unauthenticated message for an expired token (`backend/api/auth/auth.go`: "access token is expired" in 2.5.0). */
  readonly expiredTokenMessage: string;
  /** Extra ActuatorInfo fields of this version's `proto/v1/actuator_service.proto` (2.13: lsp, preUpdateBackup; 2.14: iamGuard, unlicensedFeatures). */
  readonly actuatorExtras: Readonly<Record<string, unknown>>;
}

export interface CiEraProfile {
  /** The workspace parent clients name: `workspaces/-` at 3.15, `workspaces/{id}` from 3.16 (the proto comments). */
  readonly workspaceParent: "-" | "id";
  /** backend/server/marshaler.go (from 3.16.0): an unknown JSON field's error suggests field names. */
  readonly suggestsFields: boolean;
  /** validateWorkloadIdentityEmail / validateServiceAccountEmail on every call (account_email_validation.go@3.21.1). */
  readonly validatesEmails: boolean;
  /** backend/api/v1/acl.go from 3.17.0: another workspace is "workspace mismatch", a missing project NotFound. */
  readonly isolatesWorkspaces: boolean;
}

const CI_ERA = (reported: string, ciEra: CiEraProfile): Omit<VersionProfile, "version"> => ({
  reported,
  acl: "iam",
  gitProviders: "none",
  updateSettingMethod: "UpdateSetting",
  expiredTokenMessage: "access token expired",
  actuatorExtras: {},
  ciEra,
});

const PROFILES: Record<ConsoleVersion, VersionProfile> = {
  "2.5": {
    version: "2.5",
    reported: "2.5.0",
    acl: "roles",
    gitProviders: "externalVersionControls",
    updateSettingMethod: "SetSetting",
    expiredTokenMessage: "access token is expired",
    actuatorExtras: {},
  },
  "2.13": {
    version: "2.13",
    reported: "2.13.0",
    acl: "roles",
    gitProviders: "externalVersionControls",
    updateSettingMethod: "SetSetting",
    expiredTokenMessage: "access token expired",
    actuatorExtras: { lsp: false, preUpdateBackup: false },
  },
  "2.14": {
    version: "2.14",
    reported: "2.14.0",
    acl: "iam",
    gitProviders: "externalVersionControls",
    updateSettingMethod: "UpdateSetting",
    expiredTokenMessage: "access token expired",
    actuatorExtras: { lsp: false, preUpdateBackup: false, iamGuard: false, unlicensedFeatures: [] },
  },
  // 3.0 - 3.4 serve vcsProviders as 2.15 does (vcs_provider_service.go@3.4.1 differs only in store calls).
  "3.4": {
    version: "3.4",
    reported: "3.4.1",
    acl: "iam",
    gitProviders: "vcsProviders",
    updateSettingMethod: "UpdateSetting",
    expiredTokenMessage: "access token expired",
    actuatorExtras: { lsp: false, preUpdateBackup: false, iamGuard: false, unlicensedFeatures: [] },
  },
  "2.15": {
    version: "2.15",
    reported: "2.15.0",
    acl: "iam",
    gitProviders: "vcsProviders",
    updateSettingMethod: "UpdateSetting",
    expiredTokenMessage: "access token expired",
    actuatorExtras: { lsp: false, preUpdateBackup: false, iamGuard: false, unlicensedFeatures: [] },
  },
  "3.15": {
    version: "3.15",
    ...CI_ERA("3.15.1", {
      workspaceParent: "-",
      suggestsFields: false,
      validatesEmails: false,
      isolatesWorkspaces: false,
    }),
  },
  "3.16": {
    version: "3.16",
    ...CI_ERA("3.16.1", {
      workspaceParent: "id",
      suggestsFields: true,
      validatesEmails: false,
      isolatesWorkspaces: false,
    }),
  },
  "3.21": {
    version: "3.21",
    ...CI_ERA("3.21.1", {
      workspaceParent: "id",
      suggestsFields: true,
      validatesEmails: true,
      isolatesWorkspaces: true,
    }),
  },
};

/** How the access-token era's `vcsProviders` and `vcsConnectors` differ between its releases (2.15.0 and 3.4.1). */
export interface TokenEraRules {
  /** The connector answer carries creator, updater, createTime, updateTime (convertStoreVCSConnector@2.15.0; not @3.4.1). */
  readonly connectorAuditFields: boolean;
  /**
   * A connector's base directory: "normalize" (2.15.0: Azure DevOps gets a leading "/", the others lose leading and
   * trailing ones) or "strict" (3.4.1: refused without a leading "/", and on create with a trailing one).
   */
  readonly baseDirectory: "normalize" | "strict";
  /** What DeleteVCSConnector's "vcs provider %s not found" names: the connector's uid (2.15.0) or the provider's id (3.4.1). */
  readonly missingProviderNames: "connector-uid" | "provider-id";
  /** The Azure DevOps webhook events of a connector: one hook per event, their ids ","-joined (3.4.1 has three). */
  readonly azureDevOpsWebhookEvents: readonly string[];
  /** A connector's stored webhook id is several, ","-joined (3.4.1 deletes each); 2.15.0 keeps one. */
  readonly webhookIdsJoined: boolean;
  /** The foreign key that refuses deleting a provider in use (migration LATEST.sql@2.15.0 vs @3.4.1). */
  readonly providerInUseKey: string;
}

/** vcs_connector_service.go, vcs_provider_service.go and plugin/vcs/azure/azure.go at 2.15.0 and 3.4.1. */
const TOKEN_ERA_RULES: Readonly<Record<"2.15" | "3.4", TokenEraRules>> = {
  "2.15": {
    connectorAuditFields: true,
    baseDirectory: "normalize",
    missingProviderNames: "connector-uid",
    azureDevOpsWebhookEvents: ["git.pullrequest.merged"],
    webhookIdsJoined: false,
    providerInUseKey: "vcs_connector_vcs_id_fkey",
  },
  "3.4": {
    connectorAuditFields: false,
    baseDirectory: "strict",
    missingProviderNames: "provider-id",
    azureDevOpsWebhookEvents: [
      "git.pullrequest.created",
      "git.pullrequest.updated",
      "git.pullrequest.merged",
    ],
    webhookIdsJoined: true,
    providerInUseKey: "vcs_connector_vcs_fkey",
  },
};

/** The rules of an access-token era console (2.15, 3.4); the routes that read them are served by those only. */
export function tokenEraRules(version: ConsoleVersion): TokenEraRules {
  if (version !== "2.15" && version !== "3.4")
    throw new Error(`Bytebase ${version} serves no vcsProviders or vcsConnectors`);
  return TOKEN_ERA_RULES[version];
}

/**
 * The profile of a version given as "2.14" or a full release "2.14.2" (reported as given). Releases between the eras
 * take the nearest era (2.5 - 2.9 as 2.5; 2.10 - 2.12 as 2.13 without its actuator fields lsp and preUpdateBackup,
 * absent from actuator_service.proto@2.10.0); 3.0 - 3.4 as 3.4; 3.15 as 3.15, 3.16 - 3.20 as 3.16, 3.21 as 3.21;
 * anything else (before 2.5, 3.5 - 3.14, after 3.21) is refused.
 */
export function versionProfile(given: string | undefined): VersionProfile {
  const text = (given ?? DEFAULT_VERSION).trim();
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text);
  const fail = () =>
    new Error(
      `--version / version: ${JSON.stringify(given)} is not a Bytebase version the local console reproduces; use one of ${CONSOLE_VERSIONS.join(", ")} (or a release such as 2.14.2)`,
    );
  if (!match || (match[1] !== "2" && match[1] !== "3")) throw fail();
  const minor = Number(match[2]);
  if (match[1] === "3" ? (minor > 4 && minor < 15) || minor > 21 : minor < 5 || minor > 15) throw fail();
  const era: ConsoleVersion =
    match[1] === "3"
      ? minor >= 21
        ? "3.21"
        : minor >= 16
          ? "3.16"
          : minor === 15
            ? "3.15"
            : "3.4"
      : minor >= 15
        ? "2.15"
        : minor === 14
          ? "2.14"
          : minor >= 10
            ? "2.13"
            : "2.5";
  const profile = PROFILES[era];
  if (match[3] === undefined && text === era) return profile;
  const reported = match[3] ? text : `${text}.0`;
  return { ...profile, reported, ...(minor < 13 && era === "2.13" ? { actuatorExtras: {} } : {}) };
}
