// The test engine: whole Pulumi TypeScript programs without the Pulumi CLI, for tests and `npm run demo`. It runs
// dynamic resources and policy packs through @pulumi/pulumi's and @pulumi/policy's own code; nothing else.
export { LocalStack, type LocalStackOptions } from "./stack";
export { deploy, type DeployOptions } from "./deploy";
export { destroy, refresh } from "./operations";
export { isSecretMarker, reveal, SECRET_SIG, SECRET_VALUE } from "./secrets";
export { loadState, type StackState } from "./state-file";
export { startPolicyPack, type PolicyPack, type PolicyPackOptions } from "./analyzer";
export type { EngineRun, PolicyViolation, ResourceState, StepOp } from "./types";
