// The `vcsProviders` resource of Bytebase 2.15 - 3.4 (proto/v1/vcs_provider_service.proto@2.15.0, @3.4.1;
// backend/api/v1/vcs_provider_service.go@2.15.0): list, get, create (checking the token at the Git provider as
// Bytebase does), patch, delete, and the connectors that use a provider. In the route table of 2.15 (../versions.ts).
import { isGitProviderType, type GitProviderType } from "../../catalog";
import { Code, GrpcError } from "../errors";
import type { Reply, Req } from "../http";
import { Method } from "../acl";
import { updateMask, type Route } from "../gateway";
import { jsonBody, stringField, type RouteContext } from "./context";
import { checkAccessTokenPermission, fetchRepositoryList } from "./vcs-token-check";
import { enumType } from "./external-version-controls";
import { toConnector } from "./vcs-connectors";

export interface VcsProviderRecord {
  resourceId: string;
  title: string;
  type: GitProviderType;
  url: string;
  /** "" after the 2.15 migration until a token is set (0003##vcs_token.sql@2.15.0). */
  accessToken: string;
}

/** A connector as stored (vcs_connector row and its payload, backend/store/vcs_connector.go@2.15.0): ./vcs-connectors.ts. */
export interface VcsConnectorRecord {
  /** vcs_connector.id (see nextConnectorUid), which DeleteVCSConnector@2.15.0 names when its provider is missing. */
  uid: number;
  project: string;
  resourceId: string;
  /** The provider's resource id (the `vcs_id` foreign key that refuses deleting a provider in use). */
  vcsProvider: string;
  fullPath: string;
  branch: string;
  title?: string;
  externalId?: string;
  webUrl?: string;
  baseDirectory?: string;
  databaseGroup?: string;
  /** The Git provider's hook id(s), ","-joined (3.4.1: one per Azure DevOps event). */
  webhookId?: string;
  webhookSecret?: string;
  creator?: string;
  updater?: string;
  createTime?: string;
  updateTime?: string;
}

const PREFIX = "vcsProviders/";
/** backend/api/v1/common.go@2.15.0 resourceIDMatcher (the same at 3.4.1). */
const RESOURCE_ID = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** proto/v1/vcs_provider_service.proto@2.15.0 message VCSProvider, for grpc-gateway's body-built update mask. */
const MESSAGE = {
  fullName: "bytebase.v1.VCSProvider",
  fields: ["name", "title", "type", "url", "access_token"],
};

export function vcsState(ctx: RouteContext): {
  providers: VcsProviderRecord[];
  connectors: VcsConnectorRecord[];
} {
  const data = ctx.store.data as { vcsProviders?: VcsProviderRecord[]; vcsConnectors?: VcsConnectorRecord[] };
  data.vcsProviders ??= [];
  data.vcsConnectors ??= [];
  // Connectors of a state file written before the stand-in kept their id get theirs when first seen.
  for (const c of data.vcsConnectors) c.uid ??= nextConnectorUid(data);
  return { providers: data.vcsProviders, connectors: data.vcsConnectors };
}

/**
 * The next vcs_connector.id: `id SERIAL` with `ALTER SEQUENCE vcs_connector_id_seq RESTART WITH 101`
 * (migration/prod/LATEST.sql@2.15.0, migration/LATEST.sql@3.4.1). 0013##vcs_connector.sql@2.15.0 renames
 * `repository` (its sequence restarted at 101 too, LATEST.sql@2.14.0) with its ids, so migrated links take theirs
 * from the same sequence.
 */
export function nextConnectorUid(data: object): number {
  const seq = data as { nextVcsConnectorUid?: number };
  seq.nextVcsConnectorUid ??= 101;
  return seq.nextVcsConnectorUid++;
}

/** As convertVCSProvider emits it: name, title, type, url; the access token is INPUT_ONLY (emitted empty). */
const toResource = (p: VcsProviderRecord) => ({
  name: `${PREFIX}${p.resourceId}`,
  title: p.title,
  type: p.type,
  url: p.url,
  accessToken: "",
});

/** The stored provider with that resource id (migrated ids such as `azure_devops` included). */
export function findProvider(ctx: RouteContext, id: string): VcsProviderRecord | undefined {
  return vcsState(ctx).providers.find((p) => p.resourceId === id);
}

/** getVCS: any id is looked up; missing: NotFound. */
function find(ctx: RouteContext, id: string): VcsProviderRecord {
  const found = findProvider(ctx, id);
  if (!found) throw new GrpcError(Code.NotFound, `vcs provider ${PREFIX}${id} not found`);
  return found;
}

