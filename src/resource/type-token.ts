// The GitOpsProvider's Pulumi type token, shared by the resource class and the policies that match it.

/** `pulumi-nodejs:dynamic/<module>:<type>`, as `dynamic.Resource` builds it from the module and type names. */
export const GITOPS_PROVIDER_MODULE = "bytebase";
export const GITOPS_PROVIDER_TYPE_NAME = "GitOpsProvider";
export const GITOPS_PROVIDER_TYPE = `pulumi-nodejs:dynamic/${GITOPS_PROVIDER_MODULE}:${GITOPS_PROVIDER_TYPE_NAME}`;
