// Fake GitHub REST API for personal access tokens: `GET /user` (classic tokens list their scopes in X-OAuth-Scopes;
// fine-grained ones do not; an expiring token carries `github-authentication-token-expiration`) and `GET /user/repos`
// with `permissions`, at `/` (api.github.com) and `/api/v3` (GitHub Enterprise Server), as docs.github.com describes
// them (401 `Bad credentials`).
import type { Reply, Req } from "../http";
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
    if (!["/user", "/user/repos"].includes(path) || req.method !== "GET") return undefined;
    const token = tokens.find("GITHUB", bearer(req.headers));
    if (!token) return unauthorized;
    const headers = tokenHeaders(token);
    if (path === "/user")
      return { status: 200, headers, body: { login: "bytebase-bot", id: 4242, type: "User" } };
    return {
      status: 200,
      headers,
      body: token.repositories.map((fullName, i) => ({
        id: 2000 + i,
        name: fullName.split("/").pop(),
        full_name: fullName,
        html_url: `${base}/${fullName}`,
        permissions: { admin: token.admin, push: true, pull: true },
      })),
    };
  };
}
