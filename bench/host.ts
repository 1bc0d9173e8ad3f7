// The provider host side of the benchmarks: @pulumi/pulumi's real dynamic-provider host (the test harness's
// driver), started as the engine starts it, and our serialized provider as every resource carries it.
import type * as pulumi from "@pulumi/pulumi";
import type { LocalConsole } from "pulumi-bytebase-gitops/local-console";
import { serializeProvider, startProviderHost, type ProviderHost } from "../test/harness/provider-host";
import { repoRequire, repoRoot } from "./package";

type Serialized = Record<"serializedProvider" | "serializedVcsProvider", pulumi.dynamic.ResourceProvider>;

/** Our `__provider` text (GitOpsProvider's, or VcsProvider's with `vcs`), serialized as `dynamic.Resource` does. */
export function ourProvider(vcs = false): Promise<string> {
  const built = repoRequire("./dist/resource/serialized-provider.js") as Serialized;
  return serializeProvider(vcs ? built.serializedVcsProvider : built.serializedProvider);
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
