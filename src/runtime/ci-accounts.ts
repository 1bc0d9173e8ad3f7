// What WorkloadIdentity and ServiceAccount share (Bytebase 3.15+): the parent they are created under, their email,
// the soft delete Bytebase does (a deleted one still answers, `state: DELETED`), and the project input.
import type { z } from "zod";
import type { ConsoleInfo } from "../client/actuator";
import { ConsoleError, lostAnswer } from "../client/errors";
import { schemaFailures } from "./schema-failures";
import type { CheckFailure } from "./shared-inputs";
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

/** The account of `email` as the console has it, or undefined when it is gone (not found, or soft-deleted). */
export async function readActive<T extends { state: string }>(
  get: () => Promise<T>,
  email: string,
): Promise<T | undefined> {
  try {
    const remote = await get();
    // A soft-deleted one still answers; for Pulumi it is gone (a create undeletes it).
    return remote.state === "DELETED" ? undefined : remote;
  } catch (error) {
    if (isGone(error, email)) return undefined;
    throw error;
  }
}

/** Deletes (softly, as Bytebase does); one already gone is fine. */
export async function deleteSoftly(remove: () => Promise<void>, email: string): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (!isGone(error, email)) throw error;
  }
}

/** `<id>@<project>.<suffix>` or `<id>@<suffix>` to its id and project (undefined at workspace level). */
export function idAndProject(email: string, suffix: string): { id: string; project?: string } {
  const [id, domain] = email.split("@") as [string, string];
  return domain === suffix ? { id } : { id, project: domain.slice(0, -suffix.length - 1) };
}

/**
 * A resource's schema over its props (`__provider` dropped): the parsed inputs, or the schema's failures for `check`.
 * The resource's own rules then add their failures.
 */
export function parseInputs<S extends z.ZodType>(
  news: Record<string, unknown>,
  schema: S & { shape: Record<string, unknown> },
  resource: string,
  required: Record<string, string>,
): { props: Record<string, unknown>; raw?: z.output<S>; failures: CheckFailure[] } {
  const { __provider: _provider, ...props } = news;
  const parsed = schema.safeParse(props);
  if (parsed.success) return { props, raw: parsed.data, failures: [] };
  return {
    props,
    failures: schemaFailures(parsed.error.issues, props, { resource, required, shape: schema.shape }),
  };
}

/** The project input's failure, if it is not a project id. */
export const projectFailure = (value: string): CheckFailure => ({
  property: "project",
  reason: `'${value}' is not a project id: e.g. payments or projects/payments`,
});
