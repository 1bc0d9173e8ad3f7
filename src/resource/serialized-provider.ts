// The provider object Pulumi serializes into every resource's `__provider` (and so into the state): it captures
// nothing and holds one method. The provider host calls `configure` once, before any other method, on the object
// it deserialized; `configure` loads the runtime of the installed package and attaches the real operations to
// that object. The text stays a few hundred bytes, identical across package versions (so an upgrade never looks
// like a provider change), and free of credentials (the runtime reads them from stack config or the environment).
import type * as pulumi from "@pulumi/pulumi";

/* eslint-disable @typescript-eslint/no-require-imports -- resolved in the host, from the program's node_modules */

export const serializedProvider = {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    return require("pulumi-bytebase-gitops/runtime").attach(this, req);
  },
} as unknown as pulumi.dynamic.ResourceProvider;

/** The same for VcsProvider (Bytebase 2.15 - 3.4): its own object, so that GitOpsProvider's text never changes. */
export const serializedVcsProvider = {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    return require("pulumi-bytebase-gitops/runtime").attachVcsProvider(this, req);
  },
} as unknown as pulumi.dynamic.ResourceProvider;

/** The same for VcsConnector (Bytebase 2.15 - 3.4 project-repository connectors). */
export const serializedVcsConnector = {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    return require("pulumi-bytebase-gitops/runtime").attachVcsConnector(this, req);
  },
} as unknown as pulumi.dynamic.ResourceProvider;

/** The same for the CI-era resources (Bytebase 3.15+), one object each. */
export const serializedWorkloadIdentity = {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    return require("pulumi-bytebase-gitops/runtime").attachWorkloadIdentity(this, req);
  },
} as unknown as pulumi.dynamic.ResourceProvider;

export const serializedServiceAccount = {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    return require("pulumi-bytebase-gitops/runtime").attachServiceAccount(this, req);
  },
} as unknown as pulumi.dynamic.ResourceProvider;

export const serializedProjectIamMember = {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    return require("pulumi-bytebase-gitops/runtime").attachProjectIamMember(this, req);
  },
} as unknown as pulumi.dynamic.ResourceProvider;
