// Fake GitLab REST API v4 for access tokens: `GET /api/v4/personal_access_tokens/self` and the project list Bytebase
// asks for (`/projects?membership=true&min_access_level=40`), as GitLab answers them (docs.gitlab.com/ee/api/
// personal_access_tokens.html, projects.html; 401 `{"message":"401 Unauthorized"}`, 403 `insufficient_scope`).
import type { Reply, Req } from "../http";
import { bearer, type GitTokens, type IssuedToken } from "./tokens";

const unauthorized: Reply = { status: 401, body: { message: "401 Unauthorized" } };
const insufficientScope = (scopes: string[]): Reply => ({
  status: 403,
  body: {
    error: "insufficient_scope",
    error_description: "The request requires higher privileges than provided by the access token.",
    scope: scopes.join(" "),
  },
});

const canReadApi = (t: IssuedToken) => t.scopes.includes("api") || t.scopes.includes("read_api");

export function gitlabApi(tokens: GitTokens) {
  return (req: Req, base: string): Reply | undefined => {
    if (!req.path.startsWith("/api/v4/") || req.method !== "GET") return undefined;
    const token = tokens.find("GITLAB", bearer(req.headers));
    if (!token) return unauthorized;
    if (req.path === "/api/v4/personal_access_tokens/self")
      return {
        status: 200,
        body: {
          id: token.id,
          name: "bytebase",
          revoked: false,
          created_at: new Date(tokens.now()).toISOString(),
          scopes: token.scopes,
          user_id: 7,
          last_used_at: new Date(tokens.now()).toISOString(),
          active: true,
          expires_at: token.expiresAt ? token.expiresAt.toISOString().slice(0, 10) : null,
        },
      };
    if (req.path === "/api/v4/projects") {
      if (!canReadApi(token)) return insufficientScope(["api", "read_api"]);
      const minLevel = Number(req.query.get("min_access_level") ?? 0);
      const visible = minLevel >= 40 && !token.admin ? [] : token.repositories;
      return {
        status: 200,
        headers: { "x-next-page": "", "x-page": req.query.get("page") ?? "1" },
        body: visible.map((path, i) => ({
          id: 1000 + i,
          name: path.split("/").pop(),
          path_with_namespace: path,
          web_url: `${base}/${path}`,
        })),
      };
    }
    return { status: 404, body: { error: "404 Not Found" } };
  };
}
