// The provider host side of the benchmarks: @pulumi/pulumi's real dynamic-provider host (the test harness's
// driver), our serialized provider as every resource carries it, and a trivial one that returns its inputs.
import type * as pulumi from "@pulumi/pulumi";
import { serializeProvider, startProviderHost, type ProviderHost } from "../test/harness/provider-host";
import { repoRequire, repoRoot } from "./package";

/** Our `__provider` text, serialized as `dynamic.Resource` does. */
export function ourProvider(): Promise<string> {
  const { serializedProvider } = repoRequire("./dist/resource/serialized-provider.js") as {
    serializedProvider: pulumi.dynamic.ResourceProvider;
  };
  return serializeProvider(serializedProvider);
}

/** The floors' provider: no configure, no require; check returns its inputs, create and delete do nothing. */
export function trivialProvider(): Promise<string> {
  return serializeProvider({
    check: async (_olds: unknown, news: Record<string, unknown>) => ({ inputs: news }),
    create: async (inputs: Record<string, unknown>) => ({ id: "1", outs: inputs }),
    delete: async () => undefined,
  } as pulumi.dynamic.ResourceProvider);
}

/** A host started in the repository (where `pulumi-bytebase-gitops/runtime` resolves) with stack config set. */
export async function startHost(config: Record<string, string> = {}, env: Record<string, string> = {}) {
  const host: ProviderHost = await startProviderHost({ cwd: repoRoot, env });
  await host.configure(config);
  return host;
}
