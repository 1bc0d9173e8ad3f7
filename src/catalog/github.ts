// GitHub.com and GitHub Enterprise Server OAuth apps: scopes, client id/secret format, endpoints.
import type { CredentialIssue, GitProviderSpec, ScopeInfo } from "./types";

const s = (implies?: string[], highPrivilege?: boolean): ScopeInfo => ({
  uiName: "",
  implies,
  highPrivilege,
});

const scopes: Record<string, ScopeInfo> = {
  repo: s(["repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events"]),
  "repo:status": s(),
  repo_deployment: s(),
  public_repo: s(),
  "repo:invite": s(),
  security_events: s(),
  workflow: s(),
  "admin:repo_hook": s(["write:repo_hook"], true),
  "write:repo_hook": s(["read:repo_hook"]),
  "read:repo_hook": s(),
  "admin:org": s(["write:org"], true),
  "write:org": s(["read:org"]),
  "read:org": s(),
  "admin:org_hook": s([], true),
  "admin:public_key": s(["write:public_key"], true),
  "write:public_key": s(["read:public_key"]),
  "read:public_key": s(),
  "admin:gpg_key": s(["write:gpg_key"], true),
  "write:gpg_key": s(["read:gpg_key"]),
  "read:gpg_key": s(),
  user: s(["read:user", "user:email", "user:follow"], true),
  "read:user": s(),
  "user:email": s(),
  "user:follow": s(),
  gist: s(),
  notifications: s(),
  project: s(["read:project"]),
  "read:project": s(),
  "write:packages": s(["read:packages"]),
  "read:packages": s(),
  "delete:packages": s([], true),
  delete_repo: s([], true),
  "admin:enterprise": s(["manage_runners:enterprise", "manage_billing:enterprise", "read:enterprise"], true),
  "manage_runners:enterprise": s([], true),
  "manage_billing:enterprise": s(["read:enterprise"], true),
  "read:enterprise": s(),
  codespace: s([], true),
};

export const github: GitProviderSpec = {
  type: "GITHUB",
  label: "GitHub",
  defaultTitle: "GitHub.com",
  defaultInstanceUrl: "https://github.com",
  cloudOnly: false,
  servedUnderPath: true,
  scopeTerm: "scopes",
  whereToRegister:
    "the authorization prompt (a GitHub OAuth App has no scope settings: a user grants the scopes Bytebase asks for when authorizing it)",
  appUi: {
    appPage: "Settings > Developer settings > OAuth Apps > your app",
    callbackField: "Authorization callback URL",
  },
  credentialNames: { applicationId: "Client ID", secret: "Client secret" },
  scopes,
  requiredScopes: ["repo", "workflow"],
  callbackRule: "same-host-subpath",
  // backend/plugin/vcs/github/github.go@2.14.0: APIURL `${instanceURL}/api/v3` (exactly "https://github.com" -> api.github.com), token `${instanceURL}/login/oauth/access_token`.
  apiUrl: (url) => (url === "https://github.com" ? "https://api.github.com" : `${url}/api/v3`),
  tokenUrl: (url) => `${url}/login/oauth/access_token`,
  probe: {
    request: (applicationId, secret, code, redirectUri) => ({
      headers: { accept: "application/json" },
      form: { client_id: applicationId, client_secret: secret, code, redirect_uri: redirectUri },
    }),
    // GitHub answers errors with HTTP 200.
    classify: (status, body) => {
      const error = status === 200 ? String(body.error ?? "") : "";
      if (error === "incorrect_client_credentials") return "bad-client";
      if (error === "bad_verification_code") return "good-client";
      if (error === "redirect_uri_mismatch") return "redirect-mismatch";
      return "unknown";
    },
  },
  checkCredentials(applicationId, secret) {
    const issues: CredentialIssue[] = [];
    if (/^Iv\d*\./.test(applicationId) || /^Iv23/.test(applicationId))
      issues.push({
        property: "applicationId",
        reason:
          "is a GitHub App's client id (it starts with 'Iv'), not an OAuth App's; Bytebase needs an OAuth App: " +
          "register one under Settings > Developer settings > OAuth Apps and use its Client ID",
      });
    else if (!/^[A-Za-z0-9_]{20}$/.test(applicationId) && !/^[A-Za-z0-9_]{40}$/.test(applicationId))
      issues.push({
        property: "applicationId",
        reason: `must be the OAuth App's Client ID: 20 characters (e.g. 'Ov23li...'), got ${applicationId.length}`,
      });
    if (secret !== undefined && !/^[A-Za-z0-9_]{40}$/.test(secret))
      issues.push({
        property: "secret",
        reason: `must be an OAuth App client secret: 40 letters, digits or underscores (GitHub shows 40 hexadecimal characters), got ${secret.length} characters; generate one with 'Generate a new client secret'`,
      });
    return issues;
  },
};
