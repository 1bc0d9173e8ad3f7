// GitLab.com and self-managed GitLab applications: scopes, application id/secret format, endpoints.
import type { CredentialIssue, GitProviderSpec, ScopeInfo } from "./types";

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
};
