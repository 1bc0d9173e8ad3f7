// Bitbucket Cloud: workspace OAuth consumers (permissions, key/secret format, endpoints) and app passwords.
import { answered } from "./access-token";
import { describeScope, expandScopes } from "./scopes";
import type { AccessTokenSpec, CredentialIssue, GitProviderSpec, ScopeInfo, TokenFinding } from "./types";

const p = (ui: string, implies?: string[], highPrivilege?: boolean): ScopeInfo => ({
  uiName: ui,
  implies,
  highPrivilege,
});

const basicAuth = (key: string, secret: string) =>
  `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`;

/** Bitbucket Cloud permissions (OAuth consumers and app passwords share them), in the UI's words. */
const permissions: Record<string, ScopeInfo> = {
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
};

/** What Bytebase's wizard asks an app password to grant (Account R, Workspace membership R, Projects R, ...). */
const APP_PASSWORD_NEEDS = ["account", "team", "project", "webhook", "repository:write", "pullrequest:write"];

/**
 * Bitbucket Cloud app passwords. Bytebase sends `Basic base64(<token>)`, so the token is `<username>:<app password>`
 * (backend/plugin/vcs/bitbucket/bitbucket.go@2.15.0 getAuthorization), and lists the repositories where the user is
 * admin (`/user/permissions/repositories?q=permission="admin"`). Bitbucket tells an app password's permissions in
 * the `x-oauth-scopes` header of its answers.
 */
const bitbucketToken: AccessTokenSpec = {
  term: "app password",
  whereToMake: "Bitbucket under Personal settings > App passwords",
  // The wizard's list (VCSProviderBasicInfoPanel.vue@2.15.0, the same at 3.4.1).
  kinds: [
    {
      kind: "app password",
      term: "permissions",
      where: "Bitbucket under Personal settings > App passwords > Create app password",
      known: permissions,
      required: APP_PASSWORD_NEEDS,
      fixed: true,
      alsoNeeds: "a user who is admin of the repositories to connect",
    },
  ],
  needs: [
    "Account > Read (account)",
    "Workspace membership > Read (team)",
    "Projects > Read (project)",
    "Webhooks > Read and write (webhook)",
    "Repositories > Write (repository:write)",
    "Pull requests > Write (pullrequest:write)",
  ],
  authorization: (token) => `Basic ${Buffer.from(token).toString("base64")}`,
  shapeProblems(token) {
    const colon = token.indexOf(":");
    if (colon <= 0 || colon === token.length - 1)
      return [
        "must be '<Bitbucket username>:<app password>' (Bytebase sends it as HTTP Basic credentials); put your username and a colon before the app password",
      ];
    return /\s/.test(token) ? ["contains whitespace; paste the username and app password again"] : [];
  },
  async inspect(token, instanceUrl, ask, _nowMs) {
    const findings: TokenFinding[] = [];
    const api = bitbucket.apiUrl(instanceUrl);
    const username = token.slice(0, token.indexOf(":"));
    const user = answered(await ask(`${api}/user`), "Bitbucket", findings);
    if (!user) return { findings };
    if (user.status === 403) {
      // Bitbucket names what a call needs: `{error: {detail: {required: [...]}}}`.
      const detail = (user.body as { error?: { detail?: { required?: unknown } } } | undefined)?.error
        ?.detail;
      const required = Array.isArray(detail?.required) ? detail.required.map(String) : ["account"];
      findings.push({
        check: "permissions",
        outcome: "failed",
        detail: `Bitbucket refused to show the user (403): the app password lacks ${required.map((s) => describeScope(bitbucket, s)).join(", ")}; an app password cannot be edited: make a new one in ${bitbucketToken.whereToMake}`,
      });
      return { findings };
    }
    if (user.status === 401) {
      findings.push({
        check: "token",
        outcome: "failed",
        detail: `Bitbucket refused the username ${username} with this app password (401): the username or the app password is wrong, or the app password was revoked; make a new one in ${bitbucketToken.whereToMake}`,
      });
      return { findings };
    }
    if (user.status !== 200) {
      findings.push({
        check: "token",
        outcome: "unverifiable",
        detail: `could not verify: Bitbucket answered ${user.status} to GET /2.0/user`,
      });
      return { findings };
    }
    findings.push({
      check: "token",
      outcome: "verified",
      detail: `Bitbucket accepts the app password of ${username}`,
    });
    const header = user.headers["x-oauth-scopes"];
    if (header === undefined)
      findings.push({
        check: "permissions",
        outcome: "unverifiable",
        detail: `could not verify: Bitbucket did not say what the app password may do; make sure it grants ${bitbucketToken.needs.join(", ")}`,
      });
    else {
      const granted = header
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const have = expandScopes(bitbucket, granted);
      const missing = APP_PASSWORD_NEEDS.filter((s) => !have.has(s));
      findings.push(
        missing.length
          ? {
              check: "permissions",
              outcome: "failed",
              detail: `the app password lacks ${missing.map((s) => describeScope(bitbucket, s)).join(", ")}; an app password cannot be edited: make a new one with them in ${bitbucketToken.whereToMake}`,
            }
          : {
              check: "permissions",
              outcome: "verified",
              detail: `the app password grants ${granted.join(", ")}`,
            },
      );
    }
    findings.push({ check: "expiry", outcome: "verified", detail: "Bitbucket app passwords do not expire" });
    const repos = await ask(
      `${api}/user/permissions/repositories?q=${encodeURIComponent('permission="admin"')}&pagelen=1`,
    );
    if ("status" in repos && repos.status === 200) {
      const values = (repos.body as { values?: unknown } | null)?.values;
      if (Array.isArray(values))
        findings.push(
          values.length
            ? {
                check: "repositories",
                outcome: "verified",
                detail: `${username} is admin of at least one repository`,
              }
            : {
                check: "repositories",
                outcome: "unverifiable",
                detail: `${username} is admin of no repository, so Bytebase can connect none (it accepts the app password anyway)`,
              },
        );
    }
    return { findings, ...(header !== undefined ? { granted: grantedOf(header) } : {}) };
  },
};

const grantedOf = (header: string) =>
  header
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

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
  scopes: permissions,
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
  accessToken: bitbucketToken,
  connector: {
    externalId: "fullPath",
    pathExample: "platform/db",
    listed:
      'Bytebase lists only the repositories where the app password\'s user is admin (bitbucket.go asks permission="admin")',
    webhookRight:
      "the app password needs the Webhooks (read and write) permission and its user admin rights on the repository",
  },
};
