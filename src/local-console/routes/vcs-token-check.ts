// What Bytebase 2.15 - 3.4 asks the Git provider with a token: its repository list (first page on create and
// update: checkAccessTokenPermission, FetchRepositoryList(ctx, false); every page for :searchRepositories,
// FetchRepositoryList(ctx, true): vcs_provider_service.go@2.15.0, @3.4.1), one request path per type as
// backend/plugin/vcs/<type>/*.go@2.15.0 (@3.4.1 alike) FetchRepositoryList sends it. The cloud hosts (api.github.com,
// gitlab.com, api.bitbucket.org, app.vssps.visualstudio.com, dev.azure.com) are the local console's fake Git providers.
import { Buffer } from "node:buffer";
import type { GitProviderType } from "../../catalog";
import { Code, GrpcError } from "../errors";
import type { RouteContext } from "./context";

export interface VcsRepository {
  id: string;
  title: string;
  fullPath: string;
  webUrl: string;
}

type Get = (url: string) => Promise<{ status: number; body: string }>;

/** Where a cloud URL's request goes: the fake of that type, keeping the path. */
export function local(ctx: RouteContext, type: GitProviderType, url: string): string {
  const u = new URL(url);
  const cloud = [
    "api.github.com",
    "gitlab.com",
    "api.bitbucket.org",
    "app.vssps.visualstudio.com",
    "dev.azure.com",
  ];
  return cloud.includes(u.host) ? `${ctx.fakeUrl(type)}${u.pathname}${u.search}` : url;
}

/** fetchPaginatedRepositoryList's failures: a 404 is common.NotFound without the status, else with it and the body. */
const failed = (url: string, status: number, body: string) =>
  new Error(
    status === 404
      ? `fetch paginated list: failed to fetch repository list from URL ${url}`
      : `fetch paginated list: failed to fetch repository list from URL ${url}, status code: ${status}, body: ${body}`,
  );

/** apiPageSize (github.go, gitlab.go, bitbucket.go@2.15.0). */
const PAGE_SIZE = 100;

/**
 * GitHub's and GitLab's pages: `page=1, 2, ...` while a page is full (`len(repos) >= apiPageSize`: no Link header
 * read), only the first unless `listAll`.
 */
async function pages<T>(get: Get, target: (page: number) => string, listAll: boolean): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page++) {
    const url = target(page);
    const r = await get(url);
    if (r.status >= 300) throw failed(url, r.status, r.body);
    const repos = JSON.parse(r.body) as T[];
    all.push(...repos);
    if (repos.length < PAGE_SIZE || !listAll) return all;
  }
}

