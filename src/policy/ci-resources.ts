// What the policies see of a WorkloadIdentity, a ServiceAccount and a ProjectIamMember (Bytebase 3.15+): their type
// tokens, tolerant readers (unknown during preview, missing, or junk; never throwing), the identity's subject pattern
// as the resource builds it, and the email a member names, computed from the id and project while outputs are unknown.
import { subjectPattern, type CiProviderType, type SubjectSpec } from "../ci/subject";
import {
  PROJECT_IAM_MEMBER_TYPE,
  SERVICE_ACCOUNT_TYPE,
  WORKLOAD_IDENTITY_TYPE,
} from "../resource/type-token";
import { read, UNKNOWN } from "./gitops-resources";
import { reader } from "./vcs-resources";

export { PROJECT_IAM_MEMBER_TYPE, SERVICE_ACCOUNT_TYPE, WORKLOAD_IDENTITY_TYPE };

export interface WorkloadIdentityView {
  readonly workloadIdentityId?: string;
  readonly project?: string;
  readonly provider?: CiProviderType;
  readonly issuerUrl?: string;
  readonly audiences?: readonly string[];
  /** The pattern the console gets: the raw `subject`, or the one built from its spec; undefined while unknown or invalid. */
  readonly pattern?: string;
  /** `workloadIdentity:<email>` (from the id and project). */
  readonly member?: string;
  readonly unknown: ReadonlySet<string>;
}

const bare = (project: string | undefined) => project?.replace(/^projects\//, "");

/** `<prefix>:<id>@<project>.<suffix>` or `<prefix>:<id>@<suffix>`, as common.Build*Email (resource_name.go@3.21.1). */
const memberOf = (prefix: string, id: string | undefined, project: string | undefined, suffix: string) =>
  id === undefined ? undefined : `${prefix}:${id}@${project ? `${bare(project)}.` : ""}${suffix}`;

export function readWorkloadIdentity(props: unknown): WorkloadIdentityView {
  const r = reader<string>(props);
  const id = r.text("workloadIdentityId");
  const project = r.text("project");
  const rawProvider = r.text("provider");
  const provider = rawProvider === "GITHUB" || rawProvider === "GITLAB" ? rawProvider : undefined;
  const subject = read(props, "subject");
  let pattern: string | undefined;
  if (subject === UNKNOWN) r.unknown.add("subject");
  else if (typeof subject === "string") pattern = subject;
  else if (typeof subject === "object" && subject !== null && provider) {
    const spec = Object.fromEntries(
      ["repository", "branch", "tag", "environment", "pullRequest"].map((k) => [k, read(subject, k)]),
    );
    if (Object.values(spec).includes(UNKNOWN)) r.unknown.add("subject");
    else
      try {
        pattern = subjectPattern(provider, spec as unknown as SubjectSpec);
      } catch {
        // the resource's own check reports it
      }
  }
  const projectUnknown = r.unknown.has("project");
  return {
    workloadIdentityId: id,
    project,
    provider,
    issuerUrl: r.text("issuerUrl"),
    audiences: r.strings("audiences"),
    pattern,
    member: projectUnknown ? undefined : memberOf("workloadIdentity", id, project, "workload.bytebase.com"),
    unknown: r.unknown,
  };
}

/** A ServiceAccount's member (`serviceAccount:<email>`), or undefined while its id or project is unknown. */
export function serviceAccountMember(props: unknown): string | undefined {
  const r = reader<string>(props);
  const id = r.text("serviceAccountId");
  const project = r.text("project");
  return r.unknown.size ? undefined : memberOf("serviceAccount", id, project, "service.bytebase.com");
}

export interface ProjectIamMemberView {
  readonly project?: string;
  /** `roles/<id>` (a bare id gets the prefix, as the resource's check does). */
  readonly role?: string;
  readonly member?: string;
}

export function readProjectIamMember(props: unknown): ProjectIamMemberView {
  const r = reader<string>(props);
  const role = r.text("role");
  return {
    project: bare(r.text("project")),
    role: role && !role.startsWith("roles/") ? `roles/${role}` : role,
    member: r.text("member"),
  };
}
