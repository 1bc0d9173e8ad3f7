// The two kinds of CI account of 3.15 - 3.21 (workload identities, service accounts): their names, their messages
// (proto/v1/v1/{workload_identity,service_account}_service.proto@3.21.1) and how they are marshaled.
import type { MessageSchema } from "./protojson";
import type { CiAccountRecord } from "./state";

export interface Kind {
  readonly kind: CiAccountRecord["kind"];
  /** Resource collection and permission prefix, e.g. `workloadIdentities`. */
  readonly collection: string;
  /** As the service's errors name it, e.g. "workload identity". */
  readonly noun: string;
  /** The RPC names' noun, e.g. "WorkloadIdentity" (plural "WorkloadIdentities"). */
  readonly rpc: string;
  readonly rpcPlural: string;
  readonly suffix: string;
  /** The proto name of the create request's id and body fields, e.g. `workload_identity`. */
  readonly field: string;
  readonly schema: MessageSchema;
}

const STATE = { enum: ["STATE_UNSPECIFIED", "ACTIVE", "DELETED"] };
const CONFIG: MessageSchema = {
  fullName: "bytebase.v1.WorkloadIdentityConfig",
  fields: {
    provider_type: { enum: ["PROVIDER_TYPE_UNSPECIFIED", "GITHUB", "GITLAB"] },
    issuer_url: "string",
    allowed_audiences: "strings",
    subject_pattern: "string",
  },
};
export const WORKLOAD_IDENTITY: Kind = {
  kind: "workloadIdentity",
  collection: "workloadIdentities",
  noun: "workload identity",
  rpc: "WorkloadIdentity",
  rpcPlural: "WorkloadIdentities",
  suffix: "workload.bytebase.com",
  field: "workload_identity",
  schema: {
    fullName: "bytebase.v1.WorkloadIdentity",
    fields: {
      name: "string",
      state: STATE,
      email: "string",
      title: "string",
      create_time: "string",
      workload_identity_config: { message: CONFIG },
    },
  },
};
export const SERVICE_ACCOUNT: Kind = {
  kind: "serviceAccount",
  collection: "serviceAccounts",
  noun: "service account",
  rpc: "ServiceAccount",
  rpcPlural: "ServiceAccounts",
  suffix: "service.bytebase.com",
  field: "service_account",
  schema: {
    fullName: "bytebase.v1.ServiceAccount",
    fields: {
      name: "string",
      state: STATE,
      email: "string",
      title: "string",
      service_key: "string",
      create_time: "string",
    },
  },
};

/** backend/common/util.go@3.21.1 emailRegex. */
export const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** protojson with EmitUnpopulated false (backend/server/grpc_routes.go@3.21.1): zero values are left out. */
export function toMessage(k: Kind, r: CiAccountRecord, serviceKey?: string) {
  const c = r.config;
  const config = c && {
    ...(c.providerType ? { providerType: CONFIG_TYPES[c.providerType] } : {}),
    ...(c.issuerUrl ? { issuerUrl: c.issuerUrl } : {}),
    ...(c.allowedAudiences.length ? { allowedAudiences: c.allowedAudiences } : {}),
    ...(c.subjectPattern ? { subjectPattern: c.subjectPattern } : {}),
  };
  return {
    name: `${k.collection}/${r.email}`,
    state: r.deleted ? "DELETED" : "ACTIVE",
    email: r.email,
    ...(r.title ? { title: r.title } : {}),
    ...(serviceKey ? { serviceKey } : {}),
    ...(config ? { workloadIdentityConfig: config } : {}),
  };
}
export const CONFIG_TYPES = ["PROVIDER_TYPE_UNSPECIFIED", "GITHUB", "GITLAB"];
