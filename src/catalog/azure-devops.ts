// Azure DevOps: OAuth 2.0 apps (app.vsaex.visualstudio.com: scopes, secret format, endpoints) and personal access tokens.
import { answered } from "./access-token";
import type { AccessTokenSpec, CredentialIssue, GitProviderSpec, ScopeInfo, TokenFinding } from "./types";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What an Azure DevOps client secret (a JWT) says about itself. */
export interface AzureClientSecretClaims {
  readonly cid?: string;
  /** Expiry, seconds since the epoch. */
  readonly exp?: number;
  readonly nbf?: number;
}

/** Decodes the claims of an Azure DevOps client secret, or undefined when it is not a JWT. Never verifies it. */
export function decodeAzureClientSecret(secret: string): AzureClientSecretClaims | undefined {
  const parts = secret.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as unknown;
    if (typeof header !== "object" || header === null || typeof claims !== "object" || claims === null)
      return undefined;
    const c = claims as Record<string, unknown>;
    return {
      cid: typeof c.cid === "string" ? c.cid : undefined,
      exp: typeof c.exp === "number" ? c.exp : undefined,
      nbf: typeof c.nbf === "number" ? c.nbf : undefined,
    };
  } catch {
    return undefined;
  }
}

const NOT_A_JWT =
  "is not an Azure DevOps Client Secret: a Client Secret is a long token of three dot-separated parts (a JWT). " +
  "This looks like the App Secret; on the app's page (app.vsaex.visualstudio.com) click 'Show' under Client Secret and use that";

/** Offline checks shared by `check`, the verification and the secret-expiry policy. */
export function azureSecretIssues(applicationId: string, secret: string): CredentialIssue[] {
  const claims = decodeAzureClientSecret(secret);
  if (!claims) return [{ property: "secret", reason: NOT_A_JWT }];
  if (!claims.cid)
    return [
      {
        property: "secret",
        reason:
          "is a JWT without the 'cid' claim that every Azure DevOps Client Secret carries; use the app's Client Secret",
      },
    ];
  if (GUID.test(applicationId) && claims.cid.toLowerCase() !== applicationId.toLowerCase())
    return [
      {
        property: "secret",
        reason:
          `belongs to another application (its 'cid' is ${claims.cid}, not the applicationId ${applicationId}); ` +
          "use the Client Secret shown on this app's own page",
      },
    ];
  return [];
}

const code = (ui: string, implies?: string[], highPrivilege?: boolean): ScopeInfo => ({
  uiName: ui,
  implies,
  highPrivilege,
});

/** Azure DevOps scopes (OAuth apps and personal access tokens share them), in the UI's words. */
const scopes: Record<string, ScopeInfo> = {
  "vso.code": code("Code (read)"),
  "vso.code_write": code("Code (read and write)", ["vso.code"]),
  "vso.code_manage": code("Code (read, write, and manage)", ["vso.code_write"]),
  "vso.code_full": code("Code (full)", ["vso.code_manage", "vso.code_status"]),
  "vso.code_status": code("Code (status)"),
  "vso.identity": code("Identity (read)"),
  "vso.identity_manage": code("Identity (manage)", ["vso.identity"], true),
  "vso.project": code("Project and team (read)"),
  "vso.project_write": code("Project and team (read and write)", ["vso.project"]),
  "vso.project_manage": code("Project and team (read, write, & manage)", ["vso.project_write"], true),
  "vso.build": code("Build (read)"),
  "vso.build_execute": code("Build (read and execute)", ["vso.build"]),
  "vso.release": code("Release (read)"),
  "vso.release_execute": code("Release (read, write and execute)", ["vso.release"]),
  "vso.release_manage": code("Release (read, write, execute and manage)", ["vso.release_execute"], true),
  "vso.work": code("Work items (read)"),
  "vso.work_write": code("Work items (read and write)", ["vso.work"]),
  "vso.work_full": code("Work items (full)", ["vso.work_write"], true),
  "vso.wiki": code("Wiki (read)"),
  "vso.wiki_write": code("Wiki (read and write)", ["vso.wiki"]),
  "vso.packaging": code("Packaging (read)"),
  "vso.packaging_write": code("Packaging (read and write)", ["vso.packaging"]),
  "vso.packaging_manage": code("Packaging (read, write, & manage)", ["vso.packaging_write"], true),
  "vso.graph": code("Graph (read)"),
  "vso.graph_manage": code("Graph (manage)", ["vso.graph"], true),
  "vso.hooks": code("Service hooks (read)"),
  "vso.hooks_write": code("Service hooks (read and write)", ["vso.hooks"]),
  "vso.profile": code("User profile (read)"),
  "vso.threads_full": code("Pull request threads (read and write)"),
  "vso.serviceendpoint": code("Service connections (read)"),
  "vso.serviceendpoint_manage": code(
    "Service connections (read, query and manage)",
    ["vso.serviceendpoint"],
    true,
  ),
  "vso.variablegroups_read": code("Variable groups (read)"),
  "vso.variablegroups_manage": code(
    "Variable groups (read, create, & manage)",
    ["vso.variablegroups_read"],
    true,
  ),
  "vso.security_manage": code("Security (manage)", [], true),
  "vso.tokens": code("Delegated authorization tokens", [], true),
  "vso.tokenadministration": code("Token administration", [], true),
  "vso.auditlog": code("Audit log (read)"),
  "vso.memberentitlementmanagement_write": code("Member entitlement management (write)", [], true),
  user_impersonation: code("Full access (user_impersonation)", [], true),
};

