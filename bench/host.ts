// The provider host side of the benchmarks: @pulumi/pulumi's real dynamic-provider host (the test harness's
// driver), started as the engine starts it, and our serialized provider as every resource carries it.
import type * as pulumi from "@pulumi/pulumi";
import type { LocalConsole } from "pulumi-bytebase-gitops/local-console";
import { serializeProvider, startProviderHost, type ProviderHost } from "../test/harness/provider-host";
import { repoRequire, repoRoot } from "./package";

const SERIALIZED = {
  gitops: "serializedProvider",
  vcs: "serializedVcsProvider",
  connector: "serializedVcsConnector",
  workloadIdentity: "serializedWorkloadIdentity",
  serviceAccount: "serializedServiceAccount",
  projectIamMember: "serializedProjectIamMember",
} as const;
type Serialized = Record<(typeof SERIALIZED)[keyof typeof SERIALIZED], pulumi.dynamic.ResourceProvider>;

/** Our `__provider` text (of GitOpsProvider, VcsProvider, ...), serialized as `dynamic.Resource` does. */
export function ourProvider(resource: keyof typeof SERIALIZED = "gitops"): Promise<string> {
  const built = repoRequire("./dist/resource/serialized-provider.js") as Serialized;
  return serializeProvider(built[SERIALIZED[resource]]);
}

/**
 * A host started in the repository (where `pulumi-bytebase-gitops/runtime` resolves), configured with the stack
 * config a user sets for `bb` (as test/provider/fixture.ts `startWorld` does); `env` adds to its environment.
 */
export async function startHost(bb: LocalConsole, env: Record<string, string> = {}): Promise<ProviderHost> {
  const host = await startProviderHost({ cwd: repoRoot, env });
  await host.configure({
    "bytebase:url": bb.url,
    "bytebase:serviceAccount": bb.admin.email,
    "bytebase:serviceKey": bb.admin.key,
  });
  return host;
}
