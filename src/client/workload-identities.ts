// The console's workload identities (Bytebase 3.15+ `WorkloadIdentityService`,
// proto/v1/v1/workload_identity_service.proto@3.15.0 - @3.21.1): create under a project or the workspace, get,
// update by mask, soft delete, undelete. The only module that knows their paths and fields.
import { z } from "zod";
import { Anything } from "./answers";
import { ConsoleApi } from "./connection";

const text = z.string().max(10_000);

/** convertToWorkloadIdentity (workload_identity_service.go@3.21.1), zero values left out by 3.x's marshaler. */
const WorkloadIdentityAnswer = z.object({
  name: text.regex(/^workloadIdentities\/[^/]+$/, "expected workloadIdentities/<email>"),
  state: z.enum(["STATE_UNSPECIFIED", "ACTIVE", "DELETED"]).default("ACTIVE"),
  email: text,
  title: text.default(""),
  workloadIdentityConfig: z
    .object({
      providerType: z
        .enum(["PROVIDER_TYPE_UNSPECIFIED", "GITHUB", "GITLAB"])
        .default("PROVIDER_TYPE_UNSPECIFIED"),
      issuerUrl: text.default(""),
      allowedAudiences: z.array(text).default([]),
      subjectPattern: text.default(""),
    })
    .optional(),
});
export type WorkloadIdentity = z.output<typeof WorkloadIdentityAnswer>;

export interface WorkloadIdentityBody {
  readonly title: string;
  readonly workloadIdentityConfig: {
    readonly providerType: "GITHUB" | "GITLAB";
    readonly issuerUrl: string;
    readonly allowedAudiences: readonly string[];
    readonly subjectPattern: string;
  };
}

/** The only paths UpdateWorkloadIdentity honours (workload_identity_service.go@3.21.1); any other is ignored. */
export type WorkloadIdentityPath = "title" | "workload_identity_config";

const named = (email: string) => `v1/workloadIdentities/${encodeURIComponent(email)}`;

export class WorkloadIdentityClient extends ConsoleApi {
  protected readonly versions = "3.15 and later";

  /** `POST /v1/{projects/<p>|workspaces/<w>}/workloadIdentities?workloadIdentityId=<id>`, the identity as the body. */
  create(parent: string, id: string, body: WorkloadIdentityBody): Promise<WorkloadIdentity> {
    return this.call(WorkloadIdentityAnswer, {
      method: "POST",
      path: `v1/${parent}/workloadIdentities?workloadIdentityId=${encodeURIComponent(id)}`,
      body,
      operation: `Creating workload identity ${id} in ${parent}`,
      idempotent: false,
    });
  }

  get(email: string): Promise<WorkloadIdentity> {
    return this.call(WorkloadIdentityAnswer, {
      method: "GET",
      path: named(email),
      operation: `Reading workload identity ${email}`,
      idempotent: true,
    });
  }

  /** PATCH with `?update_mask=` naming exactly `paths` (a body alone would give nested paths, which are ignored). */
  update(
    email: string,
    paths: readonly WorkloadIdentityPath[],
    body: WorkloadIdentityBody,
  ): Promise<WorkloadIdentity> {
    return this.call(WorkloadIdentityAnswer, {
      method: "PATCH",
      path: `${named(email)}?update_mask=${paths.join(",")}`,
      body: { name: `workloadIdentities/${email}`, ...body },
      operation: `Updating ${paths.join(", ")} of workload identity ${email}`,
      idempotent: true,
    });
  }

  /** Soft: the identity then answers `state: DELETED` until undeleted. */
  async delete(email: string): Promise<void> {
    await this.call(Anything, {
      method: "DELETE",
      path: named(email),
      operation: `Deleting workload identity ${email}`,
      idempotent: true,
    });
  }

  undelete(email: string): Promise<WorkloadIdentity> {
    return this.call(WorkloadIdentityAnswer, {
      method: "POST",
      path: `${named(email)}:undelete`,
      body: {},
      operation: `Undeleting workload identity ${email}`,
      idempotent: true,
    });
  }
}
