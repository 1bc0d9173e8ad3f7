// The shape of what this package knows about one Git provider: the single source that the resource's
// validation, the credential verification and the policies all read.

import type { AccessTokenSpec } from "./access-token";

export const GIT_PROVIDER_TYPES = ["AZURE_DEVOPS", "BITBUCKET", "GITHUB", "GITLAB"] as const;
export type GitProviderType = (typeof GIT_PROVIDER_TYPES)[number];

/** One scope (GitHub, GitLab, Azure DevOps) or permission (Bitbucket) the provider knows. */
export interface ScopeInfo {
  /** The name shown in the provider's UI, e.g. `Code (full)` or `Repositories > Write`. */
  readonly uiName: string;
  /** Scopes this one grants as well (direct implications only; `expandScopes` follows them). */
  readonly implies?: readonly string[];
  /** Grants much more than Bytebase needs: flagged loudly by the least-privilege policy. */
  readonly highPrivilege?: boolean;
}

/** How a provider compares the `redirect_uri` of a request with the callback registered in the OAuth app. */
export type CallbackRule = "exact" | "same-host-subpath" | "prefix";

/** A problem with the application id or secret found without any network call. */
export interface CredentialIssue {
  readonly property: "applicationId" | "secret";
  readonly reason: string;
}

/** What a token endpoint's answer to a made-up code says about the client credentials. */
export type ProbeVerdict = "bad-client" | "good-client" | "redirect-mismatch" | "unknown";

/** A form-encoded POST to the provider's token endpoint. */
export interface TokenRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly form: Readonly<Record<string, string>>;
}

/**
 * How to tell good client credentials from bad ones without a user: send the token endpoint a made-up code
 * and read whether the client or only the grant was refused.
 */
export interface CredentialProbe {
  request(applicationId: string, secret: string, code: string, redirectUri: string): TokenRequest;
  classify(status: number, body: Readonly<Record<string, unknown>>): ProbeVerdict;
  /** Bitbucket: a `client_credentials` request whose answer lists the scopes the consumer grants. */
  grantedScopesRequest?(applicationId: string, secret: string): TokenRequest;
}

/** Where a provider's OAuth app is edited, and what its callback field is called (UI words for fix-it advice). */
export interface OAuthAppUi {
  /** Where, in the provider's UI, the OAuth app's page is. */
  readonly appPage: string;
  /** The label of the field that holds the callback on that page. */
  readonly callbackField: string;
}

export interface GitProviderSpec {
  readonly type: GitProviderType;
  /** The provider's name in prose: "Azure DevOps", "Bitbucket.org". */
  readonly label: string;
  /** The wizard's pre-filled display name. */
  readonly defaultTitle: string;
  /** The wizard's pre-filled instance URL. */
  readonly defaultInstanceUrl: string;
  /** Cloud-only providers have exactly one valid instance URL; self-hostable ones (GitHub, GitLab) have none. */
  readonly cloudOnly: boolean;
  /**
   * A self-managed instance may be served under a path (`https://git.example.com/gitlab`). Bytebase keeps the path
   * (`strings.TrimRight(url, "/")`, backend/api/v1/externalvs_service.go@2.14.0) and derives the API and token URLs
   * from it, so apiUrl and tokenUrl append to the whole instance URL. Never on the cloud host itself.
   */
  readonly servedUnderPath: boolean;
  /** What the provider calls the things granted to an OAuth app ("scopes" or "permissions"). */
  readonly scopeTerm: "scopes" | "permissions";
  /** Where, in the provider's own UI, the OAuth app and its scopes are set: used in fix-it advice. */
  readonly whereToRegister: string;
  /** The OAuth app's page and callback field, in the provider's UI words. */
  readonly appUi: OAuthAppUi;
  /** What the provider calls the application id and the secret in its UI. */
  readonly credentialNames: { readonly applicationId: string; readonly secret: string };
  /** Every scope the catalog knows, keyed by scope string. */
  readonly scopes: Readonly<Record<string, ScopeInfo>>;
  /** What the console needs (each satisfied by the scope itself or by one that implies it). */
  readonly requiredScopes: readonly string[];
  /** How the provider matches a request's redirect_uri against the registered callback. */
  readonly callbackRule: CallbackRule;
  /** The console's `apiUrl` for an instance URL, as Bytebase derives it. */
  apiUrl(instanceUrl: string): string;
  /** The OAuth token endpoint for an instance URL. */
  tokenUrl(instanceUrl: string): string;
  /** The token-endpoint probe used to verify the credentials. */
  readonly probe: CredentialProbe;
  /** When the secret expires (seconds since the epoch), where the secret itself tells (Azure DevOps). */
  secretExpiry?(secret: string): number | undefined;
  /** Offline checks of the application id and secret's shape (never quotes the secret). */
  checkCredentials(applicationId: string, secret: string | undefined): CredentialIssue[];
  /** The access-token era (Bytebase 2.15 - 3.4): what the console needs of a token and how to inspect one. */
  readonly accessToken: AccessTokenSpec;
  /** The access-token era's connectors (Bytebase 2.15 - 3.4 `vcsConnectors`): how a repository is named to the console. */
  readonly connector: ConnectorSpec;
}

/** What a VcsConnector needs to know of a Git provider type. */
export interface ConnectorSpec {
  /**
   * Which field of the repository (as `:searchRepositories` lists it) Bytebase's GitOps wizard sends as the
   * connector's `externalId`: the full path for GitHub and Bitbucket, the id for GitLab and Azure DevOps
   * (frontend/src/components/RepositorySetupWizard.vue@2.15.0 and @3.4.1 tryFinishSetup).
   */
  readonly externalId: "id" | "fullPath";
  /** A repository path as the console lists it, for advice: `platform/db`, `contoso/Platform/db`. */
  readonly pathExample: string;
  /** Who may add a webhook to a repository at this Git provider, in its words: for fix-it advice. */
  readonly webhookRight: string;
  /** Branch names the Git provider cannot find through Bytebase's branch check, and why: for fix-it advice. */
  readonly unfindableBranch?: { readonly pattern: RegExp; readonly why: string };
}
