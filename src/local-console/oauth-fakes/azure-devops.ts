// Fake Azure DevOps token endpoint `POST /oauth2/token` (app.vssps.visualstudio.com): the client secret comes as
// the form's `client_assertion` (a JWT naming its app in `cid`), errors use PascalCase keys.
import { decodeAzureClientSecret } from "../../catalog";
import type { Handler, Reply } from "../http";
import { newToken } from "./credentials";
import { redirectAccepted, tokenParams } from "./params";
import type { OAuthRegistry } from "./registry";

const TOKEN_PATH = "/oauth2/token";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

const error = (code: string, description: string): Reply => ({
  status: 400,
  body: { Error: code, ErrorDescription: description },
});
const undeserializable = () => error("invalid_client", "Failed to deserialize the JsonWebToken object.");

export function azureDevOpsHandler(registry: OAuthRegistry): Handler {
  return (req) => {
    if (req.path !== TOKEN_PATH || req.method !== "POST")
      return { status: 404, body: { message: "Not Found" } };
    const params = tokenParams(req);
    const assertion = params.get("client_assertion") ?? "";
    const claims = decodeAzureClientSecret(assertion);
    const app = claims?.cid ? registry.find("AZURE_DEVOPS", claims.cid) : undefined;
    if (!claims || !app) return undeserializable();
    const check = registry.checkSecret(app, assertion);
    if (check === "bad") return undeserializable();
    const nowS = registry.now() / 1000;
    if (check === "expired" || (claims.exp !== undefined && claims.exp <= nowS))
      return error(
        "invalid_client",
        "The client secret has expired. Generate a new client secret for the application.",
      );
    if (claims.nbf !== undefined && claims.nbf > nowS)
      return error("invalid_client", "The client secret is not yet valid.");
    if (params.get("grant_type") !== JWT_BEARER)
      return error("unsupported_grant_type", "The grant type is not supported by the authorization server.");
    // The real answer to a bad code with a good secret is undocumented (oauth-providers.md); this fake says
    // 400 invalid_grant, which clients must treat as "the client authenticated, only the code was refused".
    const code = params.get("assertion");
    const record = registry.codeFor(app, code);
    if (!record || !code) return error("invalid_grant", "The authorization code is invalid or has expired.");
    // Undocumented as well: a redirect_uri that is not exactly the registered callback.
    if (!redirectAccepted(app, record.redirectUri, params.get("redirect_uri"), true))
      return error(
        "invalid_request",
        "The redirect_uri does not match the callback URL registered for the application.",
      );
    registry.consume(code);
    return {
      status: 200,
      body: {
        access_token: newToken("AZURE_DEVOPS", "access"),
        token_type: "jwt-bearer",
        expires_in: "3599",
        refresh_token: newToken("AZURE_DEVOPS", "refresh"),
        scope: app.scopes.join(" "),
      },
    };
  };
}
