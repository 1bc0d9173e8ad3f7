// Who may call the CI-era RPCs (3.15 - 3.21): the permissions of backend/store/predefined_roles.go@3.21.1 for the
// console's workspace roles, and backend/api/v1/acl.go's refusals (workspace isolation from 3.17).
import { Code, GrpcError } from "../errors";
import type { Req } from "../http";
import type { RouteContext } from "../routes/context";
import { projects } from "../routes/vcs-connectors";
import type { Account } from "../state-data";
import type { Role } from "../types";

const READ = ["get", "list"];
const ALL = ["create", "get", "list", "update", "delete", "undelete"];
const grant = (resource: string, verbs: string[]) => verbs.map((v) => `bb.${resource}.${v}`);

/** predefined_roles.go@3.21.1 (the same for these permissions at 3.15.0 and 3.16.0), limited to the RPCs served. */
const PERMISSIONS: Record<Role, ReadonlySet<string>> = {
  admin: new Set([
    ...grant("workloadIdentities", ALL),
    ...grant("serviceAccounts", ALL),
    "bb.projects.getIamPolicy",
    "bb.projects.setIamPolicy",
  ]),
  dba: new Set([
    ...grant("workloadIdentities", READ),
    ...grant("serviceAccounts", READ),
    "bb.projects.getIamPolicy",
    "bb.projects.setIamPolicy",
  ]),
  member: new Set([...grant("workloadIdentities", READ), ...grant("serviceAccounts", READ)]),
};

/**
 * The caller, if it may call `method` (full gRPC name) needing `permission` on `resource` (`projects/<p>` or
 * `workspaces/<w>`): 401 without a valid token; from 3.17 (acl.go@3.17.0 - @3.21.1) a workspace other than the
 * caller's is refused "workspace mismatch" and a missing project `project "<p>" not found`, both before the
 * permission check; then acl.go's 403.
 */
export function authorize(
  ctx: RouteContext,
  req: Req,
  method: string,
  permission: string,
  resource?: string,
): Account {
  const account = ctx.auth.authenticate(req);
  if (resource && ctx.profile.ciEra?.isolatesWorkspaces) {
    const [type, id] = resource.split("/");
    if (type === "workspaces" && id !== ctx.store.data.workspaceId)
      throw new GrpcError(Code.PermissionDenied, "workspace mismatch");
    if (type === "projects" && !projects(ctx).some((p) => p.resourceId === id))
      throw new GrpcError(Code.NotFound, `project ${JSON.stringify(id)} not found`);
  }
  if (!PERMISSIONS[account.role].has(permission))
    throw new GrpcError(
      Code.PermissionDenied,
      `permission denied for method ${JSON.stringify(method)}, user does not have permission ${JSON.stringify(permission)}, extra [${resource ?? ""}]`,
    );
  return account;
}
