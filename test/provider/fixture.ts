// One scenario's world for provider tests: a local console with its fake Git providers, and @pulumi/pulumi's real
// dynamic-provider host configured with the stack config a user would set, driving the package as installed.
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { expect } from "vitest";
import type { GitProviderType } from "../../src/catalog";
import { startLocalConsole, type LocalConsole, type LocalConsoleOptions } from "../../src/local-console";
import { serializeProvider, startProviderHost, type ProviderHost } from "../harness/provider-host";
import { oauthEnv } from "../../scripts/demo/examples";

export { oauthEnv };

export const repoRoot = resolve(__dirname, "../..");
/** The package as a program loads it: built dist/, through node_modules. */
export const pkg = createRequire(`${repoRoot}/package.json`)(
  "pulumi-bytebase-gitops",
) as typeof import("../../src");
const { serializedProvider } = createRequire(`${repoRoot}/package.json`)(
  "./dist/resource/serialized-provider.js",
) as typeof import("../../src/resource/serialized-provider");

export interface World {
  readonly bb: LocalConsole;
  readonly host: ProviderHost;
  /** The `__provider` text, as every resource of a program carries it. */
  readonly provider: string;
  /** Every secret of this world: the service key and every OAuth secret registered. */
  readonly secrets: string[];
  close(): Promise<void>;
}

export async function startWorld(options: LocalConsoleOptions = {}): Promise<World> {
  const bb = await startLocalConsole(options);
  const host = await startProviderHost({ cwd: repoRoot, env: oauthEnv(bb) });
  await host.configure({
    "bytebase:url": bb.url,
    "bytebase:serviceAccount": bb.admin.email,
    "bytebase:serviceKey": bb.admin.key,
  });
  const provider = await serializeProvider(serializedProvider);
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

/** Registers an OAuth app at the fake Git provider and returns the resource inputs that declare it. */
export function declareApp(
  world: World,
  type: GitProviderType,
  app: Parameters<LocalConsole["oauth"]["register"]>[1] = {},
): Record<string, unknown> & { applicationId: string; secret: string } {
  const registered = world.bb.oauth.register(type, app);
  world.secrets.push(registered.secret, ...(registered.appSecret ? [registered.appSecret] : []));
  return {
    type,
    applicationId: registered.applicationId,
    secret: registered.secret,
    ...(type === "GITHUB" || type === "GITLAB" ? { instanceUrl: world.bb.oauth.url(type) } : {}),
  };
}

/** Check then create, as the engine does; fails the test on check failures. */
export async function createResource(world: World, news: Record<string, unknown>) {
  const checked = await world.host.check(world.provider, {}, news);
  expect(checked.failures).toEqual([]);
  return { inputs: checked.inputs, ...(await world.host.create(world.provider, checked.inputs)) };
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

/** A call to the console as its admin, the way a person in the UI changes things behind Pulumi's back. */
export async function asAdmin(
  bb: LocalConsole,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const login = await fetch(`${bb.url}/v1/auth/login`, {
    method: "POST",
    body: JSON.stringify({ email: bb.admin.email, password: bb.admin.key }),
  });
  const { token } = (await login.json()) as { token: string };
  const answer = await fetch(`${bb.url}/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
  return answer.json();
}
