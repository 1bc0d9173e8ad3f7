// GitOpsGuard: the whole set of GitOps policies (GitOpsProvider, VcsProvider, VcsConnector; the 3.15+ CI identities),
// built from one argument bag keyed by policy name (the same shape as a `--policy-pack-config` file), ready for
// `new PolicyPack(name, { policies })`.
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { isEnforcementLevel, type PolicyArgs } from "./config";
import {
  CALLBACK_URL,
  callbackUrlPolicy,
  type CallbackUrlSettings,
} from "./policies/oauth-applications/callback-url";
import {
  INSTANCE_URL,
  instanceUrlPolicy,
  type InstanceUrlSettings,
} from "./policies/git-providers/instance-url";
import {
  LEAST_PRIVILEGE,
  leastPrivilegePolicy,
  type LeastPrivilegeSettings,
} from "./policies/oauth-applications/least-privilege";
import {
  REQUIRED_SCOPES,
  requiredScopesPolicy,
  type RequiredScopesSettings,
} from "./policies/oauth-applications/required-scopes";
import {
  SECRET_EXPIRY,
  secretExpiryPolicy,
  type SecretExpirySettings,
} from "./policies/oauth-applications/secret-expiry";
import {
  UNIQUE_PROVIDERS,
  uniqueProvidersPolicy,
  type UniqueProvidersSettings,
} from "./policies/git-providers/unique-providers";

import {
  CONNECTOR_BASE_DIRECTORY,
  connectorBaseDirectoryPolicy,
  type ConnectorBaseDirectorySettings,
} from "./policies/connectors/connector-base-directory";
import {
  CONNECTOR_DATABASE_GROUP,
  connectorDatabaseGroupPolicy,
  type ConnectorDatabaseGroupSettings,
} from "./policies/connectors/connector-database-group";
import {
  CONNECTOR_BRANCH,
  connectorBranchPolicy,
  type ConnectorBranchSettings,
} from "./policies/connectors/connector-branch";
import {
  TOKEN_EXPIRY,
  tokenExpiryPolicy,
  type TokenExpirySettings,
} from "./policies/access-tokens/token-expiry";
import {
  TOKEN_LEAST_PRIVILEGE,
  tokenLeastPrivilegePolicy,
  type TokenLeastPrivilegeSettings,
} from "./policies/access-tokens/token-least-privilege";
import {
  TOKEN_PERMISSIONS,
  tokenPermissionsPolicy,
  type TokenPermissionsSettings,
} from "./policies/access-tokens/token-permissions";
import {
  UNIQUE_CONNECTORS,
  uniqueConnectorsPolicy,
  type UniqueConnectorsSettings,
} from "./policies/connectors/unique-connectors";

import { CI_ROLES, ciRolesPolicy, type CiRolesSettings } from "./policies/ci-identities/ci-roles";
import {
  DEPLOY_IDENTITY_TRUST,
  deployIdentityTrustPolicy,
  type DeployIdentityTrustSettings,
} from "./policies/ci-identities/deploy-trust";
import {
  IDENTITY_AUDIENCE,
  identityAudiencePolicy,
  type IdentityAudienceSettings,
} from "./policies/ci-identities/identity-audience";
import {
  IDENTITY_ISSUER,
  identityIssuerPolicy,
  type IdentityIssuerSettings,
} from "./policies/ci-identities/identity-issuer";
import {
  IDENTITY_SUBJECT,
  identitySubjectPolicy,
  type IdentitySubjectSettings,
} from "./policies/ci-identities/identity-subject";
import {
  LITERAL_SERVICE_KEY,
  literalServiceKeyPolicy,
  type LiteralServiceKeySettings,
} from "./policies/ci-identities/literal-service-key";
import {
  SEPARATE_IDENTITIES,
  separateIdentitiesPolicy,
  type SeparateIdentitiesSettings,
} from "./policies/ci-identities/separate-identities";

/** The policy pack's default name. */
export const GITOPS_GUARD = "gitops-guard";

/**
 * Per-policy levels and settings, keyed by policy name; `all` sets the level of every policy not listed.
 * A policy at `disabled` is left out of the set.
 */
