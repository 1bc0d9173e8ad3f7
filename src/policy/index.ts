// Public entry `pulumi-bytebase-gitops/policy`: each GitOps policy on its own, the builder of the whole set,
// and the resource reader, for composing into any policy pack. Starts no PolicyPack.
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
export { GITOPS_PROVIDER_TYPE, readGitOpsProvider } from "./resource";
export type { GitOpsProviderView, ProviderProp } from "./resource";
export type { PolicyArgs, PerType } from "./config";
