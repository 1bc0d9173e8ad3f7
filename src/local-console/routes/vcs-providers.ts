// The `vcsProviders` resource of Bytebase 2.15 - 3.4 (proto/v1/vcs_provider_service.proto@2.15.0, @3.4.1;
// backend/api/v1/vcs_provider_service.go@2.15.0): list, get, create (checking the token at the Git provider as
// Bytebase does), patch, delete, and the connectors that use a provider. In the route table of 2.15 (../versions.ts).
import { isGitProviderType } from "../../catalog";
import { Code, GrpcError } from "../errors";
import type { Reply, Req } from "../http";
import { Method } from "../acl";
import { updateMask, type Route } from "../gateway";
import { jsonBody, refuseUnknownKeys, stringField, type RouteContext } from "./context";
import { checkAccessTokenPermission, fetchRepositoryList } from "./vcs-token-check";
import { enumType } from "./external-version-controls";
import { toConnector } from "./vcs-connectors";
import { tokenEraRules } from "../versions";
import { findProvider, vcsState } from "./vcs-records";
import type { VcsProviderRecord } from "../types";

const PREFIX = "vcsProviders/";
/** backend/api/v1/common.go@2.15.0 resourceIDMatcher (the same at 3.4.1). */
const RESOURCE_ID = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** proto/v1/vcs_provider_service.proto@2.15.0 message VCSProvider, for grpc-gateway's body-built update mask. */
const MESSAGE = {
  fullName: "bytebase.v1.VCSProvider",
  fields: ["name", "title", "type", "url", "access_token"],
};

/** As convertVCSProvider emits it: name, title, type, url; the access token is INPUT_ONLY (emitted empty). */
const toResource = (p: VcsProviderRecord) => ({
  name: `${PREFIX}${p.resourceId}`,
  title: p.title,
  type: p.type,
  url: p.url,
  accessToken: "",
});

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
  refuseUnknownKeys(ctx, req, body, MESSAGE.fields);
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
  refuseUnknownKeys(ctx, req, body, MESSAGE.fields);
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
  const fkey = tokenEraRules(ctx.profile).providerInUseKey;
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
  refuseUnknownKeys(ctx, req, jsonBody(req), ["name"]); // body "*": SearchVCSProviderRepositoriesRequest
  ctx.auth.authorize(req, Method.searchVcsRepositories);
  const provider = find(ctx, id);
  try {
    const repositories = await fetchRepositoryList(
      ctx,
      provider.type,
      provider.url,
      provider.accessToken,
      true,
    );
    return { status: 200, body: { repositories } };
  } catch (error) {
    throw new GrpcError(Code.Internal, `Failed to fetch external project list: ${(error as Error).message}`);
  }
}
