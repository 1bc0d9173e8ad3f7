// GitLab.com and self-managed GitLab: OAuth applications (scopes, id/secret format, endpoints) and access tokens.
import { expiryFinding, tokenAnswer } from "./access-token";
import { expandScopes } from "./scopes";
import type { AccessTokenSpec, CredentialIssue, GitProviderSpec, ScopeInfo, TokenFinding } from "./types";

const s = (implies?: string[], highPrivilege?: boolean): ScopeInfo => ({
  uiName: "",
  implies,
  highPrivilege,
});

const scopes: Record<string, ScopeInfo> = {
  api: s(["read_api", "read_user", "read_repository", "write_repository", "read_registry", "write_registry"]),
  read_api: s(["read_user", "read_repository"]),
  read_user: s(),
  read_repository: s(),
  write_repository: s(["read_repository"]),
  read_registry: s(),
  write_registry: s(["read_registry"]),
  sudo: s([], true),
  admin_mode: s([], true),
  create_runner: s([], true),
  manage_runner: s([], true),
  k8s_proxy: s([], true),
  ai_features: s(),
  read_service_ping: s(),
  openid: s(),
  profile: s(),
  email: s(),
};

const WHERE_TOKEN =
  "GitLab under User settings > Access tokens (or a project's or group's Settings > Access tokens)";

/**
 * GitLab personal, project and group access tokens. Bytebase sends `Bearer <token>` to `<url>/api/v4`
 * (backend/plugin/vcs/gitlab/gitlab.go@2.15.0 getAuthorization, APIURL) and lists the projects where the token's
 * user is at least Maintainer (min_access_level=40), the role it needs to create webhooks.
 */
const gitlabToken: AccessTokenSpec = {
  term: "access token",
  whereToMake: WHERE_TOKEN,
  needs: ["api", "read_repository", "the Maintainer role in the repositories to connect"],
  // The wizard's list: api, read repository (VCSProviderBasicInfoPanel.vue@2.15.0, the same at 3.4.1).
  kinds: [
    {
      kind: "access token",
      term: "scopes",
      where: WHERE_TOKEN,
      known: scopes,
      required: ["api", "read_repository"],
      fixed: true,
      alsoNeeds: "the Maintainer role in the projects to connect",
    },
  ],
  authorization: (token) => `Bearer ${token}`,
  shapeProblems: (token) => (/\s/.test(token) ? ["contains whitespace; paste the token again"] : []),
  async inspect(token, instanceUrl, ask, nowMs) {
    const findings: TokenFinding[] = [];
    const api = `${instanceUrl}/api/v4`;
    // https://docs.gitlab.com/ee/api/personal_access_tokens.html#get-single-personal-access-token (GitLab 15.5+)
    const self = tokenAnswer(await ask(`${api}/personal_access_tokens/self`), "GitLab", findings, {
      request: "/api/v4/personal_access_tokens/self",
      whereToMake: gitlabToken.whereToMake,
      why: "GitLab before 15.5 does not have it",
    });
    if (!self) return { findings };
    const info = (self.body ?? {}) as {
      scopes?: unknown;
      active?: unknown;
      revoked?: unknown;
      expires_at?: unknown;
    };
    const scopes = Array.isArray(info.scopes)
      ? info.scopes.filter((s): s is string => typeof s === "string")
      : [];
    if (info.active === false || info.revoked === true)
      findings.push({
        check: "token",
        outcome: "failed",
        detail: `GitLab says the token is ${info.revoked === true ? "revoked" : "not active"}; make a new one in ${gitlabToken.whereToMake}`,
      });
    else
      findings.push({
        check: "token",
        outcome: "verified",
        detail: "GitLab knows the token and says it is active",
      });
    const missing = ["api", "read_repository"].filter((s) => !expandScopes(gitlab, scopes).has(s));
    findings.push(
      missing.length
        ? {
            check: "permissions",
            outcome: "failed",
            detail: `the token lacks the scope${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (it has ${scopes.join(", ") || "none"}); GitLab cannot add scopes to a token: make a new one with api and read_repository in ${gitlabToken.whereToMake}`,
          }
        : {
            check: "permissions",
            outcome: "verified",
            detail: `the token has the scopes ${scopes.join(", ")}`,
          },
    );
    let expiresAt: string | undefined;
    if (typeof info.expires_at === "string" && /^\d{4}-\d{2}-\d{2}/.test(info.expires_at)) {
      // GitLab tokens stop working at 00:00 UTC of their expiry date.
      const ms = Date.parse(`${info.expires_at.slice(0, 10)}T00:00:00Z`);
      expiresAt = new Date(ms).toISOString();
      findings.push(expiryFinding(ms, nowMs, "GitLab token", `make a new one in ${gitlabToken.whereToMake}`));
    } else
      findings.push({
        check: "expiry",
        outcome: "verified",
        detail: "GitLab says the token does not expire",
      });
    // The list Bytebase itself asks for (gitlab.go@2.15.0 fetchPaginatedRepositoryList).
    const projects = await ask(`${api}/projects?membership=true&simple=true&min_access_level=40&per_page=1`);
    if ("status" in projects && projects.status === 200 && Array.isArray(projects.body))
      findings.push(
        projects.body.length
          ? {
              check: "repositories",
              outcome: "verified",
              detail: "the token's user is Maintainer (or more) of at least one project",
            }
          : {
              check: "repositories",
              outcome: "unverifiable",
              detail:
                "the token's user is Maintainer of no project, so Bytebase can connect no repository with it (it accepts the token anyway); give the user the Maintainer role in the projects to connect",
            },
      );
    return { findings, expiresAt, granted: scopes };
  },
};

