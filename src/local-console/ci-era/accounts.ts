// WorkloadIdentityService and ServiceAccountService (3.15 - 3.21): create under a project or the workspace, get,
// list, update by mask, soft delete, undelete. Follows backend/api/v1/workload_identity_service.go and
// service_account_service.go@3.21.1 (the same flow at 3.15.0 and 3.16.0, which skip the email check), with the
// routes of proto/v1/v1/{workload_identity,service_account}_service.proto@3.21.1.
import { newServiceKey } from "../auth";
import { Code, GrpcError } from "../errors";
import type { Route } from "../gateway";
import type { Reply, Req } from "../http";
import { jsonBody, type RouteContext } from "../routes/context";
import { authorize } from "./acl";
import { bodyMask } from "./mask";
import { EMAIL, toMessage, type Kind } from "./account-kinds";
import { decode } from "./protojson";
import { ciState, findProject, type CiAccountRecord } from "./state";

function toConfig(given: Record<string, unknown> | undefined) {
  if (!given) return undefined;
  return {
    providerType: (given.provider_type as number | undefined) ?? 0,
    issuerUrl: (given.issuer_url as string | undefined) ?? "",
    allowedAudiences: (given.allowed_audiences as string[] | undefined) ?? [],
    subjectPattern: (given.subject_pattern as string | undefined) ?? "",
  };
}

/** The body as the RPC's message, then the validate interceptor (buf.validate `title` max_len 200), first of all. */
function readBody(ctx: RouteContext, req: Req, k: Kind): Record<string, unknown> {
  const body = decode(ctx.profile, req.body, k.schema, jsonBody(req));
  if (typeof body.title === "string" && [...body.title].length > 200)
    throw new GrpcError(
      Code.InvalidArgument,
      `validation error:\n - ${k.field}.title: value length must be at most 200 characters [string.max_len]`,
    );
  return body;
}

/** validateWorkloadIdentityEmail / validateServiceAccountEmail (account_email_validation.go@3.21.1). */
function checkEmail(ctx: RouteContext, k: Kind, email: string): void {
  if (!ctx.profile.ciEra?.validatesEmails) return;
  const domain = email.slice(email.indexOf("@") + 1);
  const why = !EMAIL.test(email)
    ? "invalid email address"
    : domain !== k.suffix && !domain.endsWith(`.${k.suffix}`)
      ? `email must end with ${k.suffix}`
      : "";
  if (why)
    throw new GrpcError(Code.InvalidArgument, `invalid ${k.noun} email ${JSON.stringify(email)}: ${why}`);
}

/** The record of an email, NotFound as the service says it; `active` also refuses a deleted one. */
function find(ctx: RouteContext, k: Kind, email: string, active: boolean): CiAccountRecord {
  checkEmail(ctx, k, email);
  const found = ciState(ctx).accounts.find((a) => a.kind === k.kind && a.email === email);
  if (!found) throw new GrpcError(Code.NotFound, `${k.noun} ${JSON.stringify(email)} not found`);
  if (active && found.deleted)
    throw new GrpcError(Code.NotFound, `${k.noun} ${JSON.stringify(email)} has been deleted`);
  return found;
}

/** A service account's login (`POST /v1/auth/login` with its key) follows its record: gone while deleted. */
function syncLogin(ctx: RouteContext, r: CiAccountRecord & { key?: string }): void {
  if (r.kind !== "serviceAccount" || !r.key) return;
  if (r.deleted) ctx.store.data.accounts = ctx.store.data.accounts.filter((a) => a.email !== r.email);
  else ctx.store.upsertAccount(r.email, "service", "member", r.key);
}

const method = (k: Kind, verb: string, plural = false) =>
  `/bytebase.v1.${k.rpc}Service/${verb}${plural ? k.rpcPlural : k.rpc}`;

function create(ctx: RouteContext, req: Req, k: Kind, parent: string): Reply {
  const body = readBody(ctx, req, k);
  authorize(ctx, req, method(k, "Create"), `bb.${k.collection}.create`, parent);
  const [type, parentId] = parent.split("/") as [string, string];
  const project = type === "projects" ? parentId : "";
  const id =
    req.query.get(`${k.field}_id`) ?? req.query.get(`${k.rpc[0]!.toLowerCase()}${k.rpc.slice(1)}Id`) ?? "";
  if (id === "") throw new GrpcError(Code.InvalidArgument, `${k.field}_id is required`);
  const email = project ? `${id}@${project}.${k.suffix}` : `${id}@${k.suffix}`;
  checkEmail(ctx, k, email);
  const state = ciState(ctx);
  if (state.accounts.some((a) => a.kind === k.kind && a.email === email))
    throw new GrpcError(Code.AlreadyExists, `${k.noun} with email ${JSON.stringify(email)} already exists`);
  if (project) findProject(ctx, project, `project ${JSON.stringify(project)} not found`);
  const record: CiAccountRecord & { key?: string } = {
    kind: k.kind,
    email,
    title: (body.title as string | undefined) ?? "",
    project,
    deleted: false,
    ...(k.kind === "workloadIdentity"
      ? { config: toConfig(body.workload_identity_config as Record<string, unknown>) }
      : {}),
  };
  if (record.config === undefined) delete record.config;
  if (k.kind === "serviceAccount") record.key = newServiceKey();
  state.accounts.push(record);
  syncLogin(ctx, record);
  ctx.store.changed();
  return { status: 200, body: toMessage(k, record, record.key) };
}