export interface GitOpsGuardArgs {
  all?: EnforcementLevel;
  [REQUIRED_SCOPES]?: PolicyArgs<RequiredScopesSettings>;
  [LEAST_PRIVILEGE]?: PolicyArgs<LeastPrivilegeSettings>;
  [CALLBACK_URL]?: PolicyArgs<CallbackUrlSettings>;
  [INSTANCE_URL]?: PolicyArgs<InstanceUrlSettings>;
  [SECRET_EXPIRY]?: PolicyArgs<SecretExpirySettings>;
  [UNIQUE_PROVIDERS]?: PolicyArgs<UniqueProvidersSettings>;
  [TOKEN_PERMISSIONS]?: PolicyArgs<TokenPermissionsSettings>;
  [TOKEN_LEAST_PRIVILEGE]?: PolicyArgs<TokenLeastPrivilegeSettings>;
  [TOKEN_EXPIRY]?: PolicyArgs<TokenExpirySettings>;
  [CONNECTOR_BRANCH]?: PolicyArgs<ConnectorBranchSettings>;
  [CONNECTOR_BASE_DIRECTORY]?: PolicyArgs<ConnectorBaseDirectorySettings>;
  [CONNECTOR_DATABASE_GROUP]?: PolicyArgs<ConnectorDatabaseGroupSettings>;
  [UNIQUE_CONNECTORS]?: PolicyArgs<UniqueConnectorsSettings>;
  [IDENTITY_SUBJECT]?: PolicyArgs<IdentitySubjectSettings>;
  [IDENTITY_AUDIENCE]?: PolicyArgs<IdentityAudienceSettings>;
  [IDENTITY_ISSUER]?: PolicyArgs<IdentityIssuerSettings>;
  [DEPLOY_IDENTITY_TRUST]?: PolicyArgs<DeployIdentityTrustSettings>;
  [CI_ROLES]?: PolicyArgs<CiRolesSettings>;
  [SEPARATE_IDENTITIES]?: PolicyArgs<SeparateIdentitiesSettings>;
  [LITERAL_SERVICE_KEY]?: PolicyArgs<LiteralServiceKeySettings>;
}

/** Every policy factory, by its public name. */
export const GITOPS_POLICIES = {
  [REQUIRED_SCOPES]: requiredScopesPolicy,
  [LEAST_PRIVILEGE]: leastPrivilegePolicy,
  [CALLBACK_URL]: callbackUrlPolicy,
  [INSTANCE_URL]: instanceUrlPolicy,
  [SECRET_EXPIRY]: secretExpiryPolicy,
  [UNIQUE_PROVIDERS]: uniqueProvidersPolicy,
  [TOKEN_PERMISSIONS]: tokenPermissionsPolicy,
  [TOKEN_LEAST_PRIVILEGE]: tokenLeastPrivilegePolicy,
  [TOKEN_EXPIRY]: tokenExpiryPolicy,
  [CONNECTOR_BRANCH]: connectorBranchPolicy,
  [CONNECTOR_BASE_DIRECTORY]: connectorBaseDirectoryPolicy,
  [CONNECTOR_DATABASE_GROUP]: connectorDatabaseGroupPolicy,
  [UNIQUE_CONNECTORS]: uniqueConnectorsPolicy,
  [IDENTITY_SUBJECT]: identitySubjectPolicy,
  [IDENTITY_AUDIENCE]: identityAudiencePolicy,
  [IDENTITY_ISSUER]: identityIssuerPolicy,
  [DEPLOY_IDENTITY_TRUST]: deployIdentityTrustPolicy,
  [CI_ROLES]: ciRolesPolicy,
  [SEPARATE_IDENTITIES]: separateIdentitiesPolicy,
  [LITERAL_SERVICE_KEY]: literalServiceKeyPolicy,
} as const;

export type GitOpsPolicyName = keyof typeof GITOPS_POLICIES;
export const GITOPS_POLICY_NAMES = Object.keys(GITOPS_POLICIES) as GitOpsPolicyName[];

/** Builds the policies with their settings; never starts a PolicyPack. */
export function gitopsGuardPolicies(args: GitOpsGuardArgs = {}): Policies {
  const policies: Policies = [];
  for (const name of GITOPS_POLICY_NAMES) {
    const own: unknown = args[name];
    let policyArgs: unknown = own;
    if (isEnforcementLevel(args.all)) {
      if (own === undefined) policyArgs = args.all;
      else if (typeof own === "object" && own !== null && !("enforcementLevel" in own))
        policyArgs = { ...own, enforcementLevel: args.all };
    }
    const policy = (GITOPS_POLICIES[name] as (a: unknown) => Policies[number])(policyArgs);
    if (policy.enforcementLevel !== "disabled") policies.push(policy);
  }
  return policies;
}
