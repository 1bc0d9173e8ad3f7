// gitops-required-scopes through @pulumi/policy's analyze RPC: per Git provider type, implications, undeclared, unknown.
import { describe, expect, it } from "vitest";
import { requiredScopesPolicy } from "../../src/policy";
import { analyze } from "./harness";
import { provider, TYPES, UNKNOWN } from "./fixtures";
import type { GitProviderType } from "../../src/catalog";

const policies = [requiredScopesPolicy()];

const failing: Record<GitProviderType, { scopes: string[]; says: string[] }> = {
  AZURE_DEVOPS: {
    scopes: ["vso.code_write", "vso.identity", "vso.project", "vso.build"],
    says: [
      "Code (full) (vso.code_full)",
      "Build (read and execute) (vso.build_execute)",
      "'Authorized scopes'",
    ],
  },
  BITBUCKET: {
    scopes: ["account", "webhook", "repository:admin"],
    says: [
      "Repositories > Write (repository:write)",
      "Repositories > Admin (repository:admin) does not include Repositories > Write",
      "Permissions checkboxes",
    ],
  },
  GITHUB: { scopes: ["repo"], says: ["lacks workflow", "'workflow'"] },
  GITLAB: { scopes: ["read_api", "write_repository"], says: ["lacks api", "Scopes checkboxes"] },
};

const passingByImplication: Record<GitProviderType, string[]> = {
  AZURE_DEVOPS: ["vso.code_full", "vso.identity", "vso.project", "vso.build_execute", "vso.code"],
  BITBUCKET: ["account", "webhook", "pullrequest:write"],
  GITHUB: ["workflow", "repo"],
  GITLAB: ["api", "read_user"],
};

describe.each(TYPES)("gitops-required-scopes for %s", (type) => {
  it("passes the scopes the console needs", async () => {
    expect(await analyze(policies, provider(type))).toEqual([]);
    expect(await analyze(policies, provider(type, { scopes: passingByImplication[type] }))).toEqual([]);
  });

  it("reports missing scopes in the provider's UI words, at mandatory", async () => {
    const ds = await analyze(policies, provider(type, { scopes: failing[type].scopes }, "gp"));
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ policyName: "gitops-required-scopes", enforcementLevel: "mandatory" });
    expect(ds[0]!.message).toContain("GitOpsProvider 'gp'");
    expect(ds[0]!.message).toContain("'scopes'");
    for (const words of failing[type].says) expect(ds[0]!.message).toContain(words);
  });

  it("asks to declare scopes when they are missing, unless told not to", async () => {
    const ds = await analyze(policies, provider(type, { scopes: undefined }));
    expect(ds.map((d) => d.message)).toEqual([expect.stringContaining("is not declared")]);
    const lax = [requiredScopesPolicy({ requireDeclaredScopes: false })];
    expect(await analyze(lax, provider(type, { scopes: undefined }))).toEqual([]);
  });

  it("skips scopes unknown during preview, whole or in part", async () => {
    expect(await analyze(policies, provider(type, { scopes: UNKNOWN }))).toEqual([]);
    expect(await analyze(policies, provider(type, { scopes: [UNKNOWN] }))).toEqual([]);
  });

  it("reports scopes that are not a list of strings", async () => {
    const ds = await analyze(policies, provider(type, { scopes: "api repo" }));
    expect(ds.map((d) => d.message)).toEqual([expect.stringContaining("is not a list of strings")]);
  });

  it("honours the enforcement level it is given", async () => {
    const ds = await analyze([requiredScopesPolicy("advisory")], provider(type, { scopes: [] }));
    expect(ds.map((d) => d.enforcementLevel)).toEqual(["advisory"]);
    expect(await analyze([requiredScopesPolicy("disabled")], provider(type, { scopes: [] }))).toEqual([]);
  });

  it("ignores other resource types", async () => {
    const other = { ...provider(type, { scopes: [] }), type: "pulumi-nodejs:dynamic:Resource" };
    expect(await analyze(policies, other)).toEqual([]);
  });
});
