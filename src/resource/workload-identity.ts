// WorkloadIdentity: the program-side Pulumi resource for one Bytebase 3.15+ workload identity (a CI job's OIDC token
// exchanged for a Bytebase token, `workloadIdentities/<email>`), its trust built from a repository and a ref.
import * as pulumi from "@pulumi/pulumi";
import type { SubjectSpec } from "../ci/subject";
import type { ConnectionArgs } from "./gitops-provider";
import { serializedWorkloadIdentity } from "./serialized-provider";
import { GITOPS_PROVIDER_MODULE, WORKLOAD_IDENTITY_TYPE, WORKLOAD_IDENTITY_TYPE_NAME } from "./type-token";

export interface WorkloadIdentityArgs {
  /** The identity's id (Bytebase's resource-id rule); its email is `<id>@<project>.workload.bytebase.com`. Replaces. */
  workloadIdentityId: pulumi.Input<string>;
  /** The project's id; omit for a workspace-level identity (Bytebase Cloud refuses those). Replaces. */
  project?: pulumi.Input<string>;
  title?: pulumi.Input<string>;
  /** The CI: `GITHUB` (GitHub Actions) or `GITLAB` (GitLab CI). Replaces. */
  provider: pulumi.Input<"GITHUB" | "GITLAB">;
  /** The CI's OIDC issuer, exactly as its tokens' `iss` (default GitHub's or gitlab.com's; always sent). */
  issuerUrl?: pulumi.Input<string>;
  /** The audiences a token must carry one of. Empty is allowed by Bytebase, which then skips the check: avoid it. */
  audiences: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Who may sign in: a raw subject pattern, or `{ repository, branch | tag | environment | pullRequest: true }` from
   * which the exact pattern is built (GitHub `repo:O/R:environment:E`, GitLab `project_path:G/P:ref_type:branch:ref:B`).
   */
  subject: pulumi.Input<string | pulumi.Unwrap<SubjectSpec>>;
  /** The console to manage; default: stack config `bytebase:*`, then env `BYTEBASE_*`. */
  connection?: pulumi.Input<ConnectionArgs>;
}

const OUTPUTS = ["name", "email", "member", "subjectPattern", "issuerUrl", "audiences", "title"] as const;

export class WorkloadIdentity extends pulumi.dynamic.Resource {
  /** The type token, so that policies (`validateResourceOfType`) can match this resource. */
  static readonly __pulumiType = WORKLOAD_IDENTITY_TYPE;

  static override isInstance(obj: unknown): obj is WorkloadIdentity {
    return (
      obj instanceof WorkloadIdentity ||
      (pulumi.Resource.isInstance(obj) &&
        (obj as { __pulumiType?: string }).__pulumiType === WORKLOAD_IDENTITY_TYPE)
    );
  }

  /** `workloadIdentities/<email>` */
  declare readonly name: pulumi.Output<string>;
  declare readonly email: pulumi.Output<string>;
  /** `workloadIdentity:<email>`: give it to a ProjectIamMember. */
  declare readonly member: pulumi.Output<string>;
  declare readonly subjectPattern: pulumi.Output<string>;
  declare readonly issuerUrl: pulumi.Output<string>;
  declare readonly audiences: pulumi.Output<string[]>;
  declare readonly title: pulumi.Output<string>;

  constructor(name: string, args: WorkloadIdentityArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...Object.fromEntries(OUTPUTS.map((key) => [key, undefined])),
      ...args,
      connection: args.connection === undefined ? undefined : pulumi.secret(args.connection),
    };
    super(
      serializedWorkloadIdentity,
      name,
      props,
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["connection"] }),
      GITOPS_PROVIDER_MODULE,
      WORKLOAD_IDENTITY_TYPE_NAME,
    );
  }
}
