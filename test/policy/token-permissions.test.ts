// gitops-token-permissions and gitops-token-least-privilege through @pulumi/policy's analyze RPC: a VcsProvider's
// declared `permissions` per Git provider type and kind of token, in the Git provider's words.
import { describe, expect, it } from "vitest";
import type { GitProviderType } from "../../src/catalog";
import { tokenLeastPrivilegePolicy, tokenPermissionsPolicy } from "../../src/policy";
import { analyze } from "./harness";
import { provider, TYPES, UNKNOWN } from "./fixtures";
import { vcsProvider } from "./vcs-fixtures";

const policies = [tokenPermissionsPolicy()];

const passingByImplication: Record<GitProviderType, string[][]> = {
  AZURE_DEVOPS: [["vso.code_full", "vso.profile", "vso.project_write", "vso.threads_full"]],
  BITBUCKET: [["account", "team", "project:write", "webhook", "pullrequest:write"]],
  GITHUB: [["repo"], ["metadata:read", "contents:write", "pull_requests:write", "repository_hooks:write"]],
  GITLAB: [["api"]],
};

const failing: Record<GitProviderType, { permissions: string[]; says: string[] }> = {
  AZURE_DEVOPS: {
    permissions: ["vso.code", "vso.profile", "vso.project"],
    says: [
      "lacks Pull request threads (read and write) (vso.threads_full) for a personal access token",
      "grant Pull request threads",
      "All accessible organizations",
    ],
  },
  BITBUCKET: {
    permissions: ["account", "project", "webhook", "repository:admin", "pullrequest"],
    says: [
      "Workspace membership > Read (team)",
      "Repositories > Write (repository:write)",
      "Pull requests > Write (pullrequest:write)",
      "make a new app password",
      "cannot be changed later",
      "'accessToken'",
    ],
  },
  GITHUB: {
    permissions: ["metadata:read", "contents:read", "pull_requests:read"],
    says: [
      "Pull requests (Read and write) (pull_requests:write) and Webhooks (Read and write) (repository_hooks:write)",
      "for a fine-grained personal access token",
      "Fine-grained tokens",
      "admin of the repositories",
    ],
  },
  GITLAB: {
    permissions: ["read_api", "read_repository"],
    says: ["lacks api for an access token", "make a new access token", "Maintainer role"],
  },
};

describe.each(TYPES)("gitops-token-permissions for %s", (type) => {
  it("passes what Bytebase's wizard asks, and what implies it", async () => {
    expect(await analyze(policies, vcsProvider(type))).toEqual([]);
    for (const permissions of passingByImplication[type])
      expect(await analyze(policies, vcsProvider(type, { permissions }))).toEqual([]);
  });

  it("reports missing permissions in the Git provider's words, at mandatory, without the token", async () => {
    const ds = await analyze(policies, vcsProvider(type, { permissions: failing[type].permissions }, "vp"));
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ policyName: "gitops-token-permissions", enforcementLevel: "mandatory" });
    expect(ds[0]!.message).toContain("VcsProvider 'vp'");
    expect(ds[0]!.message).toContain("'permissions'");
    for (const words of failing[type].says) expect(ds[0]!.message).toContain(words);
    expect(ds[0]!.message).not.toContain("token-value-never-printed");
  });

  it("asks to declare permissions when they are missing, unless told not to", async () => {
    const ds = await analyze(policies, vcsProvider(type, { permissions: undefined }));
    expect(ds.map((d) => d.message)).toEqual([expect.stringContaining("is not declared")]);
    const lax = [tokenPermissionsPolicy({ requireDeclaredPermissions: false })];
    expect(await analyze(lax, vcsProvider(type, { permissions: undefined }))).toEqual([]);
  });

  it("reports names the Git provider does not know, and a value that is not a list", async () => {
    const ds = await analyze(policies, vcsProvider(type, { permissions: ["all-the-things"] }));
    expect(ds.map((d) => d.message)).toEqual([
      expect.stringContaining("names 'all-the-things', which is not among the"),
      expect.stringContaining("lacks"),
    ]);
    const junk = await analyze(policies, vcsProvider(type, { permissions: "api" }));
    expect(junk.map((d) => d.message)).toEqual([expect.stringContaining("is not a list of strings")]);
  });

  it("skips permissions unknown during preview, whole or in part", async () => {
    expect(await analyze(policies, vcsProvider(type, { permissions: UNKNOWN }))).toEqual([]);
    expect(await analyze(policies, vcsProvider(type, { permissions: [UNKNOWN] }))).toEqual([]);
  });

  it("ignores GitOpsProviders and other resource types", async () => {
    expect(await analyze(policies, provider(type, { permissions: [] }))).toEqual([]);
    const other = { ...vcsProvider(type, { permissions: [] }), type: "pulumi-nodejs:dynamic:Resource" };
    expect(await analyze(policies, other)).toEqual([]);
  });
});

it("reads a GitHub declaration as the kind of token whose names it uses", async () => {
  const classic = await analyze(
    policies,
    vcsProvider("GITHUB", { permissions: ["public_repo", "workflow"] }),
  );
  expect(classic.map((d) => d.message)).toEqual([
    expect.stringContaining("lacks repo for a personal access token (classic)"),
  ]);
  expect(classic[0]!.message).toContain("Tokens (classic)");
});

describe("gitops-token-least-privilege", () => {
  const lp = [tokenLeastPrivilegePolicy()];

  it.each(TYPES)("passes exactly what %s needs", async (type) => {
    expect(await analyze(lp, vcsProvider(type))).toEqual([]);
  });

  it("reports what is beyond need, high privilege marked, at advisory", async () => {
    const permissions = ["metadata:read", "contents:write", "pull_requests:write", "repository_hooks:write"];
    const ds = await analyze(
      lp,
      vcsProvider("GITHUB", { permissions: [...permissions, "administration:write"] }),
    );
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ policyName: "gitops-token-least-privilege", enforcementLevel: "advisory" });
    expect(ds[0]!.message).toContain("Contents (Read and write) (contents:write)");
    expect(ds[0]!.message).toContain(
      "Administration (Read and write) (administration:write) (high privilege)",
    );
    const gitlab = await analyze(
      lp,
      vcsProvider("GITLAB", { permissions: ["api", "read_repository", "sudo"] }),
    );
    expect(gitlab.map((d) => d.message)).toEqual([expect.stringContaining("sudo (high privilege)")]);
    expect(gitlab[0]!.message).toContain("make a new access token without sudo");
  });

  it("honours allowedExtraPermissions and allowedExtraPermissionsByType", async () => {
    const extra = vcsProvider("GITLAB", { permissions: ["api", "read_repository", "ai_features"] });
    expect(
      await analyze([tokenLeastPrivilegePolicy({ allowedExtraPermissions: ["ai_features"] })], extra),
    ).toEqual([]);
    const byType = [
      tokenLeastPrivilegePolicy({ allowedExtraPermissionsByType: { GITLAB: ["ai_features"] } }),
    ];
    expect(await analyze(byType, extra)).toEqual([]);
    const otherType = [
      tokenLeastPrivilegePolicy({ allowedExtraPermissionsByType: { GITHUB: ["ai_features"] } }),
    ];
    expect(await analyze(otherType, extra)).toHaveLength(1);
  });
});
