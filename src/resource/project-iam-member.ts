// ProjectIamMember: the program-side Pulumi resource for one member of one role of a Bytebase 3.15+ project
// (non-authoritative: the rest of the project's IAM policy stays as it is).
import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "./gitops-provider";
import { serializedProjectIamMember } from "./serialized-provider";
import { GITOPS_PROVIDER_MODULE, PROJECT_IAM_MEMBER_TYPE, PROJECT_IAM_MEMBER_TYPE_NAME } from "./type-token";

export interface ProjectIamMemberArgs {
  /** The project's id (`payments` or `projects/payments`). Replaces. */
  project: pulumi.Input<string>;
  /** The role, e.g. `roles/gitopsServiceAgent` (deploy) or `roles/projectDeveloper` (check, no rollout). Replaces. */
  role: pulumi.Input<string>;
  /** A WorkloadIdentity's or ServiceAccount's `member` output, `user:<email>` or `group:<email>`. Replaces. */
  member: pulumi.Input<string>;
  /** A CEL condition on the binding (e.g. an expiry). Replaces. */
  condition?: pulumi.Input<{
    expression: pulumi.Input<string>;
    title?: pulumi.Input<string>;
    description?: pulumi.Input<string>;
  }>;
  /** The console to manage; default: stack config `bytebase:*`, then env `BYTEBASE_*`. */
  connection?: pulumi.Input<ConnectionArgs>;
}

export class ProjectIamMember extends pulumi.dynamic.Resource {
  static readonly __pulumiType = PROJECT_IAM_MEMBER_TYPE;

  static override isInstance(obj: unknown): obj is ProjectIamMember {
    return (
      obj instanceof ProjectIamMember ||
      (pulumi.Resource.isInstance(obj) &&
        (obj as { __pulumiType?: string }).__pulumiType === PROJECT_IAM_MEMBER_TYPE)
    );
  }

  declare readonly project: pulumi.Output<string>;
  declare readonly role: pulumi.Output<string>;
  declare readonly member: pulumi.Output<string>;

  constructor(name: string, args: ProjectIamMemberArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...args,
      connection: args.connection === undefined ? undefined : pulumi.secret(args.connection),
    };
    super(
      serializedProjectIamMember,
      name,
      props,
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["connection"] }),
      GITOPS_PROVIDER_MODULE,
      PROJECT_IAM_MEMBER_TYPE_NAME,
    );
  }
}
