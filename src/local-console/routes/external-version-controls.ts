// The `externalVersionControls` resource of Bytebase 2.5 - 2.14 (backend/api/v1/externalvs_service.go, identical at
// 2.5.0, 2.10.0, 2.13.0 and 2.14.0 but for nil checks): list, get, create, patch, delete, linked projects.
import { isGitProviderType } from "../../catalog";
import { Method } from "../acl";
import { Code, GrpcError } from "../errors";
import { updateMask } from "../gateway";
import type { Reply, Req } from "../http";
import { repositoryRow } from "../state-data";
import type { ProviderRecord } from "../types";
import { jsonBody, stringField, type RouteContext } from "./context";

const ENUM_NUMBERS = ["TYPE_UNSPECIFIED", "GITHUB", "GITLAB", "BITBUCKET", "AZURE_DEVOPS"];
/** proto/v1/externalvs_service.proto@2.14.0 `message ExternalVersionControl`. */
const MESSAGE = {
  fullName: "bytebase.v1.ExternalVersionControl",
  fields: ["name", "title", "type", "url", "api_url", "application_id", "secret"],
};

/**
 * The API URL as Bytebase stores it at create: each VCS plugin's APIURL applied to the URL *as given* (not trimmed):
 * backend/plugin/vcs/github/github.go, gitlab/gitlab.go, bitbucket/bitbucket.go, azure/azure.go@2.14.0.
 */
function bytebaseApiUrl(type: string, url: string): string {
  if (type === "GITHUB") return url === "https://github.com" ? "https://api.github.com" : `${url}/api/v3`;
  if (type === "GITLAB") return `${url}/api/v4`;
  if (type === "BITBUCKET")
    return url === "https://bitbucket.org" ? "https://api.bitbucket.org/2.0" : `${url}/2.0`;
  return url;
}

/**
 * The `vcs` table's CHECK constraints (backend/migrator/migration/prod/LATEST.sql@2.14.0, same at 2.5.0): both URLs
 * start with http(s):// and have no trailing "/". Postgres checks them in name order (api_url first); pgx formats
 * the error as `ERROR: <message> (SQLSTATE <code>)`.
 */
function violatedCheck(instanceUrl: string, apiUrl: string): string | undefined {
  const ok = (u: string) => (u.startsWith("http://") || u.startsWith("https://")) && !u.endsWith("/");
  if (!ok(apiUrl)) return "vcs_api_url_check";
  if (!ok(instanceUrl)) return "vcs_instance_url_check";
  return undefined;
}

/** The resource as grpc-gateway emits it: every field present, the secret never returned. */
function toResource(p: ProviderRecord) {
  return {
    name: `externalVersionControls/${p.id}`,
    title: p.title,
    type: p.type,
    url: p.url,
    apiUrl: p.apiUrl ?? bytebaseApiUrl(p.type, p.url),
    applicationId: p.applicationId,
    secret: "",
  };
}

/** common.GetUIDFromName (backend/common/resource_name.go@2.14.0): 400 `invalid ID "x"` when not an integer. */
function parseId(id: string): string {
  if (!/^[+-]?\d+$/.test(id)) throw new GrpcError(Code.InvalidArgument, `invalid ID "${id}"`);
  return String(Number(id));
}

