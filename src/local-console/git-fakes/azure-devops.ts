// Fake Azure DevOps REST API 7.0 for personal access tokens (HTTP Basic `:<PAT>`): the profile and accounts of
// app.vssps.visualstudio.com and an organization's Git repositories at dev.azure.com, as Microsoft documents them
// (learn.microsoft.com/rest/api/azure/devops: profiles/get, accounts/list, git/repositories/list). A PAT limited to
// one organization, or lacking a scope, is refused with 401.
import type { Reply, Req } from "../http";
import { basic, type GitTokens } from "./tokens";

const unauthorized = (what: string): Reply => ({
  status: 401,
  body: { $id: "1", message: `TF400813: The user '' is not authorized to access this resource. (${what})` },
});

export function azureDevOpsApi(tokens: GitTokens) {
  return (req: Req, base: string): Reply | undefined => {
    if (req.method !== "GET") return undefined;
    const repos = /^\/([^/]+)\/_apis\/git\/repositories$/.exec(req.path);
    const known = ["/_apis/profile/profiles/me", "/_apis/accounts"].includes(req.path) || repos;
    if (!known) return undefined;
    const pat = basic(req.headers)?.replace(/^[^:]*:/, "");
    const token = tokens.find("AZURE_DEVOPS", pat);
    if (!token) return unauthorized("no such token");
    if (req.path === "/_apis/profile/profiles/me") {
      if (token.scopedToOneOrganization || !token.scopes.includes("vso.profile"))
        return unauthorized("profile");
      return {
        status: 200,
        body: {
          displayName: "Bytebase Bot",
          publicAlias: "0b0b-alias",
          emailAddress: "bot@example.com",
          id: "0b0b",
        },
      };
    }
    if (req.path === "/_apis/accounts") {
      if (req.query.get("memberId") !== "0b0b-alias") return { status: 200, body: { count: 0, value: [] } };
      const value = token.organizations.map((name, i) => ({
        accountId: `acc-${i}`,
        accountName: name,
        accountUri: `https://vssps.dev.azure.com/${name}/`,
      }));
      return { status: 200, body: { count: value.length, value } };
    }
    const org = decodeURIComponent(repos![1]!);
    if (!token.organizations.includes(org) || !token.scopes.includes("vso.code")) return unauthorized("code");
    const value = token.repositories.map((path, i) => ({
      id: `repo-${i}`,
      name: path.split("/").pop(),
      webUrl: `${base}/${org}/${path.split("/")[0]}/_git/${path.split("/").pop()}`,
      project: { id: `proj-${i}`, name: path.split("/")[0], state: "wellFormed" },
    }));
    return { status: 200, body: { count: value.length, value } };
  };
}
