// The `vcsConnectors` of Bytebase 2.15 - 3.4 (proto/v1/vcs_connector_service.proto@2.15.0, @3.4.1;
// backend/api/v1/vcs_connector_service.go@2.15.0, @3.4.1): create (the external URL, the project, the id, the
// provider, the branch at the Git provider, then a webhook there), get, list, patch (branch, base_directory,
// database_group), delete (the webhook removed, fail-open). The projects they live in (every console has `default`).
import { randomBytes } from "node:crypto";
import { Code, GrpcError } from "../errors";
import type { Reply, Req } from "../http";
import { Method } from "../acl";
import { updateMask, type Route } from "../gateway";
import { jsonBody, refuseUnknownKeys, stringField, type RouteContext } from "./context";
import { createWebhook, deleteWebhook, getBranch, GitNotFound, webhookBodies } from "./vcs-git";
import { nextConnectorUid } from "../state-data";
import type { VcsConnectorRecord, VcsProviderRecord } from "../types";
import { tokenEraRules } from "../versions";
import { findProvider, vcsState } from "./vcs-records";

export interface ProjectRecord {
  resourceId: string;
  title: string;
  /** Bytebase archives projects (row_status); GetProjectV2 still finds them. */
  deleted: boolean;
}

/** backend/migrator/migration/prod/LATEST.sql@2.15.0 (LATEST.sql@3.4.1): project 1 `Default`, resource id `default`. */
export function projects(ctx: RouteContext): ProjectRecord[] {
  const data = ctx.store.data as { projects?: ProjectRecord[] };
  data.projects ??= [{ resourceId: "default", title: "Default", deleted: false }];
  return data.projects;
}

/** backend/api/v1/common.go@2.15.0 setupExternalURLError. */
const SETUP_EXTERNAL_URL =
  "external URL isn't setup yet, see https://www.bytebase.com/docs/get-started/install/external-url";
/** proto/v1/vcs_connector_service.proto@2.15.0 message VCSConnector, for grpc-gateway's body-built update mask. */
const MESSAGE = {
  fullName: "bytebase.v1.VCSConnector",
  fields: [
    "name",
    "title",
    "creator",
    "updater",
    "create_time",
    "update_time",
    "vcs_provider",
    "external_id",
    "base_directory",
    "branch",
    "full_path",
    "web_url",
    "database_group",
  ],
};

/** The message's fields at the console's release: 3.4.1 dropped the four audit fields from it. */
const AUDIT = ["creator", "updater", "create_time", "update_time"];
const fieldsAt = (ctx: RouteContext) =>
  tokenEraRules(ctx.profile).connectorAuditFields
    ? MESSAGE.fields
    : MESSAGE.fields.filter((f) => !AUDIT.includes(f));

/** convertStoreVCSConnector; 3.4.1 dropped creator, updater, create_time and update_time from the message. */
export function toConnector(ctx: RouteContext, c: VcsConnectorRecord) {
  return {
    name: `projects/${c.project}/vcsConnectors/${c.resourceId}`,
    title: c.title ?? "",
    ...(!tokenEraRules(ctx.profile).connectorAuditFields
      ? {}
      : {
          creator: `users/${c.creator ?? "admin@service.bytebase.com"}`,
          updater: `users/${c.updater ?? c.creator ?? "admin@service.bytebase.com"}`,
          createTime: c.createTime ?? new Date(0).toISOString(),
          updateTime: c.updateTime ?? c.createTime ?? new Date(0).toISOString(),
        }),
    vcsProvider: `vcsProviders/${c.vcsProvider}`,
    externalId: c.externalId ?? "",
    baseDirectory: c.baseDirectory ?? "",
    branch: c.branch,
    fullPath: c.fullPath,
    webUrl: c.webUrl ?? "",
    databaseGroup: c.databaseGroup ?? "",
  };
}

/** common.GetNameParentTokens@2.15.0: `projects/<p>` (or with `/vcsConnectors/<c>`), else InvalidArgument. */
function tokens(name: string, prefixes: string[]): string[] {
  const parts = name.split("/");
  if (parts.length !== 2 * prefixes.length)
    throw new GrpcError(Code.InvalidArgument, `invalid request "${name}"`);
  return prefixes.map((prefix, i) => {
    if (`${parts[2 * i]}/` !== prefix)
      throw new GrpcError(Code.InvalidArgument, `invalid prefix "${prefix}" in request "${name}"`);
    return parts[2 * i + 1]!;
  });
}

const ID = "([^/]+)";
type R = Route<RouteContext>;
const at = (method: string, pattern: string, handle: R["handle"]): R => ({
  method,
  pattern: new RegExp(`^/v1/projects/${ID}/vcsConnectors${pattern}$`),
  handle,
});
/** proto/v1/vcs_connector_service.proto@2.15.0 (the same paths at 3.4.1). */
export const VCS_CONNECTORS: readonly R[] = [
  at("POST", "", (c, r, [p]) => create(c, r, p!)),
  at("GET", "", (c, r, [p]) => list(c, r, p!)),
  at("GET", `/${ID}`, (c, r, [p, id]) => get(c, r, p!, id!)),
  at("PATCH", `/${ID}`, (c, r, [p, id]) => patch(c, r, p!, id!)),
  at("DELETE", `/${ID}`, (c, r, [p, id]) => remove(c, r, p!, id!)),
];

