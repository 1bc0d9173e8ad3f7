// Fake GitHub REST API for personal access tokens: `GET /user` (classic tokens list their scopes in X-OAuth-Scopes;
// fine-grained ones do not; an expiring token carries `github-authentication-token-expiration`) and `GET /user/repos`
// with `permissions`, at `/` (api.github.com) and `/api/v3` (GitHub Enterprise Server), as docs.github.com describes
// them (401 `Bad credentials`); and what Bytebase's connectors call (backend/plugin/vcs/github/github.go@2.15.0
// GetBranch, CreateWebhook, DeleteWebhook): `GET /repos/{o}/{r}/git/ref/heads/{branch}`, `POST /repos/{o}/{r}/hooks`,
// `DELETE /repos/{o}/{r}/hooks/{id}` (docs.github.com/rest/git/refs, /rest/repos/webhooks).
import type { Reply, Req } from "../http";
import { jsonOf } from "./repos";
import { bearer, type GitTokens, type IssuedToken } from "./tokens";

const unauthorized: Reply = {
  status: 401,
  body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" },
};

/** `2026-12-01 00:00:00 UTC`, the header's form. */
const expiryHeader = (d: Date) => `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;

function tokenHeaders(t: IssuedToken): Record<string, string> {
  return {
    ...(t.fineGrained ? {} : { "x-oauth-scopes": t.scopes.join(", "), "x-accepted-oauth-scopes": "" }),
    ...(t.expiresAt ? { "github-authentication-token-expiration": expiryHeader(t.expiresAt) } : {}),
  };
}

export function githubApi(tokens: GitTokens) {
  return (req: Req, base: string): Reply | undefined => {
    const path = req.path.replace(/^\/api\/v3(?=\/)/, "");
    const repo = /^\/repos\/([^/]+\/[^/]+)\/(git\/ref\/heads\/(.+)|hooks(?:\/([^/]+))?)$/.exec(path);
    if (!repo && (!["/user", "/user/repos"].includes(path) || req.method !== "GET")) return undefined;
    const token = tokens.find("GITHUB", bearer(req.headers));
    if (!token) return unauthorized;
    const headers = tokenHeaders(token);
    if (repo)
      return onRepo(tokens, token, req, repo[1]!, repo[3], repo[2]!.startsWith("hooks"), repo[4], headers);
    if (path === "/user")
      return { status: 200, headers, body: { login: "bytebase-bot", id: 4242, type: "User" } };
    // docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user: page (from 1), per_page (30).
    const perPage = Number(req.query.get("per_page") ?? 30);
    const page = Number(req.query.get("page") ?? 1);
    return {
      status: 200,
      headers,
      body: token.repositories.slice((page - 1) * perPage, page * perPage).map((fullName) => ({
        id: Number(tokens.repos.repo("GITHUB", fullName).id),
        name: fullName.split("/").pop(),
        full_name: fullName,
        html_url: `${base}/${fullName}`,
        permissions: { admin: token.admin, push: true, pull: true },
      })),
    };
  };
}

const notFound = (doc: string): Reply => ({
  status: 404,
  body: { message: "Not Found", documentation_url: `https://docs.github.com/rest/${doc}`, status: "404" },
});

/** A repository's branch ref and hooks; a repository the token's user cannot administer hides its hooks (404). */
function onRepo(
  tokens: GitTokens,
  token: IssuedToken,
  req: Req,
  fullName: string,
  branch: string | undefined,
  hooks: boolean,
  hookId: string | undefined,
  headers: Record<string, string>,
): Reply {
  if (!tokens.sees(token, fullName)) return notFound("repos/repos#get-a-repository");
  const repo = tokens.repos.repo(
    "GITHUB",
    token.repositories.find((r) => r.toLowerCase() === fullName.toLowerCase())!,
  );
  if (branch !== undefined) {
    if (req.method !== "GET") return notFound("git/refs");
    if (!repo.branches.includes(branch)) return notFound("git/refs#get-a-reference");
    const sha = "0b0b".repeat(10);
    return {
      status: 200,
      headers,
      body: { ref: `refs/heads/${branch}`, object: { sha, type: "commit" } },
    };
  }
  if (!hooks || !token.admin) return notFound("repos/webhooks");
  if (req.method === "POST" && hookId === undefined) {
    const body = jsonOf(req.body);
    const config = (body.config ?? {}) as { url?: string };
    const url = typeof config.url === "string" ? config.url : "";
    if (tokens.repos.refuses("GITHUB", url))
      return {
        status: 422,
        headers,
        body: {
          message: "Validation Failed",
          errors: [
            {
              resource: "Hook",
              code: "custom",
              message: `Sorry, the URL host ${new URL(url).hostname} is not supported because it isn't reachable over the public Internet`,
            },
          ],
          documentation_url: "https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook",
          status: "422",
        },
      };
    const hook = tokens.repos.addHook(repo, url, body);
    return {
      status: 201,
      headers,
      body: {
        type: "Repository",
        id: Number(hook.id),
        name: "web",
        active: true,
        events: body.events,
        config,
      },
    };
  }
  if (req.method === "DELETE" && hookId !== undefined) {
    if (!tokens.repos.removeHook(repo, hookId)) return notFound("repos/webhooks#delete-a-repository-webhook");
    return { status: 204, headers };
  }
  return notFound("repos/webhooks");
}
