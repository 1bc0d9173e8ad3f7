// Public entry of pulumi-bytebase-gitops: the GitOpsProvider resource and the Git provider catalog.
export * from "./catalog";
