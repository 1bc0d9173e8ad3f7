// Fake Azure DevOps REST API 7.0 for personal access tokens (HTTP Basic `:<PAT>`): the profile and accounts of
// app.vssps.visualstudio.com and an organization's Git repositories at dev.azure.com, as Microsoft documents them
// (learn.microsoft.com/rest/api/azure/devops: profiles/get, accounts/list, git/repositories/list). A PAT limited to
// one organization, or lacking a scope, is refused with 401. And what Bytebase's connectors call
// (backend/plugin/vcs/azure/azure.go@2.15.0 GetBranch, CreateWebhook, DeleteWebhook): a branch's statistics
// (git/stats/get), and the organization's service hook subscriptions (hooks/subscriptions/create, delete).
import type { Reply, Req } from "../http";
import { jsonOf } from "./repos";
import { basic, type GitTokens, type IssuedToken } from "./tokens";

const unauthorized = (what: string): Reply => ({
  status: 401,
  body: { $id: "1", message: `TF400813: The user '' is not authorized to access this resource. (${what})` },
});

export function azureDevOpsApi(tokens: GitTokens) {
  return (req: Req, base: string): Reply | undefined => {
    const branch = /^\/([^/]+)\/([^/]+)\/_apis\/git\/repositories\/([^/]+)\/stats\/branches$/.exec(req.path);
    const hooks = /^\/([^/]+)\/_apis\/hooks\/subscriptions(?:\/([^/]+))?$/.exec(req.path);
    const repos = /^\/([^/]+)\/_apis\/git\/repositories$/.exec(req.path);
    const known = ["/_apis/profile/profiles/me", "/_apis/accounts"].includes(req.path) || repos;
    if (!branch && !hooks && (req.method !== "GET" || !known)) return undefined;
    const pat = basic(req.headers)?.replace(/^[^:]*:/, "");
    const token = tokens.find("AZURE_DEVOPS", pat);
    if (!token) return unauthorized("no such token");
    if (branch) return branchStats(tokens, token, req, branch[1]!, branch[3]!);
    if (hooks) return subscriptions(tokens, token, req, hooks[1]!, hooks[2]);
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
    const value = token.repositories.map((path) => {
      const repo = tokens.repos.repo("AZURE_DEVOPS", `${org}/${path}`);
      return {
        id: repo.id,
        name: path.split("/").pop(),
        webUrl: `${base}/${org}/${path.split("/")[0]}/_git/${path.split("/").pop()}`,
        project: { id: repo.projectId, name: path.split("/")[0], state: "wellFormed" },
      };
    });
    return { status: 200, body: { count: value.length, value } };
  };
}

/** The repository `<org>/<project id or name>/<repository id>` if the token's user sees it there. */
function visible(tokens: GitTokens, token: IssuedToken, org: string, repoId: string) {
  const repo = tokens.repos.byId("AZURE_DEVOPS", repoId);
  if (!repo || !token.organizations.includes(org) || !token.scopes.includes("vso.code")) return undefined;
  const [repoOrg, ...path] = repo.fullPath.split("/");
  return repoOrg === org && tokens.sees(token, path.join("/")) ? repo : undefined;
}

/** `GET {org}/{project}/_apis/git/repositories/{id}/stats/branches?name=` (learn.microsoft.com git/stats/get). */
function branchStats(tokens: GitTokens, token: IssuedToken, req: Req, org: string, repoId: string): Reply {
  if (req.method !== "GET") return { status: 405, body: { $id: "1", message: "Method not allowed" } };
  const repo = visible(tokens, token, org, repoId);
  if (!repo)
    return {
      status: 404,
      body: {
        $id: "1",
        message: `TF401019: The Git repository with name or identifier ${repoId} does not exist or you do not have permissions for the operation you are attempting.`,
        typeKey: "GitRepositoryNotFoundException",
      },
    };
  const name = req.query.get("name") ?? "";
  if (!repo.branches.includes(name))
    return {
      status: 404,
      body: {
        $id: "1",
        message: `TF401175:The version descriptor <Branch: ${name} > could not be resolved to a version in the repository ${repo.fullPath.split("/").pop()}`,
        typeKey: "GitUnresolvableToCommitException",
      },
    };
  return {
    status: 200,
    body: {
      commit: { commitId: "0b0b".repeat(10) },
      name,
      aheadCount: 0,
      behindCount: 0,
      isBaseVersion: true,
    },
  };
}

/** `POST {org}/_apis/hooks/subscriptions`, `DELETE {org}/_apis/hooks/subscriptions/{id}` (hooks/subscriptions). */
function subscriptions(
  tokens: GitTokens,
  token: IssuedToken,
  req: Req,
  org: string,
  id: string | undefined,
): Reply {
  if (!token.organizations.includes(org)) return unauthorized("organization");
  if (req.method === "POST" && id === undefined) {
    const body = jsonOf(req.body);
    const inputs = (body.publisherInputs ?? {}) as { repository?: string };
    const consumer = (body.consumerInputs ?? {}) as { url?: string };
    const repo = visible(tokens, token, org, inputs.repository ?? "");
    if (!repo || !token.admin)
      return {
        status: 403,
        body: {
          $id: "1",
          message: "TF400813: The user is not authorized to access this resource.",
          typeKey: "UnauthorizedRequestException",
        },
      };
    const url = consumer.url ?? "";
    if (tokens.repos.refuses("AZURE_DEVOPS", url))
      return {
        status: 400,
        body: {
          $id: "1",
          message: `The remote server returned an error: the URL ${url} could not be reached.`,
          typeKey: "ServiceHookException",
        },
      };
    const hook = tokens.repos.addHook(repo, url, body);
    return {
      status: 200,
      body: {
        id: hook.id,
        eventType: body.eventType,
        publisherId: "tfs",
        consumerId: "webHooks",
        status: "enabled",
      },
    };
  }
  if (req.method === "DELETE" && id !== undefined) {
    const repo = tokens.repos.withHook("AZURE_DEVOPS", id);
    if (!repo || !repo.fullPath.startsWith(`${org}/`))
      return { status: 404, body: { $id: "1", message: `VS1050017: Subscription ${id} not found.` } };
    tokens.repos.removeHook(repo, id);
    return { status: 204 };
  }
  return { status: 405, body: { $id: "1", message: "Method not allowed" } };
}
