// One scenario's world for VcsProvider tests: a local console of Bytebase 2.15 with its fake Git provider APIs,
// and the real dynamic-provider host configured as a user would, driving the built package's VcsProvider.
import { createRequire } from "node:module";
import type { GitProviderType } from "../../src/catalog";
import type { IssueTokenInput } from "../../src/local-console/git-fakes";
import { startLocalConsole, type LocalConsoleOptions } from "../../src/local-console";
import { serializeProvider, startProviderHost } from "../harness/provider-host";
import { gitApiEnv } from "../../scripts/demo/examples";
import { providerText, repoRoot, type World } from "./fixture";

const { serializedVcsProvider } = createRequire(`${repoRoot}/package.json`)(
  "./dist/resource/serialized-provider.js",
) as typeof import("../../src/resource/serialized-provider");

export interface VcsWorld extends World {
  /** The VcsProvider's `__provider` text. */
  readonly vcs: string;
}

export async function startVcsWorld(
  options: LocalConsoleOptions = {},
  hostEnv: Record<string, string> = {},
): Promise<VcsWorld> {
  const bb = await startLocalConsole({ version: "2.15.0", ...options });
  const host = await startProviderHost({ cwd: repoRoot, env: { ...gitApiEnv(bb), ...hostEnv } });
  await host.configure({
    "bytebase:url": bb.url,
    "bytebase:serviceAccount": bb.admin.email,
    "bytebase:serviceKey": bb.admin.key,
  });
  return {
    bb,
    host,
    provider: await providerText(),
    vcs: await serializeProvider(serializedVcsProvider),
    secrets: [bb.admin.key],
    close: async () => {
      await host.close();
      await bb.close();
    },
  };
}

/** Issues a token at the type's fake Git provider and returns the VcsProvider inputs that declare it. */
export function declareToken(
  world: VcsWorld,
  type: GitProviderType,
  resourceId: string,
  token: IssueTokenInput = {},
): Record<string, unknown> & { accessToken: string } {
  const issued = world.bb.git.issueToken(type, token);
  world.secrets.push(issued.token, ...issued.token.split(":").filter((p) => p.length > 8));
  return { resourceId, type, accessToken: issued.token };
}
