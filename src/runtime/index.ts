// The runtime entry that the serialized provider requires inside the Pulumi provider host
// (`require("pulumi-bytebase-gitops/runtime")`): attaches the operations of GitOpsProvider (`attach`), VcsProvider
// (`attachVcsProvider`), VcsConnector (`attachVcsConnector`), WorkloadIdentity, ServiceAccount or ProjectIamMember
// (`attach<Name>`) to the deserialized object.
// Frozen: every resource in every stack's state keeps the serialized provider that calls these names, so none is
// ever renamed or removed (a new resource adds its own); test/program/exports.test.ts fails if one disappears.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { setStackConfig } from "./connection";
import * as operations from "./gitops-provider/operations";
import * as connectorOperations from "./vcs-connector/operations";
import * as vcsOperations from "./vcs-provider/operations";
import * as projectIamMemberOperations from "./project-iam-member/operations";
import * as serviceAccountOperations from "./service-account/operations";
import * as workloadIdentityOperations from "./workload-identity/operations";

type Method = "check" | "diff" | "create" | "read" | "update";
type Operations = Required<Pick<dynamic.ResourceProvider, Method>> & {
  remove: dynamic.ResourceProvider["delete"];
};

/** A resource's operations as the dynamic-provider host calls them (`delete` is `remove`: a reserved word). */
const providerOf = (ops: Operations): dynamic.ResourceProvider => ({
  check: ops.check,
  diff: ops.diff,
  create: ops.create,
  read: ops.read,
  update: ops.update,
  delete: ops.remove,
});

/** The configure of a serialized provider: keeps the stack config and attaches the resource's operations. */
const attacher =
  (provider: dynamic.ResourceProvider) =>
  async (target: object, req: dynamic.ConfigureRequest): Promise<void> => {
    setStackConfig(req.config);
    Object.assign(target, provider);
  };

export const provider = providerOf(operations);
export const vcsProvider = providerOf(vcsOperations);
export const vcsConnector = providerOf(connectorOperations);

/** GitOpsProvider's serialized provider calls this; VcsProvider's and VcsConnector's the two below. */
export const attach = attacher(provider);
export const attachVcsProvider = attacher(vcsProvider);
export const attachVcsConnector = attacher(vcsConnector);

/** WorkloadIdentity, ServiceAccount and ProjectIamMember (Bytebase 3.15+). */
export const attachWorkloadIdentity = attacher(providerOf(workloadIdentityOperations));
export const attachServiceAccount = attacher(providerOf(serviceAccountOperations));
export const attachProjectIamMember = attacher(providerOf(projectIamMemberOperations));
