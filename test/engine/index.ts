// The test engine: whole Pulumi TypeScript programs without the Pulumi CLI, for tests and `npm run demo`. It runs
// dynamic resources and policy packs through @pulumi/pulumi's and @pulumi/policy's own code; nothing else.
export { LocalStack, type LocalStackOptions } from "./stack";
export { deploy, type DeployOptions } from "./deploy";
export { destroy, refresh, type Drift, type StateOperationOptions } from "./operations";
export { isSecretMarker, reveal, SECRET_SIG, SECRET_VALUE } from "./secrets";
export { loadState, type CheckpointFile, type DeploymentV3, type StackState } from "./state-file";
export { PolicyConfigError, startPolicyPack, type PolicyPack, type PolicyPackOptions } from "./analyzer";
export { checkFailureMessage, goPropertyValue, secretFilter } from "./render";
export { NODEJS_PROVIDER_TYPE } from "./provider-resource";
export type { EngineRun, PendingOperation, PolicyViolation, ResourceState, StepOp } from "./types";
