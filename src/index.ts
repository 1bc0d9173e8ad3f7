// Public entry of pulumi-bytebase-gitops: the resources GitOpsProvider (Bytebase 2.5 - 2.14), VcsProvider and
// VcsConnector (2.15 - 3.4), WorkloadIdentity, ServiceAccount and ProjectIamMember (3.15+) with the CI's workflow
// files (gitopsWorkflow), their Args, and the types their inputs and outputs use. The Git provider catalog the
// policies use is `pulumi-bytebase-gitops/catalog`; the policies are `pulumi-bytebase-gitops/policy`.
export { GitOpsProvider, type GitOpsProviderArgs, type ConnectionArgs } from "./resource/gitops-provider";
export { VcsProvider, type VcsProviderArgs } from "./resource/vcs-provider";
export { VcsConnector, type VcsConnectorArgs } from "./resource/vcs-connector";
export { GIT_PROVIDER_TYPES, type GitProviderType } from "./catalog";
export type { Verification, VerificationCheck, CheckOutcome } from "./verification";
export type { TokenVerification } from "./verification/access-token";
export { WorkloadIdentity, type WorkloadIdentityArgs } from "./resource/workload-identity";
export { ServiceAccount, type ServiceAccountArgs } from "./resource/service-account";
export { ProjectIamMember, type ProjectIamMemberArgs } from "./resource/project-iam-member";
export {
  gitopsWorkflow,
  matchSubjectPattern,
  subjectPattern,
  type CiPrincipal,
  type CiServiceAccount,
  type CiWorkloadIdentity,
  type GitopsWorkflowArgs,
  type SubjectSpec,
} from "./ci";
export {
  gitopsWorkflowFiles,
  serviceAccountPrincipal,
  workloadIdentityPrincipal,
  type GitopsWorkflowInputs,
} from "./resource/ci-workflow";
