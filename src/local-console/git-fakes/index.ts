// The fake Git provider APIs that access tokens are checked against (Bytebase 2.15 - 3.4 era), served on the same
// loopback port as each type's fake OAuth endpoints: a request the API does not own falls through to OAuth.
import type { GitProviderType } from "../../catalog";
import type { Handler } from "../http";
import { azureDevOpsApi } from "./azure-devops";
import { bitbucketApi } from "./bitbucket";
import { githubApi } from "./github";
import { gitlabApi } from "./gitlab";
import type { GitTokens } from "./tokens";

export { GitTokens, type IssueTokenInput, type IssuedToken } from "./tokens";

const APIS = {
  AZURE_DEVOPS: azureDevOpsApi,
  BITBUCKET: bitbucketApi,
  GITHUB: githubApi,
  GITLAB: gitlabApi,
} as const;

/** The type's fake API in front of its OAuth handler; `base()` is the fake's own URL (for web URLs). */
export function withGitApi(
  type: GitProviderType,
  tokens: GitTokens,
  oauth: Handler,
  base: () => string,
): Handler {
  const api = APIS[type](tokens);
  return (req) => api(req, base()) ?? oauth(req);
}