/** The root of Azure DevOps' profile and accounts APIs (backend/plugin/vcs/azure/azure.go@2.15.0 rootAPIURL). */
const VSSPS = "https://app.vssps.visualstudio.com";

/**
 * Azure DevOps personal access tokens. Bytebase sends `Basic base64(":" + token)`, reads the profile, lists the
 * organizations of its public alias and their repositories (backend/plugin/vcs/azure/azure.go@2.15.0). A PAT
 * scoped to one organization cannot read the profile: Bytebase needs "All accessible organizations". Azure DevOps
 * does not tell a PAT's scopes or expiry to the PAT itself.
 */
const azureDevOpsToken: AccessTokenSpec = {
  term: "personal access token",
  whereToMake: "Azure DevOps under User settings > Personal access tokens",
  // The wizard's list: Code (Read), User Profile (Read), Project and Team (Read), Pull Request Threads (Read and
  // Write) (VCSProviderBasicInfoPanel.vue@2.15.0, the same at 3.4.1); and "All accessible organizations".
  kinds: [
    {
      kind: "personal access token",
      term: "scopes",
      where:
        'Azure DevOps under User settings > Personal access tokens (Organization: "All accessible organizations", Scopes: Custom defined)',
      known: scopes,
      required: ["vso.code", "vso.profile", "vso.project", "vso.threads_full"],
      alsoNeeds: 'Organization: "All accessible organizations"',
    },
  ],
  needs: [
    "Code (Read)",
    "User Profile (Read)",
    "Project and Team (Read)",
    "Pull Request Threads (Read & write)",
    "Organization: All accessible organizations",
  ],
  authorization: (token) => `Basic ${Buffer.from(`:${token}`).toString("base64")}`,
  shapeProblems: (token) => (/\s/.test(token) ? ["contains whitespace; paste the token again"] : []),
  async inspect(_token, _instanceUrl, ask, _nowMs) {
    const findings: TokenFinding[] = [];
    const profile = answered(
      await ask(`${VSSPS}/_apis/profile/profiles/me?api-version=7.0`),
      "Azure DevOps",
      findings,
    );
    if (!profile) return { findings };
    // A refused PAT gets 401, or 203 with the sign-in page.
    if (profile.status === 401 || profile.status === 203) {
      findings.push({
        check: "token",
        outcome: "failed",
        detail: `Azure DevOps refused the token for the profile (${profile.status}): it is wrong, expired or revoked, lacks User Profile (Read), or is limited to one organization; make one for "All accessible organizations" in ${azureDevOpsToken.whereToMake}`,
      });
      return { findings };
    }
    const alias = (profile.body as { publicAlias?: unknown } | null)?.publicAlias;
    if (profile.status !== 200 || typeof alias !== "string") {
      findings.push({
        check: "token",
        outcome: "unverifiable",
        detail: `could not verify: Azure DevOps answered ${profile.status} to the profile request`,
      });
      return { findings };
    }
    findings.push({
      check: "token",
      outcome: "verified",
      detail: "Azure DevOps accepts the token and shows its profile (User Profile (Read))",
    });
    const accounts = await ask(
      `${VSSPS}/_apis/accounts?memberId=${encodeURIComponent(alias)}&api-version=7.0`,
    );
    const orgs =
      "status" in accounts && accounts.status === 200
        ? ((accounts.body as { value?: { accountName?: unknown }[] } | null)?.value ?? [])
            .map((a) => a.accountName)
            .filter((n): n is string => typeof n === "string")
        : undefined;
    if (orgs === undefined)
      findings.push({
        check: "organizations",
        outcome: "unverifiable",
        detail: "could not verify: Azure DevOps did not list the user's organizations",
      });
    else if (!orgs.length)
      findings.push({
        check: "organizations",
        outcome: "failed",
        detail: "the token's user belongs to no Azure DevOps organization, so Bytebase finds no repository",
      });
    else
      findings.push({
        check: "organizations",
        outcome: "verified",
        detail: `the token sees the organizations ${orgs.join(", ")}`,
      });
    // Code (Read): the repositories of the first organization, as Bytebase's own check lists them.
    if (orgs?.length) {
      const repos = await ask(
        `https://dev.azure.com/${encodeURIComponent(orgs[0]!)}/_apis/git/repositories?api-version=7.0`,
      );
      if ("status" in repos && repos.status === 200)
        findings.push({
          check: "permissions",
          outcome: "verified",
          detail: `the token reads the repositories of ${orgs[0]} (Code (Read))`,
        });
      else if ("status" in repos && (repos.status === 401 || repos.status === 203))
        findings.push({
          check: "permissions",
          outcome: "failed",
          detail: `Azure DevOps refused to list the repositories of ${orgs[0]} (${repos.status}): the token lacks Code (Read), or the organization does not allow third-party application access via OAuth; grant it in ${azureDevOpsToken.whereToMake}`,
        });
    }
    findings.push({
      check: "permissions",
      outcome: "unverifiable",
      detail:
        "could not verify: Azure DevOps does not tell a token its scopes; make sure it grants Project and Team (Read) and Pull Request Threads (Read & write)",
    });
    findings.push({
      check: "expiry",
      outcome: "unverifiable",
      detail: "could not verify: Azure DevOps does not tell a token its expiry date",
    });
    return { findings };
  },
};