type List = (url: string, get: Get, listAll: boolean) => Promise<VcsRepository[]>;
const LISTS: Record<GitProviderType, List> = {
  // github.go@2.15.0: GET <api>/user/repos?page=N&per_page=100; only repositories where permissions.admin.
  async GITHUB(url, get, listAll) {
    const api = url === "https://github.com" ? "https://api.github.com" : `${url}/api/v3`;
    const repos = await pages<{
      id: number;
      name: string;
      full_name: string;
      html_url: string;
      permissions?: { admin?: boolean };
    }>(get, (page) => `${api}/user/repos?page=${page}&per_page=${PAGE_SIZE}`, listAll);
    return repos
      .filter((x) => x.permissions?.admin)
      .map((x) => ({ id: String(x.id), title: x.name, fullPath: x.full_name, webUrl: x.html_url }));
  },
  // gitlab.go@2.15.0: GET <url>/api/v4/projects?membership=true&simple=true&min_access_level=40&page=N&per_page=100.
  async GITLAB(url, get, listAll) {
    const query = "membership=true&simple=true&min_access_level=40";
    const repos = await pages<{ id: number; name: string; path_with_namespace: string; web_url: string }>(
      get,
      (page) => `${url}/api/v4/projects?${query}&page=${page}&per_page=${PAGE_SIZE}`,
      listAll,
    );
    return repos.map((x) => ({
      id: String(x.id),
      title: x.name,
      fullPath: x.path_with_namespace,
      webUrl: x.web_url,
    }));
  },
  // bitbucket.go@2.15.0: GET <api>/user/permissions/repositories?pagelen=100&q=permission="admin", then each page's
  // `next` URL while there is one (only the first unless listAll).
  async BITBUCKET(url, get, listAll) {
    const api = url === "https://bitbucket.org" ? "https://api.bitbucket.org/2.0" : `${url}/2.0`;
    const values: { repository: { full_name: string; name: string; uuid: string } }[] = [];
    let next = `${api}/user/permissions/repositories?${new URLSearchParams({ pagelen: String(PAGE_SIZE), q: 'permission="admin"' })}`;
    while (next) {
      const r = await get(next);
      if (r.status >= 300) throw failed(next, r.status, r.body);
      const page = JSON.parse(r.body) as { values?: typeof values; next?: string };
      values.push(...(page.values ?? []));
      next = listAll ? (page.next ?? "") : "";
    }
    return values.map(({ repository: x }) => ({
      id: x.uuid,
      title: x.name,
      fullPath: x.full_name,
      webUrl: `${url}/${x.full_name}`,
    }));
  },
  // azure.go@2.15.0: the profile's public alias, its organizations, then each organization's repositories (one
  // request each, no rights filter; only the first organization unless listAll).
  async AZURE_DEVOPS(url, get, listAll) {
    const root = url.startsWith("http://localhost:") ? url : "https://app.vssps.visualstudio.com";
    const profileUrl = `${root}/_apis/profile/profiles/me?api-version=7.0`;
    const profile = await get(profileUrl);
    if (profile.status !== 200)
      throw new Error(
        `failed to get authenticated profile public alias: non-200 GET ${profileUrl} status code ${profile.status} with body ${JSON.stringify(profile.body)}`,
      );
    const alias = (JSON.parse(profile.body) as { publicAlias: string }).publicAlias;
    const accountsUrl = `${root}/_apis/accounts?memberId=${encodeURIComponent(alias)}&api-version=7.0`;
    const accounts = await get(accountsUrl);
    if (accounts.status !== 200)
      throw new Error(
        `failed to list organizations for member: non-200 GET ${accountsUrl} status code ${accounts.status} with body ${JSON.stringify(accounts.body)}`,
      );
    const orgs = (JSON.parse(accounts.body) as { value: { accountName: string }[] }).value.map(
      (a) => a.accountName,
    );
    const result: VcsRepository[] = [];
    for (const org of orgs.slice(0, listAll ? orgs.length : 1)) {
      const target = `${url}/${encodeURIComponent(org)}/_apis/git/repositories?api-version=7.0`;
      const r = await get(target);
      if (r.status === 401) continue; // third-party OAuth access off: skipped, as azure.go does
      if (r.status !== 200)
        throw new Error(
          `failed to list repositories under the organization ${org}: non-200 GET ${target} status code ${r.status} with body ${JSON.stringify(r.body)}`,
        );
      const repos = (
        JSON.parse(r.body) as {
          value: { id: string; name: string; webUrl: string; project: { id: string; name: string } }[];
        }
      ).value;
      for (const x of repos)
        result.push({
          id: `${org}/${x.project.id}/${x.id}`,
          title: x.name,
          fullPath: `${org}/${x.project.name}/${x.name}`,
          webUrl: x.webUrl,
        });
    }
    return result.sort((a, b) => a.fullPath.localeCompare(b.fullPath));
  },
};

export const AUTHORIZATION: Record<GitProviderType, (token: string) => string> = {
  GITHUB: (t) => `Bearer ${t}`,
  GITLAB: (t) => `Bearer ${t}`,
  BITBUCKET: (t) => `Basic ${Buffer.from(t).toString("base64")}`,
  AZURE_DEVOPS: (t) => `Basic ${Buffer.from(`:${t}`).toString("base64")}`,
};

/** FetchRepositoryList(ctx, listAll); throws the Git provider's failure in Bytebase's words (plain Error). */
export async function fetchRepositoryList(
  ctx: RouteContext,
  type: GitProviderType,
  url: string,
  token: string,
  listAll: boolean,
): Promise<VcsRepository[]> {
  const get: Get = async (target) => {
    try {
      const answer = await fetch(local(ctx, type, target), {
        headers: { "content-type": "application/json", authorization: AUTHORIZATION[type](token) },
      });
      return { status: answer.status, body: await answer.text() };
    } catch (error) {
      throw new Error(`GET ${target}: ${(error as Error).message}`, { cause: error });
    }
  };
  return LISTS[type](url, get, listAll);
}

/** vcs_provider_service.go@2.15.0 checkAccessTokenPermission: InvalidArgument with the Git provider's failure. */
export async function checkAccessTokenPermission(
  ctx: RouteContext,
  type: GitProviderType,
  url: string,
  token: string,
): Promise<void> {
  try {
    await fetchRepositoryList(ctx, type, url, token, false);
  } catch (error) {
    throw new GrpcError(
      Code.InvalidArgument,
      `failed to fetch repositories, please check if the token has right permissions: ${(error as Error).message}`,
    );
  }
}
