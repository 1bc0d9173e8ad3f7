// Fake Bitbucket Cloud API 2.0 for app passwords (HTTP Basic `<username>:<app password>`): `GET /2.0/user` with the
// password's permissions in `x-oauth-scopes`, and `GET /2.0/user/permissions/repositories`, as Bitbucket answers
// them (developer.atlassian.com/cloud/bitbucket/rest; a missing permission is 403 with the scopes required); and what
// Bytebase's connectors call (backend/plugin/vcs/bitbucket/bitbucket.go@2.15.0 GetBranch, CreateWebhook,
// DeleteWebhook): `GET /2.0/repositories/{ws}/{slug}/refs/branches/{name}`, `POST .../hooks`, `DELETE .../hooks/{uid}`
// (api-group-refs, api-group-repositories #hooks).
import { expandScopes, specFor } from "../../catalog";
import type { Reply, Req } from "../http";
import { jsonOf } from "./repos";
import { basic, type GitTokens, type IssuedToken } from "./tokens";

const unauthorized: Reply = { status: 401, body: { type: "error", error: { message: "Unauthorized" } } };

function lacking(token: IssuedToken, required: string): Reply | undefined {
  if (expandScopes(specFor("BITBUCKET"), token.scopes).has(required)) return undefined;
  return {
    status: 403,
    body: {
      type: "error",
      error: {
        message: "Your credentials lack one or more required privilege scopes.",
        detail: { granted: token.scopes, required: [required] },
      },
    },
  };
}

export function bitbucketApi(tokens: GitTokens) {
  return (req: Req, base: string): Reply | undefined => {
    const repo = /^\/2\.0\/repositories\/([^/]+\/[^/]+)\/(refs\/branches\/(.+)|hooks(?:\/([^/]+))?)$/.exec(
      req.path,
    );
    if (
      !repo &&
      (!["/2.0/user", "/2.0/user/permissions/repositories"].includes(req.path) || req.method !== "GET")
    )
      return undefined;
    const token = tokens.find("BITBUCKET", basic(req.headers));
    if (!token) return unauthorized;
    const headers = { "x-oauth-scopes": token.scopes.join(", "), "x-credential-type": "apppassword" };
    if (repo) return onRepo(tokens, token, req, repo[1]!, repo[3], repo[4], headers);
    if (req.path === "/2.0/user")
      return (
        lacking(token, "account") ?? {
          status: 200,
          headers,
          body: { type: "user", username: token.username, display_name: token.username, uuid: "{0b0b0b0b}" },
        }
      );
    const denied = lacking(token, "repository");
    if (denied) return denied;
    const adminOnly = /permission="admin"/.test(req.query.get("q") ?? "");
    const all = adminOnly && !token.admin ? [] : token.repositories;
    // developer.atlassian.com/cloud/bitbucket/rest/intro/#pagination: pagelen (10), page (from 1), `next` while more.
    const pagelen = Number(req.query.get("pagelen") ?? 10);
    const page = Number(req.query.get("page") ?? 1);
    const values = all.slice((page - 1) * pagelen, page * pagelen);
    const next = new URLSearchParams(req.query);
    next.set("page", String(page + 1));
    return {
      status: 200,
      headers,
      body: {
        pagelen,
        page,
        size: all.length,
        ...(page * pagelen < all.length ? { next: `${base}${req.rawPath}?${next}` } : {}),
        values: values.map((fullName) => ({
          type: "repository_permission",
          permission: token.admin ? "admin" : "write",
          repository: {
            type: "repository",
            full_name: fullName,
            name: fullName.split("/").pop(),
            uuid: tokens.repos.repo("BITBUCKET", fullName).id,
          },
          links: { html: { href: `${base}/${fullName}` } },
        })),
      },
    };
  };
}

const error = (status: number, message: string, extra: Record<string, unknown> = {}): Reply => ({
  status,
  body: { type: "error", error: { message, ...extra } },
});

/** A repository's branch and hooks (the `webhook` permission and admin rights on the repository for hooks). */
function onRepo(
  tokens: GitTokens,
  token: IssuedToken,
  req: Req,
  fullName: string,
  branch: string | undefined,
  hookId: string | undefined,
  headers: Record<string, string>,
): Reply {
  const denied = lacking(token, "repository");
  if (denied) return denied;
  if (!tokens.sees(token, fullName)) return error(404, `Repository ${fullName} not found`);
  const repo = tokens.repos.repo(
    "BITBUCKET",
    token.repositories.find((r) => r.toLowerCase() === fullName.toLowerCase())!,
  );
  if (branch !== undefined) {
    if (req.method !== "GET") return error(405, "Method not allowed");
    if (!repo.branches.includes(branch)) return error(404, `Branch "${branch}" does not exist`);
    return {
      status: 200,
      headers,
      body: { type: "branch", name: branch, target: { type: "commit", hash: "0b0b".repeat(10) } },
    };
  }
  const noWebhook = lacking(token, "webhook");
  if (noWebhook) return noWebhook;
  if (!token.admin) return error(403, "You do not have admin access to this repository.");
  if (req.method === "POST" && hookId === undefined) {
    const body = jsonOf(req.body);
    const url = typeof body.url === "string" ? body.url : "";
    if (tokens.repos.refuses("BITBUCKET", url))
      return error(400, "Bad request", { fields: { url: ["Enter a valid URL."] } });
    const hook = tokens.repos.addHook(repo, url, body);
    return {
      status: 201,
      headers,
      body: {
        type: "webhook_subscription",
        uuid: hook.id,
        url,
        description: body.description,
        subject_type: "repository",
        active: true,
        events: body.events,
      },
    };
  }
  if (req.method === "DELETE" && hookId !== undefined) {
    if (!tokens.repos.removeHook(repo, hookId)) return error(404, "Webhook not found");
    return { status: 204, headers };
  }
  return error(405, "Method not allowed");
}
