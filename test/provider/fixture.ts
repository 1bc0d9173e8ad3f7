// One scenario's world for provider tests: a local console with its fake Git providers, and @pulumi/pulumi's real
// dynamic-provider host configured with the stack config a user would set, driving the package as installed.
import { createRequire } from "node:module";
import { expect } from "vitest";
import type { GitProviderType } from "../../src/catalog";
import { startLocalConsole, type LocalConsole, type LocalConsoleOptions } from "../../src/local-console";
import { serializeProvider, startProviderHost, type ProviderHost } from "../harness/provider-host";
import { appSecrets, asAdmin, oauthEnv, repoRoot } from "../../scripts/demo/examples";

export { asAdmin, oauthEnv, repoRoot };

/** The package as a program loads it: built dist/, through node_modules. */
export const pkg = createRequire(`${repoRoot}/package.json`)(
  "pulumi-bytebase-gitops",
) as typeof import("../../src");
const { serializedProvider } = createRequire(`${repoRoot}/package.json`)(
  "./dist/resource/serialized-provider.js",
) as typeof import("../../src/resource/serialized-provider");

/** The `__provider` text of the built package, as every GitOpsProvider of a program carries it. */
export const providerText = () => serializeProvider(serializedProvider);

export interface World {
  readonly bb: LocalConsole;
  readonly host: ProviderHost;
  /** The `__provider` text, as every resource of a program carries it. */
  readonly provider: string;
  /** Every secret of this world: the service key and every OAuth secret registered. */
  readonly secrets: string[];
  close(): Promise<void>;
}

/**
 * `hostEnv` adds to the provider host's environment, e.g. the client's reliability settings
 * (`BYTEBASE_GITOPS_TIMEOUT_MS`, `BYTEBASE_GITOPS_RETRY_DELAY_MS`, ...) to keep fault tests fast.
 */
export async function startWorld(
  options: LocalConsoleOptions = {},
  hostEnv: Record<string, string> = {},
): Promise<World> {
  const bb = await startLocalConsole(options);
  const host = await startProviderHost({ cwd: repoRoot, env: { ...oauthEnv(bb), ...hostEnv } });
  await host.configure({
    "bytebase:url": bb.url,
    "bytebase:serviceAccount": bb.admin.email,
    "bytebase:serviceKey": bb.admin.key,
  });
  const provider = await providerText();
  const secrets = [bb.admin.key];
  return {
    bb,
    host,
    provider,
    secrets,
    close: async () => {
      await host.close();
      await bb.close();
    },
  };
}

/**
 * Another provider host of the world's console, configured with the given service account (a refresh's host
 * configured from the state, or a less privileged account). The caller closes it.
 */
export async function hostAs(world: World, account: { email: string; key: string }): Promise<ProviderHost> {
  const host = await startProviderHost({ cwd: repoRoot, env: oauthEnv(world.bb) });
  await host.configure({
    "bytebase:url": world.bb.url,
    "bytebase:serviceAccount": account.email,
    "bytebase:serviceKey": account.key,
  });
  return host;
}

/** Registers an OAuth app at the fake Git provider and returns the resource inputs that declare it. */
export function declareApp(
  world: World,
  type: GitProviderType,
  app: Parameters<LocalConsole["oauth"]["register"]>[1] = {},
): Record<string, unknown> & { applicationId: string; secret: string } {
  const registered = world.bb.oauth.register(type, app);
  world.secrets.push(...appSecrets(registered));
  return {
    type,
    applicationId: registered.applicationId,
    secret: registered.secret,
    ...(type === "GITHUB" || type === "GITLAB" ? { instanceUrl: world.bb.oauth.url(type) } : {}),
  };
}

/**
 * Check then create, as the engine does; fails the test on check failures. `provider`: the resource's `__provider`
 * text (the world's VcsProvider or VcsConnector one), GitOpsProvider's by default.
 */
export async function createResource(
  world: World,
  news: Record<string, unknown>,
  provider: string = world.provider,
) {
  const checked = await world.host.check(provider, {}, news);
  expect(checked.failures).toEqual([]);
  return { inputs: checked.inputs, ...(await world.host.create(provider, checked.inputs)) };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the operation to fail, and it succeeded");
}

/** Asserts that no secret of the world appears in the given text (an error, a log, a non-secret output). */
export function expectNoSecrets(world: World, ...texts: unknown[]): void {
  for (const text of texts) {
    const s = typeof text === "string" ? text : JSON.stringify(text);
    for (const secret of world.secrets) expect(s).not.toContain(secret);
  }
}

/** Outputs Pulumi does not store as secrets (the engine marks `secret` and `connection` secret). */
export function nonSecretOutputs(outs: Record<string, unknown>): Record<string, unknown> {
  const { secret: _s, connection: _c, ...rest } = outs;
  return rest;
}
