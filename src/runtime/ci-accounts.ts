// What WorkloadIdentity and ServiceAccount share (Bytebase 3.15+): the parent they are created under, their email,
// the soft delete Bytebase does (a deleted one still answers, `state: DELETED`), and the project input.
import type { ConsoleInfo } from "../client/actuator";
import { ConsoleError, lostAnswer } from "../client/errors";
import { RESOURCE_ID } from "./vcs-provider/inputs";

/**
 * `projects/<p>`, or the workspace: `workspaces/-` at 3.15 (the proto comment of workload_identity_service.proto@3.15.0),
 * `workspaces/<id>` from 3.16 (acl.go from 3.17.0 refuses another id: "workspace mismatch").
 */
export function parentOf(project: string | undefined, info: ConsoleInfo | undefined): string {
  if (project) return `projects/${project}`;
  const v = info?.version;
  const dash = !info?.workspaceId || (v !== undefined && v.major === 3 && v.minor < 16);
  return `workspaces/${dash ? "-" : info!.workspaceId}`;
}

/** common.BuildWorkloadIdentityEmail / BuildServiceAccountEmail (backend/common/resource_name.go@3.21.1). */
export function emailOf(id: string, project: string | undefined, suffix: string): string {
  return project ? `${id}@${project}.${suffix}` : `${id}@${suffix}`;
}

/** The console's NotFound for this email (`... "<email>" not found` or `... has been deleted`): it is gone. */
export function isGone(error: unknown, email: string): boolean {
  return (
    error instanceof ConsoleError &&
    error.status === 404 &&
    error.consoleMessage.includes(JSON.stringify(email)) &&
    / (not found|has been deleted)$/.test(error.consoleMessage)
  );
}

export const isAlreadyExists = (error: unknown) =>
  error instanceof ConsoleError && error.status === 409 && error.grpcCode === 6;

export { lostAnswer };

/** The project input: `projects/<id>` or `<id>` to `<id>`; undefined when it is neither. */
export function projectIdOf(value: string): string | undefined {
  const id = value.replace(/^projects\//, "");
  return RESOURCE_ID.test(id) ? id : undefined;
}

export const idRule = (id: string) =>
  `'${id}' breaks Bytebase's resource-id rule: 1 to 63 characters, lower-case letters, digits and '-', starting with a letter and not ending with '-'`;
