// The `vcsProviders` resource of Bytebase 2.15 - 3.4 (proto/v1/vcs_provider_service.proto@2.15.0, @3.4.1;
// backend/api/v1/vcs_provider_service.go@2.15.0): list, get, create (checking the token at the Git provider as
// Bytebase does), patch, delete, and the connectors that use a provider. Served only by consoles of 2.15 and later.
import { isGitProviderType, type GitProviderType } from "../../catalog";
import { Code, GrpcError } from "../errors";
import type { Reply, Req } from "../http";
import type { Role } from "../types";
import { camelToSnake, jsonBody, stringField, type RouteContext } from "./context";
import { checkAccessTokenPermission, fetchRepositoryList } from "./vcs-token-check";
import { enumType } from "./vcs";

export interface VcsProviderRecord {
  resourceId: string;
  title: string;
  type: GitProviderType;
  url: string;
  /** "" after the 2.15 migration until a token is set (0003##vcs_token.sql@2.15.0). */
  accessToken: string;
}

export interface VcsConnectorRecord {
  project: string;
  resourceId: string;
  vcsProvider: string;
  fullPath: string;
  branch: string;
}

const SERVICE = "/bytebase.v1.VCSProviderService";
const PREFIX = "vcsProviders/";
/** backend/api/v1/common.go@2.15.0 resourceIDMatcher (the same at 3.4.1). */
const RESOURCE_ID = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** backend/component/iam/acl.yaml@2.15.0: workspaceAdmin and workspaceDBA hold every bb.vcsProviders.*; Member three. */
const MEMBER = new Set(["bb.vcsProviders.get", "bb.vcsProviders.list", "bb.vcsProviders.searchProjects"]);
const allowed = (role: Role, permission: string) => role !== "member" || MEMBER.has(permission);

function authorize(ctx: RouteContext, req: Req, permission: string, method: string): void {
  const account = ctx.auth.authenticate(req);
  if (!allowed(account.role, permission))
    throw new GrpcError(
      Code.PermissionDenied,
      `permission denied for method "${SERVICE}/${method}", user does not have permission "${permission}"`,
    );
}

/** Whether this console serves the access-token era (2.15 - 3.4; 3.5 removed it, bytebase PR #15353). */
export function servesVcsProviders(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return (major === 2 && minor >= 15) || (major === 3 && minor <= 4);
}

export function vcsState(ctx: RouteContext): {
  providers: VcsProviderRecord[];
  connectors: VcsConnectorRecord[];
} {
  const data = ctx.store.data as { vcsProviders?: VcsProviderRecord[]; vcsConnectors?: VcsConnectorRecord[] };
  data.vcsProviders ??= [];
  data.vcsConnectors ??= [];
  return { providers: data.vcsProviders, connectors: data.vcsConnectors };
}

/** As convertVCSProvider emits it: name, title, type, url; the access token is INPUT_ONLY (emitted empty). */
const toResource = (p: VcsProviderRecord) => ({
  name: `${PREFIX}${p.resourceId}`,
  title: p.title,
  type: p.type,
  url: p.url,
  accessToken: "",
});

/** getVCS: any id is looked up (migrated ids such as `azure_devops` included); missing: NotFound. */
function find(ctx: RouteContext, id: string): VcsProviderRecord {
  const found = vcsState(ctx).providers.find((p) => p.resourceId === id);
  if (!found) throw new GrpcError(Code.NotFound, `vcs provider ${PREFIX}${id} not found`);
  return found;
}

const ROUTE = /^\/v1\/vcsProviders(?:\/([^/:]+)(:searchRepositories|\/vcsConnectors)?)?$/;

/** The reply for a `vcsProviders` request, or undefined when the path is not one (or the console predates 2.15). */
export async function vcsProviderRoute(ctx: RouteContext, req: Req): Promise<Reply | undefined> {
  if (!servesVcsProviders(ctx.version)) return undefined;
  const match = ROUTE.exec(req.path);
  if (!match) return undefined;
  const [, id, action] = match;
  if (id === undefined) {
    if (req.method === "GET") return list(ctx, req);
    if (req.method === "POST") return create(ctx, req);
    return undefined;
  }
  if (action === "/vcsConnectors") return req.method === "GET" ? connectorsOf(ctx, req, id) : undefined;
  if (action === ":searchRepositories") return req.method === "POST" ? search(ctx, req, id) : undefined;
  if (req.method === "GET") {
    authorize(ctx, req, "bb.vcsProviders.get", "GetVCSProvider");
    return { status: 200, body: toResource(find(ctx, id)) };
  }
  if (req.method === "PATCH") return patch(ctx, req, id);
  if (req.method === "DELETE") return remove(ctx, req, id);
  return undefined;
}

function list(ctx: RouteContext, req: Req): Reply {
  authorize(ctx, req, "bb.vcsProviders.list", "ListVCSProviders");
  return { status: 200, body: { vcsProviders: vcsState(ctx).providers.map(toResource), nextPageToken: "" } };
}