function list(ctx: RouteContext, req: Req, k: Kind, parent: string): Reply {
  authorize(ctx, req, method(k, "List", true), `bb.${k.collection}.list`, parent);
  const [type, parentId] = parent.split("/") as [string, string];
  const project = type === "projects" ? parentId : "";
  const limit = Math.min(Number(req.query.get("page_size") ?? req.query.get("pageSize") ?? 0) || 10, 1000);
  const token = req.query.get("page_token") ?? req.query.get("pageToken") ?? "";
  let offset = 0;
  if (token) {
    const parsed = Number(Buffer.from(token, "base64url").toString("utf8"));
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new GrpcError(Code.InvalidArgument, "invalid page token");
    offset = parsed;
  }
  const showDeleted = (req.query.get("show_deleted") ?? req.query.get("showDeleted")) === "true";
  const all = ciState(ctx).accounts.filter(
    (a) => a.kind === k.kind && a.project === project && (showDeleted || !a.deleted),
  );
  const page = all.slice(offset, offset + limit);
  const more = all.length > offset + limit;
  const key = `${k.collection}`;
  return {
    status: 200,
    body: {
      ...(page.length ? { [key]: page.map((r) => toMessage(k, r)) } : {}),
      ...(more ? { nextPageToken: Buffer.from(String(offset + limit)).toString("base64url") } : {}),
    },
  };
}

function get(ctx: RouteContext, req: Req, k: Kind, email: string): Reply {
  authorize(ctx, req, method(k, "Get"), `bb.${k.collection}.get`);
  return { status: 200, body: toMessage(k, find(ctx, k, email, false)) };
}

/**
 * UpdateWorkloadIdentity / UpdateServiceAccount: only the exact mask paths `title` and `workload_identity_config`
 * (service accounts: `title`, `service_key` = rotate) do anything; every other path, the nested ones grpc-gateway
 * derives from a body included, is ignored without a word.
 */
function update(ctx: RouteContext, req: Req, k: Kind, email: string): Reply {
  const body = readBody(ctx, req, k);
  const mask = bodyMask(req, jsonBody(req), k.schema);
  authorize(ctx, req, method(k, "Update"), `bb.${k.collection}.update`);
  const record = find(ctx, k, email, true) as CiAccountRecord & { key?: string };
  let rotated: string | undefined;
  for (const path of mask) {
    if (path === "title") record.title = (body.title as string | undefined) ?? "";
    else if (path === "workload_identity_config" && k.kind === "workloadIdentity")
      record.config = toConfig((body.workload_identity_config as Record<string, unknown>) ?? {});
    else if (path === "service_key" && k.kind === "serviceAccount") record.key = rotated = newServiceKey();
  }
  syncLogin(ctx, record);
  ctx.store.changed();
  return { status: 200, body: toMessage(k, record, rotated) };
}

function remove(ctx: RouteContext, req: Req, k: Kind, email: string): Reply {
  authorize(ctx, req, method(k, "Delete"), `bb.${k.collection}.delete`);
  const record = find(ctx, k, email, true);
  record.deleted = true;
  syncLogin(ctx, record);
  ctx.store.changed();
  return { status: 200, body: {} };
}

function undelete(ctx: RouteContext, req: Req, k: Kind, email: string): Reply {
  authorize(ctx, req, method(k, "Undelete"), `bb.${k.collection}.undelete`);
  const record = find(ctx, k, email, false);
  if (!record.deleted)
    throw new GrpcError(Code.InvalidArgument, `${k.noun} ${JSON.stringify(email)} is already active`);
  record.deleted = false;
  syncLogin(ctx, record);
  ctx.store.changed();
  return { status: 200, body: toMessage(k, record) };
}

type R = Route<RouteContext>;
const SEGMENT = "([^/]+)";

/** The routes of one kind: `/v1/{parent=projects/*|workspaces/*}/<collection>` and `/v1/{name=<collection>/*}`. */
export function accountRoutes(k: Kind): R[] {
  const parent = new RegExp(`^/v1/(projects|workspaces)/${SEGMENT}/${k.collection}$`);
  const name = new RegExp(`^/v1/${k.collection}/${SEGMENT}$`);
  const verb = new RegExp(`^/v1/${k.collection}/${SEGMENT}:undelete$`);
  return [
    { method: "POST", pattern: parent, handle: (c, r, [t, p]) => create(c, r, k, `${t}/${p}`) },
    { method: "GET", pattern: parent, handle: (c, r, [t, p]) => list(c, r, k, `${t}/${p}`) },
    { method: "POST", pattern: verb, handle: (c, r, [e]) => undelete(c, r, k, e!) },
    { method: "GET", pattern: name, handle: (c, r, [e]) => get(c, r, k, e!) },
    { method: "PATCH", pattern: name, handle: (c, r, [e]) => update(c, r, k, e!) },
    { method: "DELETE", pattern: name, handle: (c, r, [e]) => remove(c, r, k, e!) },
  ];
}
