// The runtime entry that the serialized provider requires inside the Pulumi provider host
// (`require("pulumi-bytebase-gitops/runtime")`): attaches the operations of GitOpsProvider (`attach`), VcsProvider
// (`attachVcsProvider`) or VcsConnector (`attachVcsConnector`) to the deserialized object.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { setStackConfig } from "./connection";
import * as operations from "./provider";
import * as connectorOperations from "./vcs-connector";
import * as vcsOperations from "./vcs-provider";

export const provider: dynamic.ResourceProvider = {
  check: operations.check,
  diff: operations.diff,
  create: operations.create,
  read: operations.read,
  update: operations.update,
  delete: operations.remove,
};

/** Called by the serialized provider's `configure`: keeps the stack config and attaches the operations. */
export async function attach(target: object, req: dynamic.ConfigureRequest): Promise<void> {
  setStackConfig(req.config);
  Object.assign(target, provider);
}

export const vcsProvider: dynamic.ResourceProvider = {
  check: vcsOperations.check,
  diff: vcsOperations.diff,
  create: vcsOperations.create,
  read: vcsOperations.read,
  update: vcsOperations.update,
  delete: vcsOperations.remove,
};

/** Called by the VcsProvider's serialized provider: as `attach`, with the access-token era's operations. */
export async function attachVcsProvider(target: object, req: dynamic.ConfigureRequest): Promise<void> {
  setStackConfig(req.config);
  Object.assign(target, vcsProvider);
}

export const vcsConnector: dynamic.ResourceProvider = {
  check: connectorOperations.check,
  diff: connectorOperations.diff,
  create: connectorOperations.create,
  read: connectorOperations.read,
  update: connectorOperations.update,
  delete: connectorOperations.remove,
};

/** Called by the VcsConnector's serialized provider: as `attach`, with the connectors' operations. */
export async function attachVcsConnector(target: object, req: dynamic.ConfigureRequest): Promise<void> {
  setStackConfig(req.config);
  Object.assign(target, vcsConnector);
}
