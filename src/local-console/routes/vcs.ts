// The `externalVersionControls` resource: list, get, create, patch (update mask rules), delete, linked projects.
import { isGitProviderType, specFor } from "../../catalog";
import { Code, GrpcError } from "../errors";
import type { Reply, Req } from "../http";
import type { ProviderRecord } from "../types";
import { camelToSnake, jsonBody, stringField, type RouteContext } from "./context";

const SERVICE = "/bytebase.v1.ExternalVersionControlService";
const ENUM_NUMBERS = ["TYPE_UNSPECIFIED", "GITHUB", "GITLAB", "BITBUCKET", "AZURE_DEVOPS"];

/** The resource as grpc-gateway emits it: every field present, the secret never returned. */
function toResource(p: ProviderRecord) {
  const apiUrl = isGitProviderType(p.type) ? specFor(p.type).apiUrl(p.url) : p.url;
  return {
    name: `externalVersionControls/${p.id}`,
    title: p.title,
    type: p.type,
    url: p.url,
    apiUrl,
    applicationId: p.applicationId,
    secret: "",
  };
}

/** The id in `externalVersionControls/{id}`: 400 `invalid ID "x"` when not an integer. */
function parseId(id: string): string {
  if (!/^-?\d+$/.test(id)) throw new GrpcError(Code.InvalidArgument, `invalid ID "${id}"`);
  return String(Number(id));
}

export function findProvider(ctx: RouteContext, rawId: string): ProviderRecord {
  const provider = ctx.store.provider(parseId(rawId));
  // Bytebase formats a nil error here, hence the odd "<nil>".
  if (!provider) throw new GrpcError(Code.NotFound, "External version control not found: <nil>");
  return provider;
}

export function enumType(body: Record<string, unknown>): string {
  const value = body.type;
  if (value === undefined || value === null) return "TYPE_UNSPECIFIED";
  if (typeof value === "number" && ENUM_NUMBERS[value]) return ENUM_NUMBERS[value]!;
  if (typeof value === "string" && (value === "TYPE_UNSPECIFIED" || isGitProviderType(value))) return value;
  throw new GrpcError(Code.InvalidArgument, `proto: invalid value for enum type: ${JSON.stringify(value)}`);
}

export function list(ctx: RouteContext, req: Req): Reply {
  ctx.auth.authorize(req, "bb.externalVersionControls.list", `${SERVICE}/ListExternalVersionControls`);
  const providers = [...ctx.store.data.providers].sort((a, b) => Number(a.id) - Number(b.id));
  return { status: 200, body: { externalVersionControls: providers.map(toResource), nextPageToken: "" } };
}

export function get(ctx: RouteContext, req: Req, id: string): Reply {
  ctx.auth.authorize(req, "bb.externalVersionControls.get", `${SERVICE}/GetExternalVersionControl`);
  return { status: 200, body: toResource(findProvider(ctx, id)) };
}

