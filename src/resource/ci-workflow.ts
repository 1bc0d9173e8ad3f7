// The workflow files from the resources of a program: a WorkloadIdentity or ServiceAccount as the principal a CI job
// signs in as, and gitopsWorkflow over their outputs (known at apply time), as a Pulumi output.
import * as pulumi from "@pulumi/pulumi";
import type { CiServiceAccount, CiWorkloadIdentity } from "../ci/principal";
import { gitopsWorkflow, type GitopsWorkflowArgs } from "../ci/workflow";
import type { ServiceAccount } from "./service-account";
import type { WorkloadIdentity } from "./workload-identity";

/** The principal of a WorkloadIdentity (its email, audiences and pattern). */
export function workloadIdentityPrincipal(identity: WorkloadIdentity): pulumi.Output<CiWorkloadIdentity> {
  return pulumi
    .all([identity.email, identity.audiences, identity.subjectPattern])
    .apply(([email, audiences, subjectPattern]) => ({
      kind: "workloadIdentity" as const,
      email,
      audiences,
      subjectPattern,
    }));
}

/** The principal of a ServiceAccount whose key the CI keeps as the secret `keySecret` (its name, never the key). */
export function serviceAccountPrincipal(
  account: ServiceAccount,
  keySecret: string,
): pulumi.Output<CiServiceAccount> {
  return account.email.apply((email) => ({ kind: "serviceAccount" as const, email, keySecret }));
}

type Principal = pulumi.Input<CiWorkloadIdentity | CiServiceAccount>;

export interface GitopsWorkflowInputs extends Omit<GitopsWorkflowArgs, "check" | "deploy"> {
  readonly check: Principal;
  readonly deploy: Principal | Readonly<Record<string, Principal>>;
}

/** gitopsWorkflow once the principals are known: the files by path, as an output (checked at apply time). */
export function gitopsWorkflowFiles(args: GitopsWorkflowInputs): pulumi.Output<Record<string, string>> {
  return pulumi
    .output(args as pulumi.Input<GitopsWorkflowInputs>)
    .apply((a) => gitopsWorkflow(a as GitopsWorkflowArgs));
}
