// Reading a token request as providers do: parameters from the query and the (form or JSON) body, HTTP Basic auth.
import { callbackMatches, specFor, type GitProviderType } from "../../catalog";
import type { Req } from "../http";
import type { StoredApp } from "../state-data";
import type { OAuthRegistry } from "./registry";

export function tokenParams(req: Req): Map<string, string> {
  const params = new Map<string, string>(req.query);
  const type = String(req.headers["content-type"] ?? "");
  if (type.includes("application/json")) {
    try {
      const json = JSON.parse(req.body) as Record<string, unknown>;
      for (const [k, v] of Object.entries(json)) if (typeof v === "string") params.set(k, v);
    } catch {
      // a malformed JSON body carries no parameters
    }
  } else if (req.body) {
    for (const [k, v] of new URLSearchParams(req.body)) params.set(k, v);
  }
  return params;
}

function basicAuth(req: Req): { user: string; password: string } | undefined {
  const header = req.headers.authorization ?? "";
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * The app the request authenticates as: its client id and secret from the parameters, or else from HTTP Basic auth,
 * registered and current; undefined for an unknown client or a wrong or expired secret.
 */
export function authenticatedApp(
  registry: OAuthRegistry,
  type: GitProviderType,
  req: Req,
  params: Map<string, string>,
): StoredApp | undefined {
  const basic = basicAuth(req);
  const app = registry.find(type, params.get("client_id") ?? basic?.user);
  const ok = app && registry.checkSecret(app, params.get("client_secret") ?? basic?.password) === "ok";
  return ok ? app : undefined;
}

/**
 * The redirect_uri check, run after the client and the code were accepted: it must match a callback registered
 * for the app under the provider's rule (Azure/GitLab exact, GitHub same host and sub-path, Bitbucket prefix) and,
 * as RFC 6749 4.1.3 requires, equal the redirect_uri the code was issued for. `required` = absent is a mismatch.
 */
export function redirectAccepted(
  app: StoredApp,
  codeRedirect: string,
  given: string | undefined,
  required: boolean,
): boolean {
  if (given === undefined) return !required;
  const rule = specFor(app.type).callbackRule;
  return app.callbackUrls.some((cb) => callbackMatches(rule, cb, given)) && given === codeRedirect;
}

/**
 * Whether a self-managed instance's token endpoint is at `path`: at the root, or under the path the instance is
 * served at (GitLab's relative URL root, GitHub Enterprise behind a path prefix). Bytebase keeps that path in the
 * instance URL and appends the token path to it (backend/plugin/vcs/gitlab/gitlab.go and github/github.go@2.14.0),
 * so the fake answers for an instance URL of its origin with any path.
 */
export function isTokenPath(path: string, tokenPath: string): boolean {
  return (
    path === tokenPath || (path.endsWith(tokenPath) && /^(\/[^/]+)+$/.test(path.slice(0, -tokenPath.length)))
  );
}
