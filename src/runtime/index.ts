// The runtime entry that the serialized provider requires inside the Pulumi provider host
// (`require("pulumi-bytebase-gitops/runtime")`): attaches the provider's operations to the deserialized object.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { setStackConfig } from "./connection";
import * as operations from "./provider";

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