export function findProvider(ctx: RouteContext, rawId: string): ProviderRecord {
  const provider = ctx.store.provider(parseId(rawId));
  // getVCS formats a nil error here (externalvs_service.go@2.14.0), hence the odd "<nil>".
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

/** No ORDER BY (backend/store/vcs.go@2.14.0): Postgres's heap order, where an updated row moves to the end. */
export function list(ctx: RouteContext, req: Req): Reply {
  ctx.auth.authorize(req, Method.listEvc);
  const providers = ctx.store.data.providers;
  return { status: 200, body: { externalVersionControls: providers.map(toResource), nextPageToken: "" } };
}

export function get(ctx: RouteContext, req: Req, id: string): Reply {
  ctx.auth.authorize(req, Method.getEvc);
  return { status: 200, body: toResource(findProvider(ctx, id)) };
}

export function create(ctx: RouteContext, req: Req): Reply {
  const body = jsonBody(req);
  const type = enumType(body);
  ctx.auth.authorize(req, Method.createEvc);
  const title = stringField(body, "title") ?? "";
  const url = stringField(body, "url") ?? "";
  const applicationId = stringField(body, "applicationId") ?? "";
  const secret = stringField(body, "secret") ?? "";
  // checkAndConvertToStoreVersionControl, in this order.
  const empty = (what: string) => new GrpcError(Code.InvalidArgument, `Empty ExternalVersionControl.${what}`);
  if (title === "") throw empty("Title");
  if (type === "TYPE_UNSPECIFIED") throw empty("Type");
  if (url === "") throw empty("Url");
  if (applicationId === "") throw empty("ApplicationId");
  if (secret === "") throw empty("Secret");
  const instanceUrl = url.replace(/\/+$/, ""); // strings.TrimRight(url, "/")
  const apiUrl = bytebaseApiUrl(type, url);
  const check = violatedCheck(instanceUrl, apiUrl);
  if (check)
    throw new GrpcError(
      Code.Internal,
      `Failed to create external version control: ERROR: new row for relation "vcs" violates check constraint "${check}" (SQLSTATE 23514)`,
    );
  const record: ProviderRecord = {
    id: String(ctx.store.data.nextProviderId++),
    title,
    type,
    url: instanceUrl,
    apiUrl,
    applicationId,
    secret,
  };
  ctx.store.data.providers.push(record);
  ctx.store.changed();
  return { status: 200, body: toResource(record) };
}

/** UpdateExternalVersionControl honours exactly `title`, `application_id` and `secret`; other paths are ignored. */
export function patch(ctx: RouteContext, req: Req, id: string): Reply {
  const body = jsonBody(req);
  enumType(body); // protojson decodes the body before anything else
  for (const field of ["name", "title", "url", "apiUrl", "applicationId", "secret"]) stringField(body, field);
  const mask = updateMask(req, body, MESSAGE);
  ctx.auth.authorize(req, Method.updateEvc);
  const provider = findProvider(ctx, id);
  const update: Partial<Pick<ProviderRecord, "title" | "applicationId" | "secret">> = {};
  const fields = { title: "title", application_id: "applicationId", secret: "secret" } as const;
  for (const path of mask) {
    if (!Object.hasOwn(fields, path)) continue;
    const field = fields[path as keyof typeof fields];
    const value = stringField(body, field) ?? "";
    if (value === "") throw new GrpcError(Code.InvalidArgument, `${path} should not be empty`);
    update[field] = value;
  }
  Object.assign(provider, update);
  // An UPDATE writes a new row version; without ORDER BY a later list tends to return it last.
  const rows = ctx.store.data.providers;
  rows.push(...rows.splice(rows.indexOf(provider), 1));
  ctx.store.changed();
  return { status: 200, body: toResource(provider) };
}

export function remove(ctx: RouteContext, req: Req, id: string): Reply {
  ctx.auth.authorize(req, Method.deleteEvc);
  const provider = findProvider(ctx, id);
  // repository.vcs_id REFERENCES vcs (id) (LATEST.sql@2.14.0): Postgres refuses, pgx formats, the service wraps.
  if (ctx.store.data.links.some((l) => l.providerId === provider.id))
    throw new GrpcError(
      Code.Internal,
      'Failed to delete external version control: ERROR: update or delete on table "vcs" violates foreign key constraint "repository_vcs_id_fkey" on table "repository" (SQLSTATE 23503)',
    );
  ctx.store.data.providers = ctx.store.data.providers.filter((p) => p !== provider);
  ctx.store.changed();
  return { status: 200, body: {} };
}

/**
 * `POST {name}:searchProjects`: the repositories the access token sees at the Git provider; the local console knows
 * none. Needs the external URL (FailedPrecondition otherwise), as SearchExternalVersionControlProjects does.
 */
export function searchProjects(ctx: RouteContext, req: Req, id: string): Reply {
  jsonBody(req);
  ctx.auth.authorize(req, Method.searchProjects);
  findProvider(ctx, id);
  if (!ctx.store.data.externalUrl) throw new GrpcError(Code.FailedPrecondition, "external url is required");
  return { status: 200, body: { projects: [] } };
}

/**
 * `GET {name}/projects` (ListProjectGitOpsInfo, externalvs_service.go@2.14.0): the repositories linked to the id,
 * with no check that the provider exists (an unknown id answers an empty list). Each item is
 * convertToProjectGitOpsInfo (project_service.go@2.14.0): its `title` is the *repository's* title.
 */
export function linkedProjects(ctx: RouteContext, req: Req, id: string): Reply {
  ctx.auth.authorize(req, Method.listProjectGitOpsInfo);
  const uid = parseId(id);
  const links = ctx.store.data.links.filter((l) => l.providerId === uid);
  const provider = ctx.store.provider(uid);
  return {
    status: 200,
    body: {
      projectGitopsInfo: links.map((l) => {
        const row = repositoryRow(l, provider?.url ?? "https://git.example.com");
        return {
          name: `projects/${l.projectId}/gitOpsInfo`,
          vcsUid: uid,
          title: l.repositoryTitle ?? l.projectId,
          fullPath: row.fullPath,
          webUrl: row.webUrl,
          branchFilter: row.branch,
          baseDirectory: row.baseDirectory,
          filePathTemplate: "{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql",
          schemaPathTemplate: "{{ENV_ID}}/.{{DB_NAME}}##LATEST.sql",
          sheetPathTemplate: "script/{{ENV_ID}}##{{DB_NAME}}##{{NAME}}.sql",
          enableSqlReviewCi: false,
          webhookEndpointId: `${uid}-${l.projectId}`,
          externalId: row.externalId,
        };
      }),
    },
  };
}
