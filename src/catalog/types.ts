// The shape of what this package knows about one Git provider: the single source that the resource's
// validation, the credential verification and the policies all read.

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
  /**
   * Which of the token's repositories Bytebase lists (its plugin's FetchRepositoryList@2.15.0 - @3.4.1), for advice
   * when a declared repository is not among them.
   */
  readonly listed: string;
  /** Branch names the Git provider cannot find through Bytebase's branch check, and why: for fix-it advice. */
  readonly unfindableBranch?: { readonly pattern: RegExp; readonly why: string };
}

// The access-token era (Bytebase 2.15 - 3.4 `vcsProviders`): what a token is and may do, per Git provider.

/** One kind of token a Git provider makes (GitHub: fine-grained and classic), with its own permission names. */
export interface TokenKind {
  /** The kind in the Git provider's words: "fine-grained personal access token", "app password". */
  readonly kind: string;
  /** What the Git provider calls what the token grants: "scopes" or "permissions". */
  readonly term: "scopes" | "permissions";
  /** Where, in the Git provider's UI, a token of this kind is made and its permissions chosen. */
  readonly where: string;
  /** Every permission name of this kind, with its UI words and what it implies. */
  readonly known: Readonly<Record<string, ScopeInfo>>;
  /** What Bytebase's wizard asks of it (frontend/src/components/VCS/VCSProviderBasicInfoPanel.vue@2.15.0, 3.4.1). */
  readonly required: readonly string[];
  /** Its permissions are chosen once, when it is made (GitLab tokens, Bitbucket app passwords). */
  readonly fixed?: boolean;
  /** What Bytebase needs beyond the permissions, for advice (a role, the organizations). */
  readonly alsoNeeds?: string;
}

/** What one answer of the Git provider's API held (headers lower-cased). */
export interface GitApiAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** A GET to the Git provider's API with the token's Authorization header; `unreachable` when no answer came. */
export type AskGitProvider = (url: string) => Promise<GitApiAnswer | { readonly unreachable: string }>;

/** One thing told about a token: `unverifiable` is "could not verify", never a failure. */
export interface TokenFinding {
  /** `token`, `permissions`, `expiry`, `repositories`, `organizations`. */
  readonly check: string;
  readonly outcome: "verified" | "failed" | "unverifiable";
  /** In the Git provider's words; never the token. */
  readonly detail: string;
}

export interface TokenInspection {
  readonly findings: TokenFinding[];
  /** When the token stops working (ISO 8601), where the Git provider tells. */
  readonly expiresAt?: string;
  /** What the Git provider says the token grants, in its words (where it tells). */
  readonly granted?: readonly string[];
  /** The kind of token (`TokenKind.kind`) `granted` is in, where the Git provider has several. */
  readonly grantedKind?: string;
}

export interface AccessTokenSpec {
  /** What the Git provider calls the token: "personal access token", "app password". */
  readonly term: string;
  /** Where, in the Git provider's UI, the token is made: for fix-it advice. */
  readonly whereToMake: string;
  /** What Bytebase's wizard asks the token to hold, in the Git provider's words. */
  readonly needs: readonly string[];
  /** The kinds of token, each with the permission names `VcsProvider.permissions` may declare and what is required. */
  readonly kinds: readonly TokenKind[];
  /** The Authorization header Bytebase sends with the token (backend/plugin/vcs/<type>/*.go@2.15.0 getAuthorization). */
  authorization(token: string): string;
  /** Offline problems with the token's form; never quotes it. */
  shapeProblems(token: string): string[];
  /** Asks the Git provider what the token is and may do. Never throws for what the answers say. */
  inspect(token: string, instanceUrl: string, ask: AskGitProvider, nowMs: number): Promise<TokenInspection>;
}
