// The one dynamic-provider host a run of the test engine uses: started on first need, in the program's directory
// (where `__provider`'s requires resolve), with the project, stack and config the Pulumi CLI would give it.
import { PROVIDER_KEY, startProviderHost, type ProviderHost } from "../harness/provider-host";
import type { ResourceState } from "./types";

/** Where a stack's program is and what it runs with. */
export interface StackOptions {
  programDir: string;
  project: string;
  stack: string;
  /** Namespaced stack config, plain values (`bytebase:url`, `<project>:appId`, ...). */
  config?: Record<string, string>;
  /** Environment of the program and the provider host. */
  env?: Record<string, string>;
}

export const isDynamic = (type: string) => type.startsWith("pulumi-nodejs:dynamic");

export function lazyHost(opts: StackOptions) {
  let host: Promise<ProviderHost> | undefined;
  return {
    get: () =>
      (host ??= startProviderHost({
        cwd: opts.programDir,
        env: { PULUMI_NODEJS_PROJECT: opts.project, PULUMI_NODEJS_STACK: opts.stack, ...opts.env },
      }).then(async (h) => {
        await h.configure(opts.config ?? {});
        return h;
      })),
    /** Stops the host, if it was started; returns what it printed. */
    close: async (): Promise<string> => {
      const h = await host?.catch(() => undefined);
      const output = h?.stderr() ?? "";
      await h?.close();
      return output;
    },
  };
}

function deleteResource(h: ProviderHost, r: ResourceState): Promise<void> {
  return h.delete(r.outputs[PROVIDER_KEY] as string, r.id, r.outputs);
}

/**
 * One DeleteStep as pkg/resource/deploy/step.go DeleteStep.Apply runs it: a protected resource is refused (unless it
 * is being replaced), an external or `retainOnDelete` one (as the state recorded it) is only forgotten, a custom one
 * is deleted by its provider. Provider resources have nothing to delete.
 */
export async function applyDelete(
  host: ReturnType<typeof lazyHost>,
  r: ResourceState,
  replacing: boolean,
): Promise<void> {
  if (!replacing && r.protect)
    throw new Error(
      `resource ${JSON.stringify(r.urn)} cannot be deleted\nbecause it is protected. To unprotect the resource, ` +
        "either remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`, or use " +
        `the command:\n\`pulumi state unprotect '${r.urn}'\``,
    );
  if (r.external || r.retainOnDelete || !isDynamic(r.type)) return;
  await deleteResource(await host.get(), r);
}

/**
 * The provider host's output as the CLI shows it: sdk/go/common/resource/plugin/plugin.go runtrace logs every
 * non-blank line of a plugin's stderr with Diag.Infoerrf (stdout with Infof), without a URN.
 */
export function reportHostOutput(
  output: string,
  report: (severity: string, urn: string, line: string) => void,
) {
  for (const line of output.split("\n")) if (line.trim() !== "") report("info", "", line.trimEnd());
}
