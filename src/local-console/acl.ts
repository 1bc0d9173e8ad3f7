// Who may call which RPC, per Bytebase version: the 2.5 - 2.13 role checks and the 2.14+ acl.yaml permissions.
import { Code, GrpcError } from "./errors";
import type { Account } from "./state-data";
import type { Role } from "./types";
import type { VersionProfile } from "./versions";

const EVC = "/bytebase.v1.ExternalVersionControlService";
const SETTING = "/bytebase.v1.SettingService";
const VCS = "/bytebase.v1.VCSProviderService";
const CONNECTOR = "/bytebase.v1.VCSConnectorService";

/** The RPCs the console serves, by their gRPC full method name. */
export const Method = {
  listEvc: `${EVC}/ListExternalVersionControls`,
  getEvc: `${EVC}/GetExternalVersionControl`,
  createEvc: `${EVC}/CreateExternalVersionControl`,
  updateEvc: `${EVC}/UpdateExternalVersionControl`,
  deleteEvc: `${EVC}/DeleteExternalVersionControl`,
  exchangeToken: `${EVC}/ExchangeToken`,
  searchProjects: `${EVC}/SearchExternalVersionControlProjects`,
  listProjectGitOpsInfo: `${EVC}/ListProjectGitOpsInfo`,
  listVcsProviders: `${VCS}/ListVCSProviders`,
  getVcsProvider: `${VCS}/GetVCSProvider`,
  createVcsProvider: `${VCS}/CreateVCSProvider`,
  updateVcsProvider: `${VCS}/UpdateVCSProvider`,
  deleteVcsProvider: `${VCS}/DeleteVCSProvider`,
  searchVcsRepositories: `${VCS}/SearchVCSProviderRepositories`,
  listVcsConnectorsInProvider: `${VCS}/ListVCSConnectorsInProvider`,
  createVcsConnector: `${CONNECTOR}/CreateVCSConnector`,
  getVcsConnector: `${CONNECTOR}/GetVCSConnector`,
  listVcsConnectors: `${CONNECTOR}/ListVCSConnectors`,
  updateVcsConnector: `${CONNECTOR}/UpdateVCSConnector`,
  deleteVcsConnector: `${CONNECTOR}/DeleteVCSConnector`,
  listSettings: `${SETTING}/ListSettings`,
  getSetting: `${SETTING}/GetSetting`,
  /** 2.5 - 2.13 name it SetSetting, 2.14 UpdateSetting; `updateSettingMethod` picks the version's. */
  setSetting: `${SETTING}/SetSetting`,
  updateSetting: `${SETTING}/UpdateSetting`,
} as const;

/** `methodPermissionMap` of `backend/api/v1/acl_config.go`@2.14.0 (the methods this console serves). */
const PERMISSION_OF: Readonly<Record<string, string>> = {
  [Method.listEvc]: "bb.externalVersionControls.list",
  [Method.getEvc]: "bb.externalVersionControls.get",
  [Method.createEvc]: "bb.externalVersionControls.create",
  [Method.exchangeToken]: "bb.externalVersionControls.exchangeToken",
  [Method.updateEvc]: "bb.externalVersionControls.update",
  [Method.deleteEvc]: "bb.externalVersionControls.delete",
  [Method.searchProjects]: "bb.externalVersionControls.searchProjects",
  [Method.listProjectGitOpsInfo]: "bb.externalVersionControls.listProjects",
  // backend/api/v1/acl_config.go@2.15.0 (proto/v1/vcs_provider_service.proto@3.4.1 `permission` options, the same).
  [Method.listVcsProviders]: "bb.vcsProviders.list",
  [Method.getVcsProvider]: "bb.vcsProviders.get",
  [Method.createVcsProvider]: "bb.vcsProviders.create",
  [Method.updateVcsProvider]: "bb.vcsProviders.update",
  [Method.deleteVcsProvider]: "bb.vcsProviders.delete",
  [Method.searchVcsRepositories]: "bb.vcsProviders.searchProjects",
  [Method.listVcsConnectorsInProvider]: "bb.vcsProviders.listProjects",
  // proto/v1/vcs_connector_service.proto@3.4.1 `permission` options (acl_config.go@2.15.0 the same); acl.yaml@2.15.0
  // gives them to workspaceAdmin and workspaceDBA (and project owners), not to workspaceMember.
  [Method.createVcsConnector]: "bb.vcsConnectors.create",
  [Method.getVcsConnector]: "bb.vcsConnectors.get",
  [Method.listVcsConnectors]: "bb.vcsConnectors.list",
  [Method.updateVcsConnector]: "bb.vcsConnectors.update",
  [Method.deleteVcsConnector]: "bb.vcsConnectors.delete",
  [Method.listSettings]: "bb.settings.list",
  [Method.getSetting]: "bb.settings.get",
  [Method.updateSetting]: "bb.settings.set",
};

