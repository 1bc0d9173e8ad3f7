// Fake GitLab (gitlab.com or self-managed) token endpoint `POST /oauth/token` (Doorkeeper): 401 invalid_client,
// 400 invalid_grant for a bad code or a redirect_uri that differs from the registered one.
import type { Handler, Reply } from "../http";
import { newToken } from "./credentials";
import { authenticatedApp, isTokenPath, redirectAccepted, tokenParams } from "./params";
import type { OAuthRegistry } from "./registry";

const TOKEN_PATH = "/oauth/token";

const INVALID_CLIENT =
  "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.";
const INVALID_GRANT =
  "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";

const invalidClient = (): Reply => ({
  status: 401,
  headers: {
    "www-authenticate": `Bearer realm="Doorkeeper", error="invalid_client", error_description="${INVALID_CLIENT}"`,
  },
  body: { error: "invalid_client", error_description: INVALID_CLIENT },
});
const invalidGrant = (): Reply => ({
  status: 400,
  body: { error: "invalid_grant", error_description: INVALID_GRANT },
});

export function gitlabHandler(registry: OAuthRegistry): Handler {
  return (req) => {
    if (!isTokenPath(req.path, TOKEN_PATH) || req.method !== "POST")
      return { status: 404, body: { message: "404 Not Found" } };
    const params = tokenParams(req);
    const app = authenticatedApp(registry, "GITLAB", req, params);
    if (!app) return invalidClient();
    const grantType = params.get("grant_type");
    if (grantType !== "authorization_code")
      return {
        status: 400,
        body: {
          error: "unsupported_grant_type",
          error_description: "The authorization grant type is not supported by the authorization server.",
        },
      };
    const code = params.get("code");
    const record = registry.codeFor(app, code);
    if (!record || !code) return invalidGrant();
    if (!redirectAccepted(app, record.redirectUri, params.get("redirect_uri"), true)) return invalidGrant();
    registry.consume(code);
    return {
      status: 200,
      body: {
        access_token: newToken("GITLAB", "access"),
        token_type: "Bearer",
        expires_in: 7200,
        refresh_token: newToken("GITLAB", "refresh"),
        scope: app.scopes.join(" "),
        created_at: Math.floor(registry.now() / 1000),
      },
    };
  };
}