/** GetProjectV2 then `project %q not found` (Get, List, Update, Delete). */
function project(ctx: RouteContext, id: string): ProjectRecord {
  const found = projects(ctx).find((p) => p.resourceId === id);
  if (!found) throw new GrpcError(Code.NotFound, `project "${id}" not found`);
  return found;
}

function connector(ctx: RouteContext, projectId: string, id: string): VcsConnectorRecord {
  project(ctx, projectId);
  const found = vcsState(ctx).connectors.find((c) => c.project === projectId && c.resourceId === id);
  if (!found) throw new GrpcError(Code.NotFound, `vcs connector "${id}" not found`);
  return found;
}

/** checkBranchExistence (vcs_connector_service.go@2.15.0). */
async function checkBranch(ctx: RouteContext, p: VcsProviderRecord, externalId: string, branch: string) {
  if (branch === "") throw new GrpcError(Code.InvalidArgument, "branch name is required");
  try {
    await getBranch(ctx, p, externalId, branch);
  } catch (error) {
    if (error instanceof GitNotFound)
      throw new GrpcError(Code.NotFound, `branch ${branch} not found in repository ${externalId}`);
    throw new GrpcError(Code.Internal, `failed to check branch: ${(error as Error).message}`);
  }
}

/**
 * The base directory as stored, per release (TokenEraRules.baseDirectory): vcs_connector_service.go@2.15.0 gives Azure
 * DevOps a leading "/" and trims the others; @2.16.0 refuses a value without a leading "/" (so the root is "/");
 * @2.19.0 (#12319) also refuses a trailing "/" on create (the root included), not on update.
 */
function baseDirectory(ctx: RouteContext, p: VcsProviderRecord, given: string, creating: boolean): string {
  const rule = tokenEraRules(ctx.profile).baseDirectory;
  if (rule === "normalize") {
    if (p.type === "AZURE_DEVOPS") return given.startsWith("/") ? given : `/${given}`;
    return given.replace(/^\/+|\/+$/g, "");
  }
  if (!given.startsWith("/"))
    throw new GrpcError(Code.InvalidArgument, 'base directory should start with "/"');
  if (rule === "leading-no-trailing" && creating && given.endsWith("/"))
    throw new GrpcError(Code.InvalidArgument, 'base directory should not end with "/"');
  return given;
}

/** The VCSConnector message's string fields (proto/v1/vcs_connector_service.proto@2.15.0), besides `name`. */
const FIELDS = [
  "title",
  "vcsProvider",
  "externalId",
  "baseDirectory",
  "branch",
  "fullPath",
  "webUrl",
  "databaseGroup",
] as const;

async function create(ctx: RouteContext, req: Req, projectId: string): Promise<Reply> {
  const empty = !req.body.trim();
  const body = jsonBody(req);
  refuseUnknownKeys(ctx, req, body, fieldsAt(ctx));
  for (const f of FIELDS) stringField(body, f);
  const account = ctx.auth.authorize(req, Method.createVcsConnector, [projectId]);
  // grpc-gateway leaves vcs_connector nil when the body is empty.
  if (empty) throw new GrpcError(Code.InvalidArgument, "vcs connector must be set");
  if (!ctx.store.data.externalUrl) throw new GrpcError(Code.FailedPrecondition, SETUP_EXTERNAL_URL);
  const found = projects(ctx).find((p) => p.resourceId === projectId);
  if (!found) throw new GrpcError(Code.NotFound, `project with resource id "${projectId}" not found`);
  if (found.deleted)
    throw new GrpcError(Code.NotFound, `project with resource id "${projectId}" had deleted`);
  const id = req.query.get("vcsConnectorId") ?? req.query.get("vcs_connector_id") ?? "";
  const state = vcsState(ctx);
  if (state.connectors.some((c) => c.project === projectId && c.resourceId === id))
    throw new GrpcError(Code.AlreadyExists, `vcs connector "${id}" already exists`);
  const [providerId] = tokens(stringField(body, "vcsProvider") ?? "", ["vcsProviders/"]);
  const provider = findProvider(ctx, providerId!);
  if (!provider) throw new GrpcError(Code.NotFound, `vcs ${providerId} not found`);
  const externalId = stringField(body, "externalId") ?? "";
  const branch = stringField(body, "branch") ?? "";
  await checkBranch(ctx, provider, externalId, branch);
  const base = baseDirectory(ctx, provider, stringField(body, "baseDirectory") ?? "", true);
  const secret = randomBytes(8).toString("hex");
  // The hook's endpoint: the gitopsWebhookUrl setting, else the external URL (vcs_connector_service.go@2.15.0, @3.4.1).
  const hookUrl = `${ctx.store.data.gitopsWebhookUrl || ctx.store.data.externalUrl}/hook/workspaces/${ctx.store.data.workspaceId}/projects/${projectId}/vcsConnectors/${id}`;
  const hookIds: string[] = [];
  try {
    for (const hook of webhookBodies(provider.type, tokenEraRules(ctx.profile), hookUrl, secret, externalId))
      hookIds.push(
        await createWebhook(ctx, provider, externalId, hook).catch((e: Error) => {
          throw new Error(`failed to create webhook: ${e.message}`);
        }),
      );
  } catch (error) {
    throw new GrpcError(
      Code.Internal,
      `failed to create webhook for project ${projectId} with error: ${(error as Error).message}`,
    );
  }
  const now = new Date(ctx.nowMs()).toISOString();
  const record: VcsConnectorRecord = {
    uid: nextConnectorUid(ctx.store.data),
    project: projectId,
    resourceId: id,
    vcsProvider: provider.resourceId,
    title: stringField(body, "title") ?? "",
    fullPath: stringField(body, "fullPath") ?? "",
    webUrl: stringField(body, "webUrl") ?? "",
    branch,
    baseDirectory: base,
    externalId,
    databaseGroup: stringField(body, "databaseGroup") ?? "",
    webhookId: hookIds.join(","),
    webhookSecret: secret,
    creator: account.email,
    createTime: now,
    updateTime: now,
  };
  state.connectors.push(record);
  ctx.store.changed();
  return { status: 200, body: toConnector(ctx, record) };
}

