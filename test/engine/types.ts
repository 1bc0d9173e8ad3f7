// The test engine's vocabulary: a stack's resources as stored, the steps of a run, and what a run reports.
import type { Registration } from "./monitor";

type Props = Record<string, unknown>;

/** One resource of the stack. Inputs/outputs are plain values (no secret markers), `__provider` included as the
 * real engine stores it; `secretInputs`/`secretOutputs` name the keys the engine treats as secret. */
export interface ResourceState {
  urn: string;
  type: string;
  name: string;
  id: string;
  inputs: Props;
  outputs: Props;
  secretInputs: string[];
  secretOutputs: string[];
  /** Read with `Resource.get`: kept in the state, never deleted. */
  external?: boolean;
  /** The old resource of a create-before-delete replacement whose delete has not succeeded yet: deleted on the
   * next `up` (the checkpoint's `delete: true`). */
  delete?: boolean;
  /** The `protect` option as the last `up` recorded it. */
  protect?: boolean;
  /** The `retainOnDelete` option as the last `up` recorded it (read from the state when deleting, as the CLI does). */
  retainOnDelete?: boolean;
  /** A custom resource's provider reference, `<provider urn>::<provider id>`, as the checkpoint stores it. */
  provider?: string;
  /** False for the stack and components (ResourceV3.custom); undefined means custom unless the stack's type. */
  custom?: boolean;
  /** The parent's URN, as the program registered it (the stack for top-level resources). */
  parent?: string;
  /** The program's dependencies and per-property dependencies (RegisterResourceRequest), as the CLI stores them. */
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  /** The `additionalSecretOutputs` option, stored by the CLI. */
  additionalSecretOutputs?: string[];
  /** When the resource was created and last modified (RFC 3339), as pkg/resource/deploy/step.go records them. */
  created?: string;
  modified?: string;
}

/**
 * An operation the engine began and did not see end (apitype.OperationV2): written to the state before the provider
 * call and removed after it, so a run killed in between leaves it (pkg/backend/snapshot.go markOperationPending).
 */
export interface PendingOperation {
  type: "creating" | "updating" | "deleting" | "reading";
  resource: ResourceState;
}

export type StepOp = "create" | "update" | "replace" | "same" | "delete" | "import" | "read";

export interface PolicyViolation {
  policyName: string;
  /** The policy pack's name. */
  pack: string;
  level: "advisory" | "mandatory";
  message: string;
  urn: string;
}

export interface EngineRun {
  state: ResourceState[];
  /** The pending operations the new state keeps (a finished update keeps only the earlier runs' pending creates). */
  pendingOperations?: PendingOperation[];
  /** Stack outputs exactly as the program registered them: secret ones are secret marker objects (see reveal()). */
  outputs: Record<string, unknown>;
  /** Non-DEBUG engine log lines ("error: ...", "warning: ...", "info: ...") and failed steps ("error: URN: message"). */
  diagnostics: string[];
  /** Every policy violation reported by the policy packs (advisory ones do not fail the run). */
  violations: PolicyViolation[];
  ok: boolean;
  /** What the engine did (or, in a preview, would do) to each custom resource, with the properties that changed. */
  steps: { urn: string; op: StepOp; diffs?: string[] }[];
  /** Every RegisterResource request as the program sent it (secret inputs as secret marker objects). */
  registrations: Registration[];
  /** The program's own stdout/stderr and the provider host's output, to assert that nothing secret was printed. */
  stdout: string;
  stderr: string;
  hostOutput: string;
  /** The policy packs that ran, in the order given, as their GetAnalyzerInfo named them. */
  policyPacks?: { name: string; version: string }[];
  /**
   * The error that ended the run before it started (a policy pack that could not load), which the CLI prints as the
   * command's own `error: <message>` after the display, with no summary (pkg/engine/update.go loadPolicyPlugins).
   */
  error?: string;
  /** For an `up` that previewed first: that preview's run (the update ran only if it succeeded). */
  preview?: EngineRun;
}
