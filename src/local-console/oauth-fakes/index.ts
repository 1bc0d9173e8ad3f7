// Starts the four fake Git providers, each on its own loopback port, serving the real OAuth token paths and, in
// front of them, the API paths access tokens are checked against (../git-fakes).
import { GIT_PROVIDER_TYPES, type GitProviderType } from "../../catalog";
import type { FaultRegistry } from "../faults";
import { withGitApi, type GitTokens } from "../git-fakes";
import { serve, type Handler, type HttpService } from "../http";
import { azureDevOpsHandler } from "./azure-devops";
import { bitbucketHandler } from "./bitbucket";
import { githubHandler } from "./github";
import { gitlabHandler } from "./gitlab";
import type { OAuthRegistry } from "./registry";

export { OAuthRegistry } from "./registry";

export interface OAuthFakes {
  url(type: GitProviderType): string;
  close(): Promise<void>;
}

const HANDLERS: Record<GitProviderType, (registry: OAuthRegistry) => Handler> = {
  AZURE_DEVOPS: azureDevOpsHandler,
  BITBUCKET: bitbucketHandler,
  GITHUB: githubHandler,
  GITLAB: gitlabHandler,
};

export async function startOAuthFakes(
  registry: OAuthRegistry,
  faults: FaultRegistry,
  host: string,
  ports: Partial<Record<GitProviderType, number>>,
  tokens: GitTokens,
): Promise<OAuthFakes> {
  const services = new Map<GitProviderType, HttpService>();
  try {
    for (const type of GIT_PROVIDER_TYPES) {
      const port = ports[type] ?? 0;
      const handler = withGitApi(type, tokens, HANDLERS[type](registry), () => services.get(type)?.url ?? "");
      const service = await serve(handler, {
        host,
        port,
        fallbackToRandomPort: port !== 0,
        target: type,
        faults,
        faultReply: (status) => ({
          status,
          body: { error: "temporarily_unavailable", error_description: `injected fault: HTTP ${status}` },
        }),
      });
      services.set(type, service);
    }
  } catch (error) {
    await Promise.all([...services.values()].map((s) => s.close()));
    throw error;
  }
  return {
    url: (type) => services.get(type)!.url,
    close: async () => {
      await Promise.all([...services.values()].map((s) => s.close()));
    },
  };
}
