// The Bytebase versions the local console can be (the eras 2.5, 2.13, 2.14, 2.15, 3.4, 3.15, 3.16, 3.21, and each
// release of 2.5 - 3.4) and what differs between them: one table per era (PROFILES, with CiEraProfile for 3.15+) and
// one of the releases (RULE_CHANGES: the gateway in front of the API, and the access-token era's connectors and
// providers), each rule naming the upstream file and tag it follows, so that a reader can check it against
// Bytebase's source.

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
  /** What the gateway in front of the API does at this release (RULE_CHANGES). */
  readonly gateway: GatewayRules;
  /** The access-token era's rules at this release (RULE_CHANGES); undefined before 2.15. */
  readonly tokenEra?: TokenEraRules;
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

const CI_ERA = (
  reported: string,
  ciEra: CiEraProfile,
): Omit<VersionProfile, "version" | "gateway" | "tokenEra"> => ({
  reported,
  acl: "iam",
  gitProviders: "none",
  updateSettingMethod: "UpdateSetting",
  expiredTokenMessage: "access token expired",
  actuatorExtras: {},
  ciEra,
});

const PROFILES: Record<ConsoleVersion, Omit<VersionProfile, "gateway" | "tokenEra">> = {
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
  // 2.16 - 3.4 serve vcsProviders as 2.15 does (vcs_provider_service.go@3.4.1 differs only in store calls); what
  // differs between the releases of 2.15 - 3.4 is in RULE_CHANGES.
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

/**
 * What echo and grpc-gateway do in front of every `/v1/` route (backend/server/server.go and routers.go of each tag).
 */
export interface GatewayRules {
  /**
   * protojson: "emit" = grpc-gateway's default marshaler, JSONPb{EmitUnpopulated, DiscardUnknown} (server.go@2.5.0 -
   * @3.3.1 set none): empty fields emitted, unknown body keys discarded; "omit" = the plain JSONPb{} of server.go@3.4.1
   * (PR #15273): empty fields (and an error's empty `details`) left out, an unknown body key refused.
   */
  readonly marshaling: "emit" | "omit";
  /**
   * An unknown route's 404: grpc-gateway's `Not Found` (runtime/errors.go DefaultRoutingErrorHandler, 2.5 - 2.23), or
   * `Routing error. Please check the request URI <uri>` of Bytebase's WithRoutingErrorHandler (server.go@3.0.0 -
   * @3.4.1, grpc_routes.go@3.10.0), or from 3.11.0 its `gateway routing error <status>: ...` around a connect error
   * (grpc_routes.go@3.11.0 - @3.21.1; see ../gateway.ts).
   */
  readonly routeNotFound: "Not Found" | "routing-error" | "gateway-routing-error";
  /** echo's RateLimiterWithConfig, 30/s burst 60 per client IP (routers.go@2.14.0 - @3.3.1; none in routers.go@3.4.1). */
  readonly rateLimit: boolean;
}

/** How the access-token era's `vcsProviders` and `vcsConnectors` differ between its releases (2.15.0 - 3.4.1). */
export interface TokenEraRules {
  /** The connector answer carries creator, updater, createTime, updateTime (vcs_connector_service.proto@2.15.0 - @3.3.1). */
  readonly connectorAuditFields: boolean;
  /**
   * A connector's base directory (vcs_connector_service.go): "normalize" (@2.15.0: Azure DevOps gets a leading "/",
   * the others lose leading and trailing ones); "leading" (@2.16.0: create and update refuse a value without a
   * leading "/"); "leading-no-trailing" (@2.19.0, #12319: create also refuses a trailing "/", update does not).
   */
  readonly baseDirectory: "normalize" | "leading" | "leading-no-trailing";
  /** What DeleteVCSConnector's "vcs provider %s not found" names: the connector's uid (to 3.3.1) or the provider's id (3.4.1). */
  readonly missingProviderNames: "connector-uid" | "provider-id";
  /** The Azure DevOps webhook events of a connector: one hook per event (createVCSWebhook@2.23.0 has three). */
  readonly azureDevOpsWebhookEvents: readonly string[];
  /** A connector's stored webhook id is several, ","-joined, each deleted (vcs_connector_service.go@2.23.0 on). */
  readonly webhookIdsJoined: boolean;
  /** The foreign key that refuses deleting a provider in use (LATEST.sql; 3.4/0007##less_id.sql@3.4.1 renames it). */
  readonly providerInUseKey: string;
}

/**
 * The rule table of the releases: each row holds what changed in that release, and a release follows every row up to
 * its own. Read at the tags named, in a mirror of bytebase/bytebase (`git show <tag>:<path>`).
 */
const RULE_CHANGES: readonly {
  readonly from: string;
  readonly gateway?: Partial<GatewayRules>;
  readonly tokenEra?: Partial<TokenEraRules>;
}[] = [
  { from: "2.5.0", gateway: { marshaling: "emit", routeNotFound: "Not Found", rateLimit: true } },
  {
    from: "2.15.0",
    tokenEra: {
      connectorAuditFields: true,
      baseDirectory: "normalize",
      missingProviderNames: "connector-uid",
      azureDevOpsWebhookEvents: ["git.pullrequest.merged"],
      webhookIdsJoined: false,
      providerInUseKey: "vcs_connector_vcs_id_fkey",
    },
  },
  { from: "2.16.0", tokenEra: { baseDirectory: "leading" } },
  { from: "2.19.0", tokenEra: { baseDirectory: "leading-no-trailing" } },
  {
    from: "2.23.0",
    tokenEra: {
      azureDevOpsWebhookEvents: [
        "git.pullrequest.created",
        "git.pullrequest.updated",
        "git.pullrequest.merged",
      ],
      webhookIdsJoined: true,
    },
  },
  { from: "3.0.0", gateway: { routeNotFound: "routing-error" } },
  {
    from: "3.4.0",
    gateway: { marshaling: "omit", rateLimit: false },
    tokenEra: {
      connectorAuditFields: false,
      missingProviderNames: "provider-id",
      providerInUseKey: "vcs_connector_vcs_fkey",
    },
  },
  { from: "3.11.0", gateway: { routeNotFound: "gateway-routing-error" } },
];

const releaseOf = (text: string) => text.split(/[.-]/, 3).map((n) => Number(n) || 0);
const atLeast = (release: number[], from: string) => {
  const f = releaseOf(from);
  for (let i = 0; i < 3; i++) if (release[i] !== f[i]) return release[i]! > f[i]!;
  return true;
};

/** The rules of a release (`2.19.0`): the gateway's, and the access-token era's from 2.15.0. */
function rulesOf(reported: string): Pick<VersionProfile, "gateway" | "tokenEra"> {
  const release = releaseOf(reported);
  const rows = RULE_CHANGES.filter((row) => atLeast(release, row.from));
  const gateway = Object.assign({}, ...rows.map((r) => r.gateway)) as GatewayRules;
  // 3.5.0 removed vcsProviders and vcsConnectors (bytebase PR #15353).
  const tokenEra =
    atLeast(release, "2.15.0") && !atLeast(release, "3.5.0")
      ? (Object.assign({}, ...rows.map((r) => r.tokenEra)) as TokenEraRules)
      : undefined;
  return { gateway, tokenEra };
}

/** The rules of an access-token era console (2.15 - 3.4); the routes that read them are served by those only. */
export function tokenEraRules(profile: VersionProfile): TokenEraRules {
  if (!profile.tokenEra)
    throw new Error(`Bytebase ${profile.reported} serves no vcsProviders or vcsConnectors`);
  return profile.tokenEra;
}

/**
 * The profile of a version given as "2.14" or a full release "2.14.2" (reported as given). Releases between the eras
 * take the nearest era (2.5 - 2.9 as 2.5; 2.10 - 2.12 as 2.13 without its actuator fields lsp and preUpdateBackup,
 * absent from actuator_service.proto@2.10.0; 2.16 - 2.23 as 2.15; 3.0 - 3.3 as 3.4; 3.15; 3.16 - 3.20 as 3.16;
 * 3.21), each with its release's rules (RULE_CHANGES); anything else (3.5 - 3.14 included) is refused.
 */
export function versionProfile(given: string | undefined): VersionProfile {
  const text = (given ?? DEFAULT_VERSION).trim();
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text);
  const fail = () =>
    new Error(
      `--version / version: ${JSON.stringify(given)} is not a Bytebase version the local console reproduces; use one of ${CONSOLE_VERSIONS.join(", ")} (or a release of 2.5 - 2.23, 3.0 - 3.4 or 3.15 - 3.21, such as 2.14.2 or 2.19.0)`,
    );
  if (!match || (match[1] !== "2" && match[1] !== "3")) throw fail();
  const minor = Number(match[2]);
  if (match[1] === "3" ? (minor > 4 && minor < 15) || minor > 21 : minor < 5 || minor > 23) throw fail();
  const ciEra: ConsoleVersion = minor >= 21 ? "3.21" : minor >= 16 ? "3.16" : "3.15";
  const era: ConsoleVersion =
    match[1] === "3"
      ? minor >= 15
        ? ciEra
        : "3.4"
      : minor >= 15
        ? "2.15"
        : minor === 14
          ? "2.14"
          : minor >= 10
            ? "2.13"
            : "2.5";
  const base = PROFILES[era];
  const reported = match[3] === undefined && text === era ? base.reported : match[3] ? text : `${text}.0`;
  return {
    ...base,
    reported,
    ...(minor < 13 && era === "2.13" ? { actuatorExtras: {} } : {}),
    ...rulesOf(reported),
  };
}