async function create(ctx: RouteContext, req: Req): Promise<Reply> {
  const body = jsonBody(req);
  authorize(ctx, req, "bb.vcsProviders.create", "CreateVCSProvider");
  const id = req.query.get("vcsProviderId") ?? req.query.get("vcs_provider_id") ?? "";
  const state = vcsState(ctx);
  // Existence first, then the id rule: an existing migrated id such as `azure_devops` is "already exists".
  if (state.providers.some((p) => p.resourceId === id))
    throw new GrpcError(Code.AlreadyExists, `vcs provider ${id} already exists`);
  if (!RESOURCE_ID.test(id)) throw new GrpcError(Code.InvalidArgument, `invalid vcs provider ID ${id}`);
  const title = stringField(body, "title") ?? "";
  const type = enumType(body);
  const url = stringField(body, "url") ?? "";
  const accessToken = stringField(body, "accessToken") ?? "";
  const empty = (what: string) => new GrpcError(Code.InvalidArgument, `Empty VCSProvider.${what}`);
  if (title === "") throw empty("Title");
  if (type === "TYPE_UNSPECIFIED" || !isGitProviderType(type)) throw empty("Type");
  if (url === "") throw empty("Url");
  if (accessToken === "") throw empty("Secret");
  const record: VcsProviderRecord = {
    resourceId: id,
    title,
    type,
    url: url.replace(/\/+$/, ""),
    accessToken,
  };
  await checkAccessTokenPermission(ctx, record.type, record.url, accessToken);
  state.providers.push(record);
  ctx.store.changed();
  return { status: 200, body: toResource(record) };
}

/** grpc-gateway: `?update_mask=` verbatim (split on commas), else the body's keys in snake_case; repeated: 400. */
function maskPaths(req: Req, body: Record<string, unknown>): string[] {
  const given = req.query.getAll("update_mask");
  if (given.length > 1)
    throw new GrpcError(Code.InvalidArgument, 'parsing field "update_mask": too many values');
  return given.length ? given[0]!.split(",") : Object.keys(body).map(camelToSnake);
}

async function patch(ctx: RouteContext, req: Req, id: string): Promise<Reply> {
  const body = jsonBody(req);
  authorize(ctx, req, "bb.vcsProviders.update", "UpdateVCSProvider");
  const provider = find(ctx, id);
  const update: Partial<VcsProviderRecord> = {};
  for (const path of maskPaths(req, body)) {
    if (path === "title") {
      const title = stringField(body, "title") ?? "";
      if (title === "") throw new GrpcError(Code.InvalidArgument, "title should not be empty");
      update.title = title;
    } else if (path === "access_token") {
      const token = stringField(body, "accessToken") ?? "";
      if (token === "") throw new GrpcError(Code.InvalidArgument, "secret should not be empty");
      await checkAccessTokenPermission(ctx, provider.type, provider.url, token);
      update.accessToken = token;
    }
  }
  Object.assign(provider, update);
  ctx.store.changed();
  return { status: 200, body: toResource(provider) };
}

function remove(ctx: RouteContext, req: Req, id: string): Reply {
  authorize(ctx, req, "bb.vcsProviders.delete", "DeleteVCSProvider");
  const provider = find(ctx, id);
  const state = vcsState(ctx);
  if (state.connectors.some((c) => c.vcsProvider === provider.resourceId))
    throw new GrpcError(
      Code.Internal,
      'Failed to delete vcs provider: ERROR: update or delete on table "vcs" violates foreign key constraint "vcs_connector_vcs_id_fkey" on table "vcs_connector" (SQLSTATE 23503)',
    );
  state.providers.splice(state.providers.indexOf(provider), 1);
  ctx.store.changed();
  return { status: 200, body: {} };
}

/** ListVCSConnectorsInProvider: `{vcsConnectors: [...]}`. */
function connectorsOf(ctx: RouteContext, req: Req, id: string): Reply {
  authorize(ctx, req, "bb.vcsProviders.listProjects", "ListVCSConnectorsInProvider");
  const provider = find(ctx, id);
  const connectors = vcsState(ctx).connectors.filter((c) => c.vcsProvider === provider.resourceId);
  return {
    status: 200,
    body: {
      vcsConnectors: connectors.map((c) => ({
        name: `projects/${c.project}/vcsConnectors/${c.resourceId}`,
        title: c.resourceId,
        vcsProvider: `${PREFIX}${provider.resourceId}`,
        fullPath: c.fullPath,
        branch: c.branch,
      })),
    },
  };
}

/** SearchVCSProviderRepositories: every repository the stored token sees, as Bytebase lists them. */
async function search(ctx: RouteContext, req: Req, id: string): Promise<Reply> {
  jsonBody(req);
  authorize(ctx, req, "bb.vcsProviders.searchProjects", "SearchVCSProviderRepositories");
  const provider = find(ctx, id);
  try {
    const repositories = await fetchRepositoryList(ctx, provider.type, provider.url, provider.accessToken);
    return { status: 200, body: { repositories } };
  } catch (error) {
    throw new GrpcError(Code.Internal, `Failed to fetch external project list: ${(error as Error).message}`);
  }
}
