// Public entry `pulumi-bytebase-gitops/policy`: each GitOps policy on its own (GitOpsProvider, VcsProvider,
// VcsConnector), the builder of the whole set, and the resource readers, for composing into any policy pack.
// Starts no PolicyPack.
export { GITOPS_GUARD, GITOPS_POLICY_NAMES, gitopsGuardPolicies } from "./guard";
export type { GitOpsGuardArgs, GitOpsPolicyName } from "./guard";
export {
  REQUIRED_SCOPES,
  requiredScopesPolicy,
  type RequiredScopesSettings,
} from "./policies/required-scopes";
export {
  LEAST_PRIVILEGE,
  leastPrivilegePolicy,
  type LeastPrivilegeSettings,
} from "./policies/least-privilege";
export { CALLBACK_URL, callbackUrlPolicy, type CallbackUrlSettings } from "./policies/callback-url";
export { INSTANCE_URL, instanceUrlPolicy, type InstanceUrlSettings } from "./policies/instance-url";
export { SECRET_EXPIRY, secretExpiryPolicy, type SecretExpirySettings } from "./policies/secret-expiry";
export {
  UNIQUE_PROVIDERS,
  uniqueProvidersPolicy,
  type UniqueProvidersSettings,
} from "./policies/unique-providers";
export {
  TOKEN_PERMISSIONS,
  tokenPermissionsPolicy,
  type TokenPermissionsSettings,
} from "./policies/token-permissions";
export {
  TOKEN_LEAST_PRIVILEGE,
  tokenLeastPrivilegePolicy,
  type TokenLeastPrivilegeSettings,
} from "./policies/token-least-privilege";
export { TOKEN_EXPIRY, tokenExpiryPolicy, type TokenExpirySettings } from "./policies/token-expiry";
export {
  CONNECTOR_BRANCH,
  connectorBranchPolicy,
  DEFAULT_ALLOWED_BRANCHES,
  type ConnectorBranchSettings,
} from "./policies/connector-branch";
export {
  CONNECTOR_BASE_DIRECTORY,
  connectorBaseDirectoryPolicy,
  type ConnectorBaseDirectorySettings,
} from "./policies/connector-base-directory";
export {
  CONNECTOR_DATABASE_GROUP,
  connectorDatabaseGroupPolicy,
  type ConnectorDatabaseGroupSettings,
} from "./policies/connector-database-group";
export {
  UNIQUE_CONNECTORS,
  uniqueConnectorsPolicy,
  type UniqueConnectorsSettings,
} from "./policies/unique-connectors";
export { GITOPS_PROVIDER_TYPE, readGitOpsProvider } from "./resource";
export { VCS_CONNECTOR_TYPE, VCS_PROVIDER_TYPE, readVcsConnector, readVcsProvider } from "./vcs-resources";
export type { VcsConnectorView, VcsProviderView } from "./vcs-resources";
export type { GitOpsProviderView, ProviderProp } from "./resource";
export type { PolicyArgs, PerType } from "./config";
