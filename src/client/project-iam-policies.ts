// A project's IAM policy (Bytebase 3.15+ `projects/{p}:getIamPolicy` and `:setIamPolicy`,
// proto/v1/v1/project_service.proto and iam_policy.proto@3.21.1). setIamPolicy replaces the whole policy and checks
// the etag only when one is sent (ABORTED on a mismatch). The only module that knows these paths and fields.
import { z } from "zod";
import { ConsoleApi } from "./connection";

const text = z.string().max(10_000);

const Condition = z.object({
  expression: text.optional(),
  title: text.optional(),
  description: text.optional(),
  location: text.optional(),
});
export type Condition = z.output<typeof Condition>;

/** convertToV1IamPolicy (project_service_converter.go@3.21.1); `parsedExpr` (output only) is not kept. */
const IamPolicyAnswer = z.object({
  bindings: z
    .array(z.object({ role: text, members: z.array(text).default([]), condition: Condition.default({}) }))
    .default([]),
  etag: text.default(""),
});
export type IamPolicy = z.output<typeof IamPolicyAnswer>;
export type Binding = IamPolicy["bindings"][number];

export class ProjectIamPolicyClient extends ConsoleApi {
  protected readonly versions = "3.15 and later";

  get(project: string): Promise<IamPolicy> {
    return this.call(IamPolicyAnswer, {
      method: "GET",
      path: `v1/projects/${encodeURIComponent(project)}:getIamPolicy`,
      operation: `Reading the IAM policy of project ${project}`,
      idempotent: true,
    });
  }

  /** Replaces the policy; `etag` as read (a concurrent write in between makes the console answer ABORTED). */
  set(project: string, bindings: readonly Binding[], etag: string): Promise<IamPolicy> {
    return this.call(IamPolicyAnswer, {
      method: "POST",
      path: `v1/projects/${encodeURIComponent(project)}:setIamPolicy`,
      body: { policy: { bindings }, etag },
      operation: `Setting the IAM policy of project ${project}`,
      // Not resent blindly: a lost answer is settled by reading the policy back.
      idempotent: false,
    });
  }
}
