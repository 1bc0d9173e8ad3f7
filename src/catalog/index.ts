// The catalog of Git providers: look one up by its console type.
import { azureDevOps } from "./azure-devops";
import { bitbucket } from "./bitbucket";
import { github } from "./github";
import { gitlab } from "./gitlab";
import { GIT_PROVIDER_TYPES, type GitProviderSpec, type GitProviderType } from "./types";

export const CATALOG: Readonly<Record<GitProviderType, GitProviderSpec>> = {
  AZURE_DEVOPS: azureDevOps,
  BITBUCKET: bitbucket,
  GITHUB: github,
  GITLAB: gitlab,
};

export function isGitProviderType(value: unknown): value is GitProviderType {
  return typeof value === "string" && (GIT_PROVIDER_TYPES as readonly string[]).includes(value);
}

export function specFor(type: GitProviderType): GitProviderSpec {
  return CATALOG[type];
}

export * from "./types";
export * from "./access-token";
export * from "./token-permissions";
export * from "./scopes";
export * from "./callback";
export * from "./instance-url";
export { decodeAzureClientSecret } from "./azure-devops";