export function create(ctx: RouteContext, req: Req): Reply {
  const body = jsonBody(req);
  const type = enumType(body);
  ctx.auth.authorize(req, "bb.externalVersionControls.create", `${SERVICE}/CreateExternalVersionControl`);
  const title = stringField(body, "title") ?? "";
  const url = stringField(body, "url") ?? "";
  const applicationId = stringField(body, "applicationId") ?? "";
  const secret = stringField(body, "secret") ?? "";
  const empty = (what: string) => new GrpcError(Code.InvalidArgument, `Empty ExternalVersionControl.${what}`);
  if (title === "") throw empty("Title");
  if (type === "TYPE_UNSPECIFIED") throw empty("Type");
  if (url === "") throw empty("Url");
  if (applicationId === "") throw empty("ApplicationId");
  if (secret === "") throw empty("Secret");
  const instanceUrl = url.replace(/\/+$/, "");
  if (!/^https?:\/\//.test(instanceUrl))
    throw new GrpcError(
      Code.Internal,
      'Failed to create external version control: pq: new row for relation "vcs" violates check constraint "vcs_instance_url_check"',
    );
  const record: ProviderRecord = {
    id: String(ctx.store.data.nextProviderId++),
    title,
    type,
    url: instanceUrl,
    applicationId,
    secret,
  };
  ctx.store.data.providers.push(record);
  ctx.store.changed();
  return { status: 200, body: toResource(record) };
}

/** The update mask: the query's `update_mask` (or `updateMask`), else the body's JSON keys; paths in snake_case. */
function maskPaths(req: Req, body: Record<string, unknown>): string[] {
  const given = [...req.query.getAll("update_mask"), ...req.query.getAll("updateMask")];
  const raw = given.length > 0 ? given.flatMap((v) => v.split(",")) : Object.keys(body);
  return raw
    .map((p) => camelToSnake(p.trim()).replace(/^external_version_control\./, ""))
    .filter((p) => p !== "");
}

export function patch(ctx: RouteContext, req: Req, id: string): Reply {
  const body = jsonBody(req);
  ctx.auth.authorize(req, "bb.externalVersionControls.update", `${SERVICE}/UpdateExternalVersionControl`);
  const provider = findProvider(ctx, id);
  const update: Partial<Pick<ProviderRecord, "title" | "applicationId" | "secret">> = {};
  const fields = { title: "title", application_id: "applicationId", secret: "secret" } as const;
  for (const path of maskPaths(req, body)) {
    if (!(path in fields)) continue; // other paths (type, url, name, ...) are silently ignored
    const field = fields[path as keyof typeof fields];
    const value = stringField(body, field) ?? "";
    if (value === "") throw new GrpcError(Code.InvalidArgument, `${path} should not be empty`);
    update[field] = value;
  }
  Object.assign(provider, update);
  ctx.store.changed();
  return { status: 200, body: toResource(provider) };
}

export function remove(ctx: RouteContext, req: Req, id: string): Reply {
  ctx.auth.authorize(req, "bb.externalVersionControls.delete", `${SERVICE}/DeleteExternalVersionControl`);
  const provider = findProvider(ctx, id);
  if (ctx.store.data.links.some((l) => l.providerId === provider.id))
    throw new GrpcError(
      Code.Internal,
      'Failed to delete external version control: pq: update or delete on table "vcs" violates foreign key constraint "repository_vcs_id_fkey" on table "repository"',
    );
  ctx.store.data.providers = ctx.store.data.providers.filter((p) => p !== provider);
  ctx.store.changed();
  return { status: 200, body: {} };
}

/** `POST {name}:searchProjects`: the repositories the access token sees; the local console knows none. */
export function searchProjects(ctx: RouteContext, req: Req, id: string): Reply {
  jsonBody(req);
  ctx.auth.authorize(
    req,
    "bb.externalVersionControls.get",
    `${SERVICE}/SearchExternalVersionControlProjects`,
  );
  findProvider(ctx, id);
  return { status: 200, body: { projects: [] } };
}

/** `GET {name}/projects`: the Bytebase projects linked to the provider (ListProjectGitOpsInfo). */
export function linkedProjects(ctx: RouteContext, req: Req, id: string): Reply {
  ctx.auth.authorize(req, "bb.externalVersionControls.get", `${SERVICE}/ListProjectGitOpsInfo`);
  const provider = findProvider(ctx, id);
  const links = ctx.store.data.links.filter((l) => l.providerId === provider.id);
  return {
    status: 200,
    body: {
      projectGitopsInfo: links.map((l) => ({
        name: `projects/${l.projectId}/gitOpsInfo`,
        vcsUid: provider.id,
        title: l.title,
        fullPath: `bytebase/${l.projectId}`,
        webUrl: `${provider.url}/bytebase/${l.projectId}`,
        branchFilter: "main",
        baseDirectory: "bytebase",
      })),
    },
  };
}
