// What the CI-era services keep in the console's state: workload identities, service accounts, project IAM policies.
import type { RouteContext } from "../routes/context";
import { projects, type ProjectRecord } from "../routes/vcs-connectors";
import { Code, GrpcError } from "../errors";

export interface WorkloadIdentityConfigRecord {
  providerType: number;
  issuerUrl: string;
  allowedAudiences: string[];
  subjectPattern: string;
}

/** A row of `principal` as 3.15 - 3.21 keep workload identities and service accounts (soft-deleted). */
export interface CiAccountRecord {
  kind: "workloadIdentity" | "serviceAccount";
  email: string;
  title: string;
  /** The project id; "" at workspace level. */
  project: string;
  deleted: boolean;
  config?: WorkloadIdentityConfigRecord;
}

export interface BindingRecord {
  role: string;
  /** As stored: `users/<email>`, `serviceAccounts/<email>`, `workloadIdentities/<email>`, `groups/<email>`, `allUsers`. */
  members: string[];
  condition: { expression?: string; title?: string; description?: string };
}

export interface IamPolicyRecord {
  bindings: BindingRecord[];
  /** policy.updated_at in ms: the etag (backend/store/policy.go@3.21.1 generateEtag: UnixMilli). */
  updatedMs: number;
}

export interface CiEraState {
  accounts: CiAccountRecord[];
  /** By project id; absent = no IAM policy row (getIamPolicy answers no bindings and no etag). */
  iam: Record<string, IamPolicyRecord>;
}

export function ciState(ctx: RouteContext): CiEraState {
  const data = ctx.store.data as { ciEra?: CiEraState };
  data.ciEra ??= { accounts: [], iam: {} };
  return data.ciEra;
}

/** The project of a request, as GetProject finds it (archived ones too); NotFound with the RPC's own text. */
export function findProject(ctx: RouteContext, id: string, notFound: string): ProjectRecord {
  const found = projects(ctx).find((p) => p.resourceId === id);
  if (!found) throw new GrpcError(Code.NotFound, notFound);
  return found;
}