/**
 * The roles' permissions in `backend/component/iam/acl.yaml`@2.14.0 (same for these permissions in 2.15.0), limited
 * to the permissions above: workspaceAdmin and workspaceDBA hold them all; workspaceMember only exchangeToken, get,
 * list and searchProjects of the Git providers and `bb.settings.list` (so neither `bb.settings.get` nor
 * `bb.externalVersionControls.listProjects`).
 */
const ALL = new Set(Object.values(PERMISSION_OF));
const IAM_ROLES: Record<Role, ReadonlySet<string>> = {
  admin: ALL,
  dba: ALL,
  member: new Set([
    "bb.externalVersionControls.exchangeToken",
    "bb.externalVersionControls.get",
    "bb.externalVersionControls.list",
    "bb.externalVersionControls.searchProjects",
    "bb.settings.list",
    // backend/component/iam/acl.yaml@2.15.0 workspaceMember
    "bb.vcsProviders.get",
    "bb.vcsProviders.list",
    "bb.vcsProviders.searchProjects",
  ]),
};

/**
 * Of the methods served here, only SetSetting is in `ownerAndDBAMethods` (`backend/api/v1/acl_config.go`@2.5.0,
 * @2.10.0, @2.13.0); no ExternalVersionControlService method is, so every role may create, update and delete Git
 * providers there.
 */
const OWNER_AND_DBA_METHODS = new Set<string>([Method.setSetting]);

/** The ACL interceptor's verdict on `account` calling `method`; throws Bytebase's 403 when refused. */
export function checkAcl(
  profile: VersionProfile,
  account: Account,
  method: string,
  /** The project ids the request names (acl_iam.go@2.15.0 getProjectIDsForVCSConnectorService); else none. */
  projects: readonly string[] = [],
): void {
  if (profile.acl === "roles") {
    // backend/api/v1/acl.go@2.13.0 ACLInterceptor: Owner and DBA pass; others are refused ownerAndDBAMethods.
    if (account.role === "admin" || account.role === "dba") return;
    if (OWNER_AND_DBA_METHODS.has(method))
      throw new GrpcError(
        Code.PermissionDenied,
        `only workspace owner and DBA can access method "${method}"`,
      );
    return;
  }
  // backend/api/v1/acl_iam.go@2.14.0 checkIAMPermission: `extra` lists the project ids (none for workspace methods).
  const extra = `[${projects.join(" ")}]`;
  const permission = PERMISSION_OF[method];
  if (permission === undefined)
    throw new GrpcError(
      Code.Internal,
      `failed to check permission for method "${method}", extra ${extra}, err: method "${method}" not found in method-permission map`,
    );
  if (!IAM_ROLES[account.role].has(permission))
    throw new GrpcError(
      Code.PermissionDenied,
      `permission denied for method "${method}", user does not have permission "${permission}", extra ${extra}`,
    );
}
