// Test fixtures for the token-era resources: a VcsProvider per Git provider type that every policy accepts, and a
// VcsConnector shaped as its inputs are (project, resourceId, vcsProvider, repository, branch, baseDirectory?, ...).
import { specFor, type GitProviderType } from "../../src/catalog";
import { VCS_CONNECTOR_TYPE, VCS_PROVIDER_TYPE } from "../../src/policy";
import type { TestResource } from "./harness";

/** Permissions each type's token is declared with: exactly what Bytebase's wizard asks. */
export const PERMISSIONS: Record<GitProviderType, string[]> = {
  AZURE_DEVOPS: ["vso.code", "vso.profile", "vso.project", "vso.threads_full"],
  BITBUCKET: ["account", "team", "project", "webhook", "repository:write", "pullrequest:write"],
  GITHUB: ["metadata:read", "contents:read", "pull_requests:write", "repository_hooks:write"],
  GITLAB: ["api", "read_repository"],
};

function withOverrides(props: Record<string, unknown>, overrides: Record<string, unknown>) {
  const out = { ...props, ...overrides };
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete out[k];
  return out;
}

/** A VcsProvider's inputs (an `undefined` override removes a prop). */
export function vcsProvider(
  type: GitProviderType,
  overrides: Record<string, unknown> = {},
  name = "vcs",
): TestResource {
  const props = {
    resourceId: `${type.toLowerCase().replace("_", "-")}-main`,
    type,
    title: type,
    accessToken: "token-value-never-printed",
    permissions: PERMISSIONS[type],
  };
  return { name, type: VCS_PROVIDER_TYPE, props: withOverrides(props, overrides) };
}

/** A VcsProvider's outputs as the state holds them, with the verification's expiry `days` from now (none: undefined). */
export function vcsProviderState(
  type: GitProviderType,
  days: number | undefined,
  name = "vcs",
): TestResource {
  const resource = vcsProvider(type, {}, name);
  const verification = {
    verifiedAt: new Date().toISOString(),
    checks: [{ check: "token", outcome: "verified", detail: "known" }],
    ...(days === undefined ? {} : { tokenExpiresAt: new Date(Date.now() + days * 86_400_000).toISOString() }),
  };
  return {
    ...resource,
    props: {
      ...resource.props,
      name: `vcsProviders/${String(resource.props.resourceId)}`,
      instanceUrl: specFor(type).defaultInstanceUrl,
      verification,
      verifyToken: true,
      adoptExisting: false,
      consoleUrl: "https://bytebase.example.com",
    },
  };
}

/** A VcsConnector's inputs (an `undefined` override removes a prop). */
export function vcsConnector(overrides: Record<string, unknown> = {}, name = "db"): TestResource {
  const props = {
    project: "projects/platform",
    resourceId: "platform-db",
    vcsProvider: "vcsProviders/gitlab-main",
    repository: "platform/db",
    branch: "main",
    baseDirectory: "/migrations",
    databaseGroup: "projects/platform/databaseGroups/all-dbs",
    title: "platform/db",
  };
  return { name, type: VCS_CONNECTOR_TYPE, props: withOverrides(props, overrides) };
}
