// Public entry of pulumi-bytebase-gitops: the GitOpsProvider (2.5 - 2.14), VcsProvider and VcsConnector (2.15 - 3.4)
// resources and the Git provider catalog they share with the policies; for 3.15+ WorkloadIdentity, ServiceAccount,
// ProjectIamMember and the CI's workflow files (gitopsWorkflow).
export { GitOpsProvider, type GitOpsProviderArgs, type ConnectionArgs } from "./resource/gitops-provider";
export type { Verification, VerificationCheck, CheckOutcome } from "./verification";
export * from "./catalog";
export { VcsProvider, type VcsProviderArgs } from "./resource/vcs-provider";
export { VcsConnector, type VcsConnectorArgs } from "./resource/vcs-connector";
export type { TokenVerification } from "./verification/access-token";
export { WorkloadIdentity, type WorkloadIdentityArgs } from "./resource/workload-identity";
export { ServiceAccount, type ServiceAccountArgs } from "./resource/service-account";
export { ProjectIamMember, type ProjectIamMemberArgs } from "./resource/project-iam-member";
export * from "./ci";
export {
  gitopsWorkflowFiles,
  serviceAccountPrincipal,
  workloadIdentityPrincipal,
  type GitopsWorkflowInputs,
} from "./resource/ci-workflow";
