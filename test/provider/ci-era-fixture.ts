// One scenario's world for the CI-era resources (WorkloadIdentity, ServiceAccount, ProjectIamMember): a local console
// of Bytebase 3.15+, the real dynamic-provider host configured as a user would, and the built package's providers.
import { createRequire } from "node:module";
import { startLocalConsole, type LocalConsoleOptions } from "../../src/local-console";
import { call } from "../local-console/helpers";
import { serializeProvider, startProviderHost } from "../harness/provider-host";
import { createResource, providerText, repoRoot, type World } from "./fixture";

const serialized = createRequire(`${repoRoot}/package.json`)(
  "./dist/resource/serialized-provider.js",
) as typeof import("../../src/resource/serialized-provider");

export interface CiWorld extends World {
  readonly identity: string;
  readonly account: string;
  readonly member: string;
  /** An admin's call to the console's own API (as a person in the console would). */
  admin(method: string, path: string, body?: unknown): ReturnType<typeof call>;
}

export async function startCiWorld(options: LocalConsoleOptions = {}): Promise<CiWorld> {
  const bb = await startLocalConsole({ version: "3.21", ...options });
  const host = await startProviderHost({ cwd: repoRoot, env: {} });
  await host.configure({
    "bytebase:url": bb.url,
    "bytebase:serviceAccount": bb.admin.email,
    "bytebase:serviceKey": bb.admin.key,
  });
  const login = await call(bb.url, "POST", "/v1/auth/login", {
    body: { email: bb.admin.email, password: bb.admin.key },
  });
  const token = login.json.token as string;
  return {
    bb,
    host,
    provider: await providerText(),
    identity: await serializeProvider(serialized.serializedWorkloadIdentity),
    account: await serializeProvider(serialized.serializedServiceAccount),
    member: await serializeProvider(serialized.serializedProjectIamMember),
    secrets: [bb.admin.key],
    admin: (method, path, body) => call(bb.url, method, path, { token, body }),
    close: async () => {
      await host.close();
      await bb.close();
    },
  };
}

export const create = (world: CiWorld, provider: string, news: Record<string, unknown>) =>
  createResource(world, news, provider);
