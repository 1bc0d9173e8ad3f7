// GitHub.com and GitHub Enterprise Server OAuth apps (scopes, client id/secret format, endpoints) and
// personal access tokens.
import { expiryFinding, tokenAnswer } from "./access-token";
import { expandScopes } from "./scopes";
import { leveledPermissions } from "./token-permissions";
import type { AccessTokenSpec, CredentialIssue, GitProviderSpec, ScopeInfo, TokenFinding } from "./types";

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

/**
 * Fine-grained personal access tokens' permissions as GitHub's REST API names them (`<key>:<level>`; the keys of the
 * `app-permissions` schema in github/rest-api-description), with the words of the token page.
 */
const fineGrained = leveledPermissions([
  ["actions", "Actions", "read,write"],
  ["administration", "Administration", "read,write", true],
  ["checks", "Checks", "read,write"],
  ["codespaces", "Codespaces", "read,write"],
  ["contents", "Contents", "read,write"],
  ["dependabot_secrets", "Dependabot secrets", "read,write", true],
  ["deployments", "Deployments", "read,write"],
  ["environments", "Environments", "read,write"],
  ["issues", "Issues", "read,write"],
  ["metadata", "Metadata", "read"],
  ["packages", "Packages", "read,write"],
  ["pages", "Pages", "read,write"],
  ["pull_requests", "Pull requests", "read,write"],
  ["repository_custom_properties", "Custom properties", "read,write"],
  ["repository_hooks", "Webhooks", "read,write"],
  ["repository_projects", "Projects", "read,write,admin"],
  ["secret_scanning_alerts", "Secret scanning alerts", "read,write"],
  ["secrets", "Secrets", "read,write", true],
  ["security_events", "Code scanning alerts", "read,write"],
  ["single_file", "Single file", "read,write"],
  ["statuses", "Commit statuses", "read,write"],
  ["vulnerability_alerts", "Dependabot alerts", "read,write"],
  ["workflows", "Workflows", "write", true],
  ["members", "Members", "read,write", true],
  ["organization_administration", "Organization administration", "read,write", true],
  ["organization_hooks", "Organization webhooks", "read,write", true],
  ["organization_secrets", "Organization secrets", "read,write", true],
  ["organization_projects", "Organization projects", "read,write,admin"],
  ["organization_packages", "Organization packages", "read,write"],
  ["organization_self_hosted_runners", "Self-hosted runners", "read,write", true],
  ["organization_personal_access_tokens", "Personal access tokens", "read,write", true],
  ["organization_personal_access_token_requests", "Personal access token requests", "read,write", true],
  ["team_discussions", "Team discussions", "read,write"],
  ["email_addresses", "Email addresses", "read,write"],
  ["followers", "Followers", "read,write"],
  ["git_ssh_keys", "Git SSH keys", "read,write", true],
  ["gpg_keys", "GPG keys", "read,write", true],
  ["interaction_limits", "Interaction limits", "read,write"],
  ["profile", "Profile", "write"],
  ["starring", "Starring", "read,write"],
]);

const WHERE_TOKENS = "GitHub under Settings > Developer settings > Personal access tokens";

/** GitHub's `github-authentication-token-expiration` header, e.g. `2026-12-01 00:00:00 UTC` (or `+0000`). */
function githubExpiry(header: string | undefined): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (UTC|[+-]\d{4})$/.exec(header?.trim() ?? "");
  if (!m) return undefined;
  const zone = m[3] === "UTC" ? "Z" : `${m[3]!.slice(0, 3)}:${m[3]!.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * GitHub personal access tokens (classic and fine-grained). Bytebase sends `Bearer <token>` to
 * `https://api.github.com` or `<url>/api/v3` and keeps only the repositories where the user is admin
 * (backend/plugin/vcs/github/github.go@2.15.0 getAuthorization, APIURL, FetchRepositoryList).
 */
