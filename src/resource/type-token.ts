// The Pulumi type tokens of the resources (GitOpsProvider, VcsProvider, VcsConnector; WorkloadIdentity, ServiceAccount,
// ProjectIamMember), shared by the resource classes and the policies.

/** `pulumi-nodejs:dynamic/<module>:<type>`, as `dynamic.Resource` builds it from the module and type names. */
export const GITOPS_PROVIDER_MODULE = "bytebase";
export const GITOPS_PROVIDER_TYPE_NAME = "GitOpsProvider";
export const GITOPS_PROVIDER_TYPE = `pulumi-nodejs:dynamic/${GITOPS_PROVIDER_MODULE}:${GITOPS_PROVIDER_TYPE_NAME}`;
export const VCS_PROVIDER_TYPE_NAME = "VcsProvider";
export const VCS_PROVIDER_TYPE = `pulumi-nodejs:dynamic/${GITOPS_PROVIDER_MODULE}:${VCS_PROVIDER_TYPE_NAME}`;
export const VCS_CONNECTOR_TYPE_NAME = "VcsConnector";
export const VCS_CONNECTOR_TYPE = `pulumi-nodejs:dynamic/${GITOPS_PROVIDER_MODULE}:${VCS_CONNECTOR_TYPE_NAME}`;
export const WORKLOAD_IDENTITY_TYPE_NAME = "WorkloadIdentity";
export const WORKLOAD_IDENTITY_TYPE = `pulumi-nodejs:dynamic/${GITOPS_PROVIDER_MODULE}:${WORKLOAD_IDENTITY_TYPE_NAME}`;
export const SERVICE_ACCOUNT_TYPE_NAME = "ServiceAccount";
export const SERVICE_ACCOUNT_TYPE = `pulumi-nodejs:dynamic/${GITOPS_PROVIDER_MODULE}:${SERVICE_ACCOUNT_TYPE_NAME}`;
export const PROJECT_IAM_MEMBER_TYPE_NAME = "ProjectIamMember";
export const PROJECT_IAM_MEMBER_TYPE = `pulumi-nodejs:dynamic/${GITOPS_PROVIDER_MODULE}:${PROJECT_IAM_MEMBER_TYPE_NAME}`;
