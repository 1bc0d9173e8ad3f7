// The CI era (Bytebase 3.5 and later): subject patterns, Bytebase's subject rule, and the generated workflow files.
export { matchAudience, matchSubjectPattern } from "./subject-match";
export {
  CI_ISSUERS,
  githubSubject,
  gitlabSubject,
  subjectOf,
  subjectPattern,
  type CiProviderType,
  type JobTrigger,
  type SubjectSpec,
} from "./subject";
export type { CiPrincipal, CiServiceAccount, CiWorkloadIdentity } from "./principal";
export { gitopsWorkflow, type GitopsWorkflowArgs } from "./workflow";
