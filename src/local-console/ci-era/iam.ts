// A project's IAM policy (3.15 - 3.21): `GET /v1/projects/{p}:getIamPolicy` and `POST ...:setIamPolicy`, which
// replaces the whole policy, compares the etag only when one is given and answers ABORTED on a mismatch. Follows
// backend/api/v1/project_service.go@3.21.1 GetIamPolicy / SetIamPolicy / validateIAMPolicy and
// project_service_converter.go@3.21.1; the same at 3.15.0 and 3.16.0 for what is served here.
import { Code, GrpcError } from "../errors";
import type { Route } from "../gateway";
import type { Reply, Req } from "../http";
import { jsonBody, type RouteContext } from "../routes/context";
import { authorize } from "./acl";
import { decode, type MessageSchema } from "./protojson";
import { ciState, findProject, type BindingRecord, type IamPolicyRecord } from "./state";

/** gRPC code ABORTED (HTTP 409 through grpc-gateway's HTTPStatusFromCode). */
const ABORTED = 10;

/** backend/store/predefined_roles.go@3.21.1 (custom roles need the Enterprise plan; this console has none). */
export const PREDEFINED_ROLES = [
  "workspaceAdmin",
  "workspaceDBA",
  "workspaceMember",
  "projectOwner",
  "projectDeveloper",
  "sqlEditorUser",
  "sqlEditorReadUser",
  "projectReleaser",
  "gitopsServiceAgent",
  "projectViewer",
].map((r) => `roles/${r}`);

const EXPR: MessageSchema = {
  fullName: "google.type.Expr",
  fields: { expression: "string", title: "string", description: "string", location: "string" },
};
const BINDING: MessageSchema = {
  fullName: "bytebase.v1.Binding",
  fields: { role: "string", members: "strings", condition: { message: EXPR }, parsed_expr: "object" },
};
const SET_REQUEST: MessageSchema = {
  fullName: "bytebase.v1.SetIamPolicyRequest",
  fields: {
    resource: "string",
    policy: {
      message: {
        fullName: "bytebase.v1.IamPolicy",
        fields: { bindings: { messages: BINDING }, etag: "string" },
      },
    },
    etag: "string",
  },
};

/** convertToStoreIamPolicyMember / convertToV1MemberInBinding: `user:` is stored `users/`, and so on. */
const MEMBER_PREFIXES: ReadonlyArray<[string, string]> = [
  ["serviceAccount:", "serviceAccounts/"],
  ["workloadIdentity:", "workloadIdentities/"],
  ["user:", "users/"],
  ["group:", "groups/"],
];

function toStoreMember(member: string): string {
  if (member === "allUsers") return member;
  const found = MEMBER_PREFIXES.find(([api]) => member.startsWith(api));
  if (!found)
    throw new GrpcError(
      Code.Internal,
      `failed to convert iam member with error: invalid_argument: unsupported member ${member}`,
    );
  return `${found[1]}${member.slice(found[0].length)}`;
}

const toApiMember = (stored: string) => {
  const found = MEMBER_PREFIXES.find(([, store]) => stored.startsWith(store));
  return found ? `${found[0]}${stored.slice(found[1].length)}` : stored;
};

/** convertToV1IamPolicy, marshaled without zero values: no bindings and no etag when the project has no policy. */
function toApiPolicy(policy: IamPolicyRecord | undefined) {
  const bindings = (policy?.bindings ?? [])
    .map((b) => ({ role: b.role, members: b.members.map(toApiMember), condition: b.condition }))
    .filter((b) => b.members.length);
  return {
    ...(bindings.length ? { bindings } : {}),
    ...(policy ? { etag: String(policy.updatedMs) } : {}),
  };
}

const identifier = (b: { role: string; condition: { expression?: string } }) =>
  `${b.role}|${b.condition.expression ?? ""}`;

function getIamPolicy(ctx: RouteContext, req: Req, project: string): Reply {
  authorize(
    ctx,
    req,
    "/bytebase.v1.ProjectService/GetIamPolicy",
    "bb.projects.getIamPolicy",
    `projects/${project}`,
  );
  findProject(ctx, project, `cannot found project ${project}`);
  return { status: 200, body: toApiPolicy(ciState(ctx).iam[project]) };
}

function setIamPolicy(ctx: RouteContext, req: Req, project: string): Reply {
  const body = decode(ctx.profile, req.body, SET_REQUEST, jsonBody(req), true);
  const resource = `projects/${project}`;
  authorize(ctx, req, "/bytebase.v1.ProjectService/SetIamPolicy", "bb.projects.setIamPolicy", resource);
  const found = findProject(ctx, project, `project ${JSON.stringify(resource)} not found`);
  if (found.deleted)
    throw new GrpcError(Code.NotFound, `project ${JSON.stringify(resource)} has been deleted`);
  const state = ciState(ctx);
  const old = state.iam[project];
  const etag = (body.etag as string | undefined) ?? "";
  if (etag !== "" && etag !== (old ? String(old.updatedMs) : ""))
    throw new GrpcError(
      ABORTED,
      "there is concurrent update to the project iam policy, please refresh and try again",
    );
  const policy = body.policy as { bindings?: Array<Record<string, unknown>> } | undefined;
  if (!policy) throw new GrpcError(Code.InvalidArgument, "IAM Policy is required");
  const given = (policy.bindings ?? []).map((b) => ({
    role: (b.role as string | undefined) ?? "",
    members: (b.members as string[] | undefined) ?? [],
    condition: (b.condition as BindingRecord["condition"] | undefined) ?? {},
  }));
  if (given.length === 0) throw new GrpcError(Code.InvalidArgument, "IAM Binding is empty");
  // validateIAMPolicy: only bindings new by role and condition, with members, are checked.
  const existing = new Set((old?.bindings ?? []).map(identifier));
  for (const b of given) {
    if (b.members.length === 0 || existing.has(identifier(b))) continue;
    if (b.role === "") throw new GrpcError(Code.InvalidArgument, "IAM Binding role is required");
    if (!PREDEFINED_ROLES.includes(b.role))
      throw new GrpcError(Code.InvalidArgument, `IAM Binding role ${b.role} does not exist`);
  }
  const bindings: BindingRecord[] = given
    .map((b) => ({
      role: b.role,
      members: [...new Set(b.members)].map(toStoreMember),
      condition: b.condition,
    }))
    .filter((b) => b.members.length);
  state.iam[project] = { bindings, updatedMs: ctx.nowMs() };
  ctx.store.changed();
  return { status: 200, body: toApiPolicy(state.iam[project]) };
}

type R = Route<RouteContext>;
/** proto/v1/v1/project_service.proto@3.21.1: `{resource=projects/*}:getIamPolicy` and `:setIamPolicy` (body "*"). */
export const PROJECT_IAM: readonly R[] = [
  {
    method: "GET",
    pattern: /^\/v1\/projects\/([^/]+):getIamPolicy$/,
    handle: (c, r, [p]) => getIamPolicy(c, r, p!),
  },
  {
    method: "POST",
    pattern: /^\/v1\/projects\/([^/]+):setIamPolicy$/,
    handle: (c, r, [p]) => setIamPolicy(c, r, p!),
  },
];
