// Fake GitHub (github.com or an Enterprise Server) token endpoint `POST /login/oauth/access_token`: errors come
// back with HTTP 200, as JSON when asked for it (`Accept: application/json`), form-encoded otherwise.
import type { Handler, Reply, Req } from "../http";
import { newToken } from "./credentials";
import { authenticatedApp, isTokenPath, redirectAccepted, tokenParams } from "./params";
import type { OAuthRegistry } from "./registry";

const DOCS =
  "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";
const TOKEN_PATH = "/login/oauth/access_token";

function answer(req: Req, body: Record<string, string>): Reply {
  if (String(req.headers.accept ?? "").includes("json")) return { status: 200, body };
  return {
    status: 200,
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: new URLSearchParams(body).toString(),
  };
}

const failure = (req: Req, error: string, description: string, anchor: string) =>
  answer(req, { error, error_description: description, error_uri: `${DOCS}/#${anchor}` });

export function githubHandler(registry: OAuthRegistry): Handler {
  return (req) => {
    if (!isTokenPath(req.path, TOKEN_PATH) || req.method !== "POST")
      return { status: 404, body: { message: "Not Found" } };
    const params = tokenParams(req);
    const app = authenticatedApp(registry, "GITHUB", req, params);
    if (!app)
      return failure(
        req,
        "incorrect_client_credentials",
        "The client_id and/or client_secret passed are incorrect.",
        "incorrect-client-credentials",
      );
    const code = params.get("code");
    const record = registry.codeFor(app, code);
    if (!record || !code)
      return failure(
        req,
        "bad_verification_code",
        "The code passed is incorrect or expired.",
        "bad-verification-code",
      );
    if (!redirectAccepted(app, record.redirectUri, params.get("redirect_uri"), false))
      return failure(
        req,
        "redirect_uri_mismatch",
        "The redirect_uri MUST match the registered callback URL for this application.",
        "redirect-uri-mismatch2",
      );
    registry.consume(code);
    return answer(req, {
      access_token: newToken("GITHUB", "access"),
      token_type: "bearer",
      scope: app.scopes.join(","),
    });
  };
}