function get(ctx: RouteContext, req: Req, projectId: string, id: string): Reply {
  ctx.auth.authorize(req, Method.getVcsConnector, [projectId]);
  return { status: 200, body: toConnector(ctx, connector(ctx, projectId, id)) };
}

function list(ctx: RouteContext, req: Req, projectId: string): Reply {
  ctx.auth.authorize(req, Method.listVcsConnectors, [projectId]);
  project(ctx, projectId);
  const mine = vcsState(ctx).connectors.filter((c) => c.project === projectId);
  return { status: 200, body: { vcsConnectors: mine.map((c) => toConnector(ctx, c)), nextPageToken: "" } };
}

async function patch(ctx: RouteContext, req: Req, projectId: string, id: string): Promise<Reply> {
  const body = jsonBody(req);
  refuseUnknownKeys(ctx, req, body, fieldsAt(ctx));
  for (const f of ["name", ...FIELDS]) stringField(body, f);
  const mask = updateMask(req, body, MESSAGE);
  const account = ctx.auth.authorize(req, Method.updateVcsConnector, [projectId]);
  const found = connector(ctx, projectId, id);
  const provider = findProvider(ctx, found.vcsProvider);
  if (!provider) throw new GrpcError(Code.NotFound, `vcs provider ${found.vcsProvider} not found`);
  const update: Partial<VcsConnectorRecord> = {};
  for (const path of mask) {
    if (path === "branch") update.branch = stringField(body, "branch") ?? "";
    else if (path === "base_directory")
      update.baseDirectory = baseDirectory(ctx, provider, stringField(body, "baseDirectory") ?? "", false);
    else if (path === "database_group") update.databaseGroup = stringField(body, "databaseGroup") ?? "";
  }
  if (update.branch !== undefined) await checkBranch(ctx, provider, found.externalId ?? "", update.branch);
  Object.assign(found, update, { updater: account.email, updateTime: new Date(ctx.nowMs()).toISOString() });
  ctx.store.changed();
  return { status: 200, body: toConnector(ctx, found) };
}

async function remove(ctx: RouteContext, req: Req, projectId: string, id: string): Promise<Reply> {
  ctx.auth.authorize(req, Method.deleteVcsConnector, [projectId]);
  const found = connector(ctx, projectId, id);
  const provider = findProvider(ctx, found.vcsProvider);
  const rules = tokenEraRules(ctx.profile);
  // Unreachable while vcs_connector's foreign key holds. DeleteVCSConnector (vcs_connector_service.go@2.15.0) names
  // the connector's own id there, `"vcs provider %d not found", vcsConnector.UID`; @3.4.1 the provider's resource id.
  if (!provider)
    throw new GrpcError(
      Code.NotFound,
      `vcs provider ${rules.missingProviderNames === "provider-id" ? found.vcsProvider : found.uid} not found`,
    );
  const state = vcsState(ctx);
  state.connectors.splice(state.connectors.indexOf(found), 1);
  ctx.store.changed();
  // Delete the webhook(s), and fail-open (3.4.1: the ids joined by ",").
  const ids = rules.webhookIdsJoined ? (found.webhookId ?? "").split(",") : [found.webhookId ?? ""];
  for (const hookId of ids) if (hookId) await deleteWebhook(ctx, provider, found.externalId ?? "", hookId);
  return { status: 200, body: {} };
}
