// Bitbucket Cloud (workspace OAuth consumers): permissions and their checkbox names, key/secret format, endpoints.
import type { CredentialIssue, GitProviderSpec, ScopeInfo } from "./types";

const p = (ui: string, implies?: string[], highPrivilege?: boolean): ScopeInfo => ({
  uiName: ui,
  implies,
  highPrivilege,
});

const basicAuth = (key: string, secret: string) =>
  `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`;

export const bitbucket: GitProviderSpec = {
  type: "BITBUCKET",
  label: "Bitbucket.org",
  defaultTitle: "Bitbucket.org",
  defaultInstanceUrl: "https://bitbucket.org",
  cloudOnly: true,
  servedUnderPath: false,
  scopeTerm: "permissions",
  whereToRegister:
    "the consumer's Permissions checkboxes (Bitbucket workspace settings > OAuth consumers > Edit)",
  appUi: { appPage: "Bitbucket workspace settings > OAuth consumers > Edit", callbackField: "Callback URL" },
  credentialNames: { applicationId: "Key", secret: "Secret" },
  scopes: {
    email: p("Account > Email"),
    account: p("Account > Read"),
    "account:write": p("Account > Write", ["account"], true),
    team: p("Workspace membership > Read"),
    "team:write": p("Workspace membership > Write", ["team"], true),
    project: p("Projects > Read"),
    "project:write": p("Projects > Write", ["project"]),
    "project:admin": p("Projects > Admin", ["project:write"], true),
    repository: p("Repositories > Read"),
    "repository:write": p("Repositories > Write", ["repository"]),
    "repository:admin": p("Repositories > Admin", [], true),
    "repository:delete": p("Repositories > Delete", [], true),
    pullrequest: p("Pull requests > Read", ["repository"]),
    "pullrequest:write": p("Pull requests > Write", ["pullrequest", "repository:write"]),
    issue: p("Issues > Read"),
    "issue:write": p("Issues > Write", ["issue"]),
    wiki: p("Wikis > Read and write"),
    snippet: p("Snippets > Read"),
    "snippet:write": p("Snippets > Write", ["snippet"]),
    webhook: p("Webhooks > Read and write"),
    pipeline: p("Pipelines > Read"),
    "pipeline:write": p("Pipelines > Write", ["pipeline"]),
    "pipeline:variable": p("Pipelines > Edit variables", ["pipeline:write"], true),
    runner: p("Runners > Read"),
    "runner:write": p("Runners > Write", ["runner"]),
  },
  requiredScopes: ["account", "webhook", "repository:write"],
  callbackRule: "prefix",
  apiUrl: (url) => (url === "https://bitbucket.org" ? "https://api.bitbucket.org/2.0" : `${url}/2.0`),
  tokenUrl: () => "https://bitbucket.org/site/oauth2/access_token",
  probe: {
    request: (applicationId, secret, code, redirectUri) => ({
      headers: { authorization: basicAuth(applicationId, secret) },
      form: { grant_type: "authorization_code", code, redirect_uri: redirectUri },
    }),
    classify: (status, body) => {
      const error = String(body.error ?? "");
      if (status >= 400 && ["unauthorized_client", "invalid_client"].includes(error)) return "bad-client";
      if (status >= 400 && error === "invalid_grant") return "good-client";
      return "unknown";
    },
    grantedScopesRequest: (applicationId, secret) => ({
      headers: { authorization: basicAuth(applicationId, secret) },
      form: { grant_type: "client_credentials" },
    }),
  },
  checkCredentials(applicationId, secret) {
    const issues: CredentialIssue[] = [];
    const swapped =
      " (the Key is the shorter of the two values the consumer shows; did you swap Key and Secret?)";
    if (!/^[A-Za-z0-9]{18}$/.test(applicationId))
      issues.push({
        property: "applicationId",
        reason:
          `must be the consumer's Key: 18 letters and digits, got ${applicationId.length} characters` +
          (applicationId.length === 32 ? swapped : ""),
      });
    if (secret !== undefined && !/^[A-Za-z0-9]{32}$/.test(secret))
      issues.push({
        property: "secret",
        reason:
          `must be the consumer's Secret: 32 letters and digits, got ${secret.length} characters` +
          (secret.length === 18 ? swapped : ""),
      });
    return issues;
  },
};