export const azureDevOps: GitProviderSpec = {
  type: "AZURE_DEVOPS",
  label: "Azure DevOps",
  defaultTitle: "Azure DevOps",
  defaultInstanceUrl: "https://dev.azure.com",
  cloudOnly: true,
  servedUnderPath: false,
  scopeTerm: "scopes",
  whereToRegister: "the app's 'Authorized scopes' checkboxes at https://app.vsaex.visualstudio.com",
  appUi: {
    appPage: "your app's page at https://app.vsaex.visualstudio.com",
    callbackField: "Authorization callback URL",
  },
  credentialNames: { applicationId: "App ID", secret: "Client Secret" },
  scopes,
  requiredScopes: ["vso.code_full", "vso.identity", "vso.project", "vso.build_execute"],
  callbackRule: "exact",
  apiUrl: (url) => url,
  tokenUrl: () => "https://app.vssps.visualstudio.com/oauth2/token",
  probe: {
    request: (_applicationId, secret, code, redirectUri) => ({
      headers: {},
      form: {
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: secret,
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion: code,
        redirect_uri: redirectUri,
      },
    }),
    // Errors come with PascalCase keys. The answer to a bad code with a good secret is not documented by
    // Microsoft: `invalid_grant` is taken as "client accepted"; anything else is "could not verify".
    classify: (status, body) => {
      const error = String(body.Error ?? body.error ?? "");
      if (status === 400 && error === "invalid_client") return "bad-client";
      if (status >= 400 && status < 500 && error === "invalid_grant") return "good-client";
      return "unknown";
    },
  },
  secretExpiry(secret) {
    const exp = decodeAzureClientSecret(secret)?.exp;
    // Only an `exp` that makes a date (JavaScript's dates end at year 275760).
    return exp !== undefined && Number.isFinite(new Date(exp * 1000).getTime()) ? exp : undefined;
  },
  checkCredentials(applicationId, secret) {
    const issues: CredentialIssue[] = [];
    if (!GUID.test(applicationId))
      issues.push({
        property: "applicationId",
        reason:
          "must be the app's App ID, a GUID like 6f3a1c2e-8b9d-4e7f-a1b2-c3d4e5f60718 (app.vsaex.visualstudio.com > your app)",
      });
    if (secret !== undefined) issues.push(...azureSecretIssues(applicationId, secret));
    return issues;
  },
  accessToken: azureDevOpsToken,
  connector: {
    externalId: "id",
    pathExample: "contoso/Platform/db",
    listed:
      "Bytebase lists every repository of every organization the PAT reaches, with no rights filter (azure.go); an organization that answers 401 (third-party application access via OAuth off) is skipped: check the path, and that the PAT is for all accessible organizations with Code (Read)",
    webhookRight:
      "the token's user must be allowed to edit service hook subscriptions of the project (e.g. a Project Administrator)",
  },
};
