// Azure DevOps (OAuth 2.0 apps registered at app.vsaex.visualstudio.com): scopes, secret format, endpoints.
import type { CredentialIssue, GitProviderSpec, ScopeInfo } from "./types";

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
  scopes: {
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
  },
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
};
