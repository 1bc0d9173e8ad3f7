// Fake GitLab REST API v4 for access tokens: `GET /api/v4/personal_access_tokens/self`, the project list Bytebase
// asks for (`/projects?membership=true&min_access_level=40`), and what its connectors call
// (backend/plugin/vcs/gitlab/gitlab.go@2.15.0 GetBranch, CreateWebhook, DeleteWebhook): a branch, adding and removing
// a project hook, as GitLab answers them (docs.gitlab.com/ee/api/personal_access_tokens.html, projects.html,
// branches.html, projects.html#hooks; 401 `{"message":"401 Unauthorized"}`, 403 `insufficient_scope`).
import type { Reply, Req } from "../http";
import { jsonOf } from "./repos";
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
    if (!req.path.startsWith("/api/v4/")) return undefined;
    const token = tokens.find("GITLAB", bearer(req.headers));
    if (!token) return unauthorized;
    const project = /^\/api\/v4\/projects\/([^/]+)\/(repository\/branches|hooks)(?:\/([^/]+))?$/.exec(
      req.rawPath,
    );
    if (project) return onProject(tokens, token, req, project[1]!, project[2]!, project[3]);
    if (req.method !== "GET") return { status: 404, body: { error: "404 Not Found" } };
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
      // docs.gitlab.com/api/rest/#offset-based-pagination: page (from 1), per_page (20), x-next-page "" on the last.
      const perPage = Number(req.query.get("per_page") ?? 20);
      const page = Number(req.query.get("page") ?? 1);
      const last = page * perPage >= visible.length;
      return {
        status: 200,
        headers: { "x-next-page": last ? "" : String(page + 1), "x-page": String(page) },
        body: visible.slice((page - 1) * perPage, page * perPage).map((path) => ({
          id: Number(tokens.repos.repo("GITLAB", path).id),
          name: path.split("/").pop(),
          path_with_namespace: path,
          web_url: `${base}/${path}`,
        })),
      };
    }
    return { status: 404, body: { error: "404 Not Found" } };
  };
}

/**
 * `/projects/:id/repository/branches/:branch` (GET) and `/projects/:id/hooks[/:hook_id]` (POST, DELETE). A branch
 * name with an unescaped "/" does not match GitLab's route (NO_SLASH_URL_PART_REGEX), so it is 404 as a missing one.
 */
function onProject(
  tokens: GitTokens,
  token: IssuedToken,
  req: Req,
  rawId: string,
  kind: string,
  rawItem: string | undefined,
): Reply {
  const repo = tokens.repos.byId("GITLAB", decodeURIComponent(rawId));
  if (!repo || !tokens.sees(token, repo.fullPath))
    return { status: 404, body: { message: "404 Project Not Found" } };
  if (!canReadApi(token)) return insufficientScope(["api", "read_api"]);
  if (kind === "repository/branches") {
    if (req.method !== "GET" || rawItem === undefined)
      return { status: 404, body: { error: "404 Not Found" } };
    const name = decodeURIComponent(rawItem);
    if (!repo.branches.includes(name)) return { status: 404, body: { message: "404 Branch Not Found" } };
    return {
      status: 200,
      body: {
        name,
        merged: false,
        protected: name === "main",
        default: name === "main",
        commit: { id: "0b0b".repeat(10) },
      },
    };
  }
  if (!token.scopes.includes("api")) return insufficientScope(["api"]);
  if (!token.admin) return { status: 403, body: { message: "403 Forbidden" } };
  if (req.method === "POST" && rawItem === undefined) {
    const body = jsonOf(req.body);
    const url = typeof body.url === "string" ? body.url : "";
    if (tokens.repos.refuses("GITLAB", url))
      return {
        status: 422,
        body: { message: { url: ["is blocked: Requests to the local network are not allowed"] } },
      };
    const hook = tokens.repos.addHook(repo, url, body);
    return {
      status: 201,
      body: {
        id: Number(hook.id),
        url,
        project_id: Number(repo.id),
        created_at: new Date(tokens.now()).toISOString(),
      },
    };
  }
  if (req.method === "DELETE" && rawItem !== undefined) {
    if (!tokens.repos.removeHook(repo, decodeURIComponent(rawItem)))
      return { status: 404, body: { message: "404 Not found" } };
    return { status: 204 };
  }
  return { status: 404, body: { error: "404 Not Found" } };
}