/** proto/v1/vcs_provider_service.proto@2.15.0 (the same paths at 3.4.1): `{name=vcsProviders/*}` is one segment. */
const ID = "([^/]+)";
type R = Route<RouteContext>;
const at = (method: string, pattern: string, handle: R["handle"]): R => ({
  method,
  pattern: new RegExp(`^/v1/vcsProviders${pattern}$`),
  handle,
});
export const VCS_PROVIDERS: readonly R[] = [
  at("GET", "", (c, r) => list(c, r)),
  at("POST", "", (c, r) => create(c, r)),
  at("POST", `/${ID}:searchRepositories`, (c, r, [id]) => search(c, r, id!)),
  at("GET", `/${ID}/vcsConnectors`, (c, r, [id]) => connectorsOf(c, r, id!)),
  at("GET", `/${ID}`, (c, r, [id]) => get(c, r, id!)),
  at("PATCH", `/${ID}`, (c, r, [id]) => patch(c, r, id!)),
  at("DELETE", `/${ID}`, (c, r, [id]) => remove(c, r, id!)),
];

function get(ctx: RouteContext, req: Req, id: string): Reply {
  ctx.auth.authorize(req, Method.getVcsProvider);
  return { status: 200, body: toResource(find(ctx, id)) };
}

function list(ctx: RouteContext, req: Req): Reply {
  ctx.auth.authorize(req, Method.listVcsProviders);
  return { status: 200, body: { vcsProviders: vcsState(ctx).providers.map(toResource), nextPageToken: "" } };
}

async function create(ctx: RouteContext, req: Req): Promise<Reply> {
  const body = jsonBody(req);
  ctx.auth.authorize(req, Method.createVcsProvider);
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

async function patch(ctx: RouteContext, req: Req, id: string): Promise<Reply> {
  const body = jsonBody(req);
  enumType(body); // protojson decodes the body before anything else
  for (const field of ["name", "title", "url", "accessToken"]) stringField(body, field);
  const mask = updateMask(req, body, MESSAGE);
  ctx.auth.authorize(req, Method.updateVcsProvider);
  const provider = find(ctx, id);
  const update: Partial<VcsProviderRecord> = {};
  for (const path of mask) {
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
  ctx.auth.authorize(req, Method.deleteVcsProvider);
  const provider = find(ctx, id);
  const state = vcsState(ctx);
  // The foreign key of vcs_connector: column vcs_id at 2.15.0 (migration/prod/LATEST.sql), vcs at 3.4.1
  // (migration/LATEST.sql), so Postgres names it vcs_connector_vcs_id_fkey, then vcs_connector_vcs_fkey.
  const fkey = ctx.profile.version === "3.4" ? "vcs_connector_vcs_fkey" : "vcs_connector_vcs_id_fkey";
  if (state.connectors.some((c) => c.vcsProvider === provider.resourceId))
    throw new GrpcError(
      Code.Internal,
      `Failed to delete vcs provider: ERROR: update or delete on table "vcs" violates foreign key constraint "${fkey}" on table "vcs_connector" (SQLSTATE 23503)`,
    );
  state.providers.splice(state.providers.indexOf(provider), 1);
  ctx.store.changed();
  return { status: 200, body: {} };
}

/** ListVCSConnectorsInProvider: `{vcsConnectors: [...]}`. */
function connectorsOf(ctx: RouteContext, req: Req, id: string): Reply {
  ctx.auth.authorize(req, Method.listVcsConnectorsInProvider);
  const provider = find(ctx, id);
  const connectors = vcsState(ctx).connectors.filter((c) => c.vcsProvider === provider.resourceId);
  return {
    status: 200,
    body: { vcsConnectors: connectors.map((c) => toConnector(ctx, c)) },
  };
}

/** SearchVCSProviderRepositories: every repository the stored token sees, as Bytebase lists them. */
async function search(ctx: RouteContext, req: Req, id: string): Promise<Reply> {
  jsonBody(req);
  ctx.auth.authorize(req, Method.searchVcsRepositories);
  const provider = find(ctx, id);
  try {
    const repositories = await fetchRepositoryList(ctx, provider.type, provider.url, provider.accessToken);
    return { status: 200, body: { repositories } };
  } catch (error) {
    throw new GrpcError(Code.Internal, `Failed to fetch external project list: ${(error as Error).message}`);
  }
}