export const gitlab: GitProviderSpec = {
  type: "GITLAB",
  label: "GitLab",
  defaultTitle: "GitLab",
  defaultInstanceUrl: "https://gitlab.com",
  cloudOnly: false,
  servedUnderPath: true,
  scopeTerm: "scopes",
  whereToRegister: "the application's Scopes checkboxes (User settings or Admin area > Applications)",
  appUi: {
    appPage: "User settings or Admin area > Applications > your application",
    callbackField: "Redirect URI",
  },
  credentialNames: { applicationId: "Application ID", secret: "Secret" },
  scopes,
  requiredScopes: ["api"],
  callbackRule: "exact",
  // backend/plugin/vcs/gitlab/gitlab.go@2.14.0: APIURL `${instanceURL}/api/v4`, token `${instanceURL}/oauth/token`.
  apiUrl: (url) => `${url}/api/v4`,
  tokenUrl: (url) => `${url}/oauth/token`,
  probe: {
    request: (applicationId, secret, code, redirectUri) => ({
      headers: {},
      form: {
        grant_type: "authorization_code",
        client_id: applicationId,
        client_secret: secret,
        code,
        redirect_uri: redirectUri,
      },
    }),
    classify: (status, body) => {
      const error = String(body.error ?? "");
      if (status === 401 && error === "invalid_client") return "bad-client";
      if (status === 400 && error === "invalid_grant") return "good-client";
      return "unknown";
    },
  },
  checkCredentials(applicationId, secret) {
    const issues: CredentialIssue[] = [];
    if (!/^[0-9a-f]{64}$/.test(applicationId))
      issues.push({
        property: "applicationId",
        reason: `must be the application's Application ID: 64 lower-case hexadecimal characters, got ${applicationId.length} characters`,
      });
    if (
      secret !== undefined &&
      !/^(?:[A-Za-z0-9_]+-)?gloas-[0-9a-f]{64}$/.test(secret) &&
      !/^[0-9a-f]{64}$/.test(secret)
    )
      issues.push({
        property: "secret",
        reason:
          "must be the application's Secret: 'gloas-' followed by 64 hexadecimal characters (an instance may add its own " +
          "prefix before 'gloas-'; applications made before GitLab 16.4 have 64 hexadecimal characters); renew it under Applications if unsure",
      });
    return issues;
  },
  accessToken: gitlabToken,
  connector: {
    // gitlab.go@2.15.0 GetBranch puts the name in the path unescaped; GitLab's route takes no "/" there.
    unfindableBranch: {
      pattern: /\//,
      why: "Bytebase asks GitLab for the branch without escaping '/', and GitLab then finds none: use a branch without '/'",
    },
    externalId: "id",
    pathExample: "platform/db",
    listed:
      "Bytebase lists only the projects where the token's user is at least Maintainer (gitlab.go asks min_access_level=40)",
    webhookRight:
      "the token's user must be a Maintainer (or Owner) of the project; the token needs the api scope",
  },
};
