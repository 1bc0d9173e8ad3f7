// Public entry of pulumi-bytebase-gitops: the GitOpsProvider resource and the Git provider catalog it shares
// with the policies.
export { GitOpsProvider, type GitOpsProviderArgs, type ConnectionArgs } from "./resource/gitops-provider";
export type { Verification, VerificationCheck, CheckOutcome } from "./verification";
export * from "./catalog";