const githubToken: AccessTokenSpec = {
  term: "personal access token",
  whereToMake: WHERE_TOKENS,
  // The wizard's list for a fine-grained token (VCSProviderBasicInfoPanel.vue@2.15.0, the same at 3.4.1); a classic
  // token needs `repo` (repositories, their webhooks and pull requests).
  kinds: [
    {
      kind: "fine-grained personal access token",
      term: "permissions",
      where: `${WHERE_TOKENS} > Fine-grained tokens (Repository permissions)`,
      known: fineGrained,
      required: ["metadata:read", "contents:read", "pull_requests:write", "repository_hooks:write"],
      alsoNeeds: "a user who is admin of the repositories to connect",
    },
    {
      kind: "personal access token (classic)",
      term: "scopes",
      where: `${WHERE_TOKENS} > Tokens (classic)`,
      known: scopes,
      required: ["repo"],
      alsoNeeds: "a user who is admin of the repositories to connect",
    },
  ],
  needs: [
    "fine-grained: Metadata (read), Contents (read), Pull requests (read and write), Webhooks (read and write)",
    "classic: repo",
    "admin of the repositories to connect",
  ],
  authorization: (token) => `Bearer ${token}`,
  shapeProblems: (token) => (/\s/.test(token) ? ["contains whitespace; paste the token again"] : []),
  async inspect(token, instanceUrl, ask, nowMs) {
    const findings: TokenFinding[] = [];
    const api = github.apiUrl(instanceUrl);
    const user = tokenAnswer(await ask(`${api}/user`), "GitHub", findings, {
      request: "/user",
      whereToMake: githubToken.whereToMake,
    });
    if (!user) return { findings };
    const login = (user.body as { login?: unknown } | null)?.login;
    findings.push({
      check: "token",
      outcome: "verified",
      detail: `GitHub knows the token (user ${typeof login === "string" ? login : "unknown"})`,
    });
    // Classic tokens (and OAuth tokens) list their scopes in X-OAuth-Scopes; fine-grained tokens send no such header.
    const scopeHeader = user.headers["x-oauth-scopes"];
    if (scopeHeader !== undefined) {
      const scopes = scopeHeader
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      findings.push(
        expandScopes(github, scopes).has("repo")
          ? {
              check: "permissions",
              outcome: "verified",
              detail: `the classic token has the scopes ${scopes.join(", ")}`,
            }
          : {
              check: "permissions",
              outcome: "failed",
              detail: `the classic token lacks the scope repo (it has ${scopes.join(", ") || "none"}); tick repo for it in ${githubToken.whereToMake} (Tokens (classic))`,
            },
      );
    } else
      findings.push({
        check: "permissions",
        outcome: "unverifiable",
        detail:
          "could not verify: GitHub does not tell a fine-grained token's permissions; make sure it grants Metadata (read), Contents (read), Pull requests (read and write) and Webhooks (read and write)",
      });
    const expiry = githubExpiry(user.headers["github-authentication-token-expiration"]);
    if (expiry !== undefined)
      findings.push(
        expiryFinding(expiry, nowMs, "GitHub token", `make a new one in ${githubToken.whereToMake}`),
      );
    else
      findings.push({
        check: "expiry",
        outcome: "verified",
        detail: "GitHub sent no expiry date: the token does not expire",
      });
    // The list Bytebase itself asks for, where it keeps only the repositories whose `permissions.admin` is true.
    const repos = await ask(`${api}/user/repos?page=1&per_page=100`);
    if ("status" in repos && repos.status === 200 && Array.isArray(repos.body)) {
      const admin = repos.body.filter(
        (r) => (r as { permissions?: { admin?: unknown } })?.permissions?.admin === true,
      );
      findings.push(
        admin.length
          ? {
              check: "repositories",
              outcome: "verified",
              detail: `the token's user is admin of ${admin.length} of the ${repos.body.length} repositories it sees first`,
            }
          : {
              check: "repositories",
              outcome: "unverifiable",
              detail:
                "the token's user is admin of none of the repositories it sees first, so Bytebase can connect none (it accepts the token anyway); use a token of a repository admin",
            },
      );
    }
    const granted = scopeHeader
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    return {
      findings,
      ...(expiry !== undefined ? { expiresAt: new Date(expiry).toISOString() } : {}),
      ...(granted ? { granted, grantedKind: "personal access token (classic)" } : {}),
    };
  },
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
  accessToken: githubToken,
  connector: {
    externalId: "fullPath",
    pathExample: "platform/db",
    listed:
      "Bytebase lists only the repositories whose admin the token's user is (github.go keeps permissions.admin)",
    webhookRight:
      "the token's user must be an admin of the repository; a classic token needs repo, a fine-grained one Webhooks (read and write)",
  },
};
