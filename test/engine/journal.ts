// What the test engine records of a run as it goes, as the CLI's SnapshotManager does: the pending operations
// around provider calls, the order of the snapshot's resources, the timestamps of their steps, and the warning
// about an earlier run's pending operations.
import { isProviderResource } from "./provider-resource";
import type { PendingOperation, ResourceState } from "./types";

/**
 * pkg/resource/deploy/deployment_executor.go printPendingOperationsWarning, printed by an update (not a preview)
 * whose prior state holds pending operations.
 */
export function pendingOperationsWarning(ops: readonly PendingOperation[]): string {
  return (
    `Attempting to deploy or update resources with ${ops.length} pending operations from previous deployment.\n` +
    ops.map((op) => `  * ${op.resource.urn}, interrupted while ${op.type}\n`).join("") +
    "These resources are in an unknown state because the Pulumi CLI was interrupted while " +
    "waiting for changes to these resources to complete. You should confirm whether or not the " +
    "operations listed completed successfully by checking the state of the appropriate provider. " +
    "For example, if you are using AWS, you can confirm using the AWS Console.\n" +
    "\n" +
    "Once you have confirmed the status of the interrupted operations, you can repair your stack " +
    "using `pulumi refresh` which will refresh the state from the provider you are using and " +
    "clear the pending operations if there are any.\n" +
    "\n" +
    "Note that `pulumi refresh` will need to be run interactively to clear pending CREATE operations."
  );
}

const isStack = (r: { type: string }) => r.type === "pulumi:pulumi:Stack";
/** The order the CLI's snapshot has them in: the stack (registered first), the default provider, the rest. */
export const snapshotOrder = (rs: ResourceState[]) => [
  ...rs.filter(isStack),
  ...rs.filter(isProviderResource),
  ...rs.filter((r) => !isStack(r) && !isProviderResource(r)),
];

/** A time as Go's encoding/json writes a time.Time in UTC (RFC 3339, fractional seconds without trailing zeros). */
export const timestamp = () => new Date().toISOString().replace(/\.?0+Z$/, "Z");

export type SnapshotWriter = (snapshot: {
  resources: ResourceState[];
  pendingOperations: PendingOperation[];
}) => void;

/**
 * pkg/backend/snapshot.go SnapshotManager: every mutation is written at once; an operation begun is written as
 * pending before the provider call (markOperationPending) and cleared when it ends (markOperationComplete). The
 * pending operations written are this run's, then the base snapshot's pending creates (snap(): kept until a refresh
 * clears them, "these must require user intervention"); pending operations of other kinds are dropped.
 */
export class Journal {
  private readonly ops: PendingOperation[] = [];
  readonly kept: PendingOperation[];

  constructor(
    prior: readonly PendingOperation[] | undefined,
    private readonly write: SnapshotWriter | undefined,
    private readonly resources: () => ResourceState[],
  ) {
    this.kept = (prior ?? []).filter((op) => op.type === "creating");
  }

  persist(): void {
    this.write?.({ resources: this.resources(), pendingOperations: [...this.ops, ...this.kept] });
  }

  /** A provider call as a pending operation: written before, removed after (the caller persists the outcome). */
  async pending<T>(type: PendingOperation["type"], resource: ResourceState, f: () => Promise<T>): Promise<T> {
    if (!this.write) return f();
    const op = { type, resource };
    this.ops.push(op);
    this.persist();
    try {
      return await f();
    } finally {
      this.ops.splice(this.ops.indexOf(op), 1);
    }
  }
}
