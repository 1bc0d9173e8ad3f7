// Fake Bitbucket Cloud API 2.0 for app passwords (HTTP Basic `<username>:<app password>`): `GET /2.0/user` with the
// password's permissions in `x-oauth-scopes`, and `GET /2.0/user/permissions/repositories`, as Bitbucket answers
// them (developer.atlassian.com/cloud/bitbucket/rest; a missing permission is 403 with the scopes required).
import { expandScopes, specFor } from "../../catalog";
import type { Reply, Req } from "../http";
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
    if (!["/2.0/user", "/2.0/user/permissions/repositories"].includes(req.path) || req.method !== "GET")
      return undefined;
    const token = tokens.find("BITBUCKET", basic(req.headers));
    if (!token) return unauthorized;
    const headers = { "x-oauth-scopes": token.scopes.join(", "), "x-credential-type": "apppassword" };
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
    const values = adminOnly && !token.admin ? [] : token.repositories;
    return {
      status: 200,
      headers,
      body: {
        pagelen: Number(req.query.get("pagelen") ?? 10),
        page: 1,
        size: values.length,
        values: values.map((fullName, i) => ({
          type: "repository_permission",
          permission: token.admin ? "admin" : "write",
          repository: {
            type: "repository",
            full_name: fullName,
            name: fullName.split("/").pop(),
            uuid: `{${i}}`,
          },
          links: { html: { href: `${base}/${fullName}` } },
        })),
      },
    };
  };
}
