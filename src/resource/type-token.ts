// The Pulumi type tokens of GitOpsProvider, VcsProvider and VcsConnector, shared by the resource classes and the policies.

/** `pulumi-nodejs:dynamic/<module>:<type>`, as `dynamic.Resource` builds it from the module and type names. */
export const GITOPS_PROVIDER_MODULE = "bytebase";
export const GITOPS_PROVIDER_TYPE_NAME = "GitOpsProvider";
export const GITOPS_PROVIDER_TYPE = `pulumi-nodejs:dynamic/${GITOPS_PROVIDER_MODULE}:${GITOPS_PROVIDER_TYPE_NAME}`;
export const VCS_PROVIDER_TYPE_NAME = "VcsProvider";
export const VCS_PROVIDER_TYPE = `pulumi-nodejs:dynamic/${GITOPS_PROVIDER_MODULE}:${VCS_PROVIDER_TYPE_NAME}`;
export const VCS_CONNECTOR_TYPE_NAME = "VcsConnector";
export const VCS_CONNECTOR_TYPE = `pulumi-nodejs:dynamic/${GITOPS_PROVIDER_MODULE}:${VCS_CONNECTOR_TYPE_NAME}`;
