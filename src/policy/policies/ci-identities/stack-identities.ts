// The stack's CI principals and their bindings, joined: each ProjectIamMember to the WorkloadIdentity or
// ServiceAccount its member names (by email, computed from id and project while outputs are unknown, as in a first
// preview). Shared by the stack policies of this folder.
import type { PolicyResource } from "@pulumi/policy";
import {
  PROJECT_IAM_MEMBER_TYPE,
  readProjectIamMember,
  readWorkloadIdentity,
  SERVICE_ACCOUNT_TYPE,
  serviceAccountMember,
  WORKLOAD_IDENTITY_TYPE,
  type ProjectIamMemberView,
  type WorkloadIdentityView,
} from "../../ci-resources";

export interface Principal {
  readonly resource: PolicyResource;
  readonly kind: "WorkloadIdentity" | "ServiceAccount";
  /** `workloadIdentity:<email>` / `serviceAccount:<email>` */
  readonly member?: string;
  readonly identity?: WorkloadIdentityView;
  /** The bindings (ProjectIamMember) that name it. */
  readonly bindings: Array<{ resource: PolicyResource; binding: ProjectIamMemberView }>;
}

export interface CiStack {
  readonly principals: Principal[];
  readonly bindings: Array<{ resource: PolicyResource; binding: ProjectIamMemberView }>;
}

export function readCiStack(resources: unknown): CiStack {
  const principals: Principal[] = [];
  const bindings: CiStack["bindings"] = [];
  if (!Array.isArray(resources)) return { principals, bindings };
  for (const resource of resources as PolicyResource[]) {
    if (resource?.type === WORKLOAD_IDENTITY_TYPE) {
      const identity = readWorkloadIdentity(resource.props);
      principals.push({
        resource,
        kind: "WorkloadIdentity",
        member: identity.member,
        identity,
        bindings: [],
      });
    } else if (resource?.type === SERVICE_ACCOUNT_TYPE)
      principals.push({
        resource,
        kind: "ServiceAccount",
        member: serviceAccountMember(resource.props),
        bindings: [],
      });
    else if (resource?.type === PROJECT_IAM_MEMBER_TYPE)
      bindings.push({ resource, binding: readProjectIamMember(resource.props) });
  }
  for (const b of bindings)
    principals.find((p) => p.member && p.member === b.binding.member)?.bindings.push(b);
  return { principals, bindings };
}
