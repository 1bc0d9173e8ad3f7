// Public entry `pulumi-bytebase-gitops/policy`: each GitOps policy on its own (GitOpsProvider, VcsProvider,
// VcsConnector), the builder of the whole set, and the resource readers, for composing into any policy pack.
// Starts no PolicyPack.
export { GITOPS_GUARD, GITOPS_POLICY_NAMES, gitopsGuardPolicies } from "./guard";
export type { GitOpsGuardArgs, GitOpsPolicyName } from "./guard";
export {
  REQUIRED_SCOPES,
  requiredScopesPolicy,
  type RequiredScopesSettings,
} from "./policies/oauth-applications/required-scopes";
export {
  LEAST_PRIVILEGE,
  leastPrivilegePolicy,
  type LeastPrivilegeSettings,
} from "./policies/oauth-applications/least-privilege";
export {
  CALLBACK_URL,
  callbackUrlPolicy,
  type CallbackUrlSettings,
} from "./policies/oauth-applications/callback-url";
export {
  INSTANCE_URL,
  instanceUrlPolicy,
  type InstanceUrlSettings,
} from "./policies/git-providers/instance-url";
export {
  SECRET_EXPIRY,
  secretExpiryPolicy,
  type SecretExpirySettings,
} from "./policies/oauth-applications/secret-expiry";
export {
  UNIQUE_PROVIDERS,
  uniqueProvidersPolicy,
  type UniqueProvidersSettings,
} from "./policies/git-providers/unique-providers";
export {
  TOKEN_PERMISSIONS,
  tokenPermissionsPolicy,
  type TokenPermissionsSettings,
} from "./policies/access-tokens/token-permissions";
export {
  TOKEN_LEAST_PRIVILEGE,
  tokenLeastPrivilegePolicy,
  type TokenLeastPrivilegeSettings,
} from "./policies/access-tokens/token-least-privilege";
export {
  TOKEN_EXPIRY,
  tokenExpiryPolicy,
  type TokenExpirySettings,
} from "./policies/access-tokens/token-expiry";
export {
  CONNECTOR_BRANCH,
  connectorBranchPolicy,
  DEFAULT_ALLOWED_BRANCHES,
  type ConnectorBranchSettings,
} from "./policies/connectors/connector-branch";
export {
  CONNECTOR_BASE_DIRECTORY,
  connectorBaseDirectoryPolicy,
  type ConnectorBaseDirectorySettings,
} from "./policies/connectors/connector-base-directory";
export {
  CONNECTOR_DATABASE_GROUP,
  connectorDatabaseGroupPolicy,
  type ConnectorDatabaseGroupSettings,
} from "./policies/connectors/connector-database-group";
export {
  UNIQUE_CONNECTORS,
  uniqueConnectorsPolicy,
  type UniqueConnectorsSettings,
} from "./policies/connectors/unique-connectors";
export { GITOPS_PROVIDER_TYPE, readGitOpsProvider } from "./gitops-resources";
export { VCS_CONNECTOR_TYPE, VCS_PROVIDER_TYPE, readVcsConnector, readVcsProvider } from "./vcs-resources";
export type { VcsConnectorView, VcsProviderView } from "./vcs-resources";
export type { GitOpsProviderView, ProviderProp } from "./gitops-resources";
export type { PolicyArgs, PerType } from "./config";
export {
  IDENTITY_SUBJECT,
  identitySubjectPolicy,
  type IdentitySubjectSettings,
} from "./policies/ci-identities/identity-subject";
export {
  IDENTITY_AUDIENCE,
  identityAudiencePolicy,
  type IdentityAudienceSettings,
} from "./policies/ci-identities/identity-audience";
export {
  IDENTITY_ISSUER,
  identityIssuerPolicy,
  type IdentityIssuerSettings,
} from "./policies/ci-identities/identity-issuer";
export {
  DEPLOY_IDENTITY_TRUST,
  deployIdentityTrustPolicy,
  type DeployIdentityTrustSettings,
} from "./policies/ci-identities/deploy-trust";
export { CI_ROLES, ciRolesPolicy, type CiRolesSettings } from "./policies/ci-identities/ci-roles";
export {
  SEPARATE_IDENTITIES,
  separateIdentitiesPolicy,
  type SeparateIdentitiesSettings,
} from "./policies/ci-identities/separate-identities";
export {
  LITERAL_SERVICE_KEY,
  literalServiceKeyPolicy,
  type LiteralServiceKeySettings,
} from "./policies/ci-identities/literal-service-key";
export {
  PROJECT_IAM_MEMBER_TYPE,
  SERVICE_ACCOUNT_TYPE,
  WORKLOAD_IDENTITY_TYPE,
  readProjectIamMember,
  readWorkloadIdentity,
  type ProjectIamMemberView,
  type WorkloadIdentityView,
} from "./ci-resources";
