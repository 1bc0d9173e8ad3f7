// gitops-least-privilege through @pulumi/policy's analyze RPC: excess scopes per type, allowed extras.
import { describe, expect, it } from "vitest";
import { leastPrivilegePolicy } from "../../src/policy";
import type { GitProviderType } from "../../src/catalog";
import { analyze } from "./harness";
import { provider, TYPES } from "./fixtures";

const excess: Record<GitProviderType, { extra: string[]; says: string[] }> = {
  AZURE_DEVOPS: { extra: ["vso.work_full"], says: ["Work items (full) (vso.work_full) (high privilege)"] },
  BITBUCKET: {
    extra: ["repository:delete", "account:write"],
    says: ["Repositories > Delete (repository:delete) (high privilege)", "Account > Write (account:write)"],
  },
  GITHUB: { extra: ["delete_repo", "read:org"], says: ["delete_repo (high privilege)", "read:org"] },
  GITLAB: { extra: ["sudo"], says: ["sudo (high privilege)"] },
};

const needed = (type: GitProviderType) => provider(type).props.scopes as string[];

describe.each(TYPES)("gitops-least-privilege for %s", (type) => {
  const policies = [leastPrivilegePolicy()];

  it("passes exactly what is needed, and scopes that it implies", async () => {
    expect(await analyze(policies, provider(type))).toEqual([]);
    const implied = {
      AZURE_DEVOPS: "vso.code_write",
      BITBUCKET: "repository",
      GITHUB: "public_repo",
      GITLAB: "read_api",
    };
    expect(await analyze(policies, provider(type, { scopes: [...needed(type), implied[type]] }))).toEqual([]);
  });

  it("reports scopes beyond need, advisory by default", async () => {
    const ds = await analyze(
      policies,
      provider(type, { scopes: [...needed(type), ...excess[type].extra] }, "gp"),
    );
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ policyName: "gitops-least-privilege", enforcementLevel: "advisory" });
    for (const words of [...excess[type].says, "GitOpsProvider 'gp'", "'scopes'", "allowedExtraScopes"])
      expect(ds[0]!.message).toContain(words);
  });

  it("reports scopes the catalog does not know", async () => {
    const ds = await analyze(policies, provider(type, { scopes: [...needed(type), "made:up"] }));
    expect(ds[0]!.message).toContain("made:up (unknown to this catalog)");
  });

  it("allows extra scopes globally or for this type only", async () => {
    const scopes = [...needed(type), ...excess[type].extra];
    const global = [leastPrivilegePolicy({ allowedExtraScopes: excess[type].extra })];
    expect(await analyze(global, provider(type, { scopes }))).toEqual([]);
    const mine = [leastPrivilegePolicy({ allowedExtraScopesByType: { [type]: excess[type].extra } })];
    expect(await analyze(mine, provider(type, { scopes }))).toEqual([]);
    const other = TYPES.find((t) => t !== type)!;
    const theirs = [leastPrivilegePolicy({ allowedExtraScopesByType: { [other]: excess[type].extra } })];
    expect(await analyze(theirs, provider(type, { scopes }))).toHaveLength(1);
  });

  it("checks nothing when scopes are not declared", async () => {
    expect(await analyze(policies, provider(type, { scopes: undefined }))).toEqual([]);
  });

  it("can be made mandatory", async () => {
    const ds = await analyze([leastPrivilegePolicy({ enforcementLevel: "mandatory" })], {
      ...provider(type, { scopes: [...needed(type), ...excess[type].extra] }),
    });
    expect(ds.map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
  });
});
