// Fake Bitbucket Cloud token endpoint `POST /site/oauth2/access_token`: HTTP Basic `key:secret`, grants
// authorization_code and client_credentials (private consumers only); answers carry the consumer's `scopes`.
import type { Handler, Reply } from "../http";
import type { StoredApp } from "../state-data";
import { newToken } from "./credentials";
import { authenticatedApp, redirectAccepted, tokenParams } from "./params";
import type { OAuthRegistry } from "./registry";

const TOKEN_PATH = "/site/oauth2/access_token";

const error = (code: string, description: string): Reply => ({
  status: 400,
  body: { error: code, error_description: description },
});

const token = (app: StoredApp, state: string): Reply => ({
  status: 200,
  body: {
    access_token: newToken("BITBUCKET", "access"),
    scopes: app.scopes.join(" "),
    expires_in: 7200,
    refresh_token: newToken("BITBUCKET", "refresh"),
    token_type: "bearer",
    state,
  },
});

export function bitbucketHandler(registry: OAuthRegistry): Handler {
  return (req) => {
    if (req.path !== TOKEN_PATH || req.method !== "POST")
      return { status: 404, body: { type: "error", error: { message: "Resource not found" } } };
    const params = tokenParams(req);
    const app = authenticatedApp(registry, "BITBUCKET", req, params);
    if (!app) return error("unauthorized_client", "Invalid OAuth client credentials");
    const grantType = params.get("grant_type");
    if (grantType === "client_credentials") {
      if (!app.clientCredentials)
        return error(
          "invalid_grant",
          'Cannot use client_credentials with a consumer marked as "public". Calls for auto generated consumers should use urn:bitbucket:oauth2:jwt instead.',
        );
      return token(app, "client_credentials");
    }
    if (grantType !== "authorization_code")
      return error("unsupported_grant_type", `Unsupported grant type: ${grantType ?? "None"}`);
    const code = params.get("code");
    const record = registry.codeFor(app, code);
    if (!record || !code) return error("invalid_grant", "The specified code is not valid.");
    if (!redirectAccepted(app, record.redirectUri, params.get("redirect_uri"), false))
      return error("invalid_grant", "The specified redirect_uri does not match the consumer's callback URL.");
    registry.consume(code);
    return token(app, "authorization_code");
  };
}
