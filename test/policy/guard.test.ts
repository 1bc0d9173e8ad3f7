// gitopsGuardPolicies: names, default levels, `all`, per-policy levels and settings, schemas with defaults.
import { describe, expect, it } from "vitest";
import {
  GITOPS_POLICY_NAMES,
  GITOPS_PROVIDER_TYPE,
  gitopsGuardPolicies,
  readGitOpsProvider,
  readVcsConnector,
  readVcsProvider,
  VCS_CONNECTOR_TYPE,
  VCS_PROVIDER_TYPE,
} from "../../src/policy";
import { analyze } from "./harness";
import { azureSecret, provider, UNKNOWN } from "./fixtures";
import { vcsConnector, vcsProvider } from "./vcs-fixtures";

const levels = (args?: Parameters<typeof gitopsGuardPolicies>[0]) =>
  Object.fromEntries(gitopsGuardPolicies(args).map((p) => [p.name, p.enforcementLevel]));

describe("gitopsGuardPolicies", () => {
  it("builds every policy at its default level", () => {
    expect(levels()).toEqual({
      "gitops-required-scopes": "mandatory",
      "gitops-least-privilege": "advisory",
      "gitops-callback-url": "mandatory",
      "gitops-instance-url": "mandatory",
      "gitops-secret-expiry": "advisory",
      "gitops-unique-providers": "mandatory",
      "gitops-token-permissions": "mandatory",
      "gitops-token-least-privilege": "advisory",
      "gitops-token-expiry": "advisory",
      "gitops-connector-branch": "mandatory",
      "gitops-connector-base-directory": "mandatory",
      "gitops-connector-database-group": "advisory",
      "gitops-unique-connectors": "mandatory",
      "gitops-identity-subject": "mandatory",
      "gitops-identity-audience": "mandatory",
      "gitops-identity-issuer": "mandatory",
      "gitops-deploy-identity-trust": "mandatory",
      "gitops-ci-roles": "mandatory",
      "gitops-separate-identities": "advisory",
      "gitops-literal-service-key": "mandatory",
    });
    expect(GITOPS_POLICY_NAMES).toHaveLength(20);
  });

  it("applies `all` to policies not listed, and leaves disabled ones out", () => {
    expect(
      levels({ all: "advisory", "gitops-callback-url": "mandatory", "gitops-secret-expiry": "disabled" }),
    ).toEqual({
      "gitops-required-scopes": "advisory",
      "gitops-least-privilege": "advisory",
      "gitops-callback-url": "mandatory",
      "gitops-instance-url": "advisory",
      "gitops-unique-providers": "advisory",
      "gitops-token-permissions": "advisory",
      "gitops-token-least-privilege": "advisory",
      "gitops-token-expiry": "advisory",
      "gitops-connector-branch": "advisory",
      "gitops-connector-base-directory": "advisory",
      "gitops-connector-database-group": "advisory",
      "gitops-unique-connectors": "advisory",
      "gitops-identity-subject": "advisory",
      "gitops-identity-audience": "advisory",
      "gitops-identity-issuer": "advisory",
      "gitops-deploy-identity-trust": "advisory",
      "gitops-ci-roles": "advisory",
      "gitops-separate-identities": "advisory",
      "gitops-literal-service-key": "advisory",
    });
    expect(levels({ all: "disabled", "gitops-least-privilege": { enforcementLevel: "mandatory" } })).toEqual({
      "gitops-least-privilege": "mandatory",
    });
  });

  it("bakes code-level settings into each schema's default and into the checks", async () => {
    const policies = gitopsGuardPolicies({ "gitops-secret-expiry": { minDaysRemaining: 90 } });
    const expiry = policies.find((p) => p.name === "gitops-secret-expiry")!;
    expect(expiry.configSchema?.properties.minDaysRemaining).toMatchObject({ type: "integer", default: 90 });
    expect((await analyze(policies, provider("AZURE_DEVOPS"))).map((d) => d.policyName)).toEqual([
      "gitops-secret-expiry",
    ]);
    for (const p of gitopsGuardPolicies())
      for (const schema of Object.values(p.configSchema?.properties ?? {}))
        expect(schema).toHaveProperty("default");
  });

  it("ignores malformed settings and falls back to the defaults", async () => {
    const policies = gitopsGuardPolicies({
      "gitops-secret-expiry": { minDaysRemaining: -1 },
      "gitops-callback-url": { allowedHosts: "x" as never },
    });
    expect(await analyze(policies, provider("AZURE_DEVOPS"))).toEqual([]);
    // minDaysRemaining -1 is ignored: the default 14 applies, so a secret with 5 days left is reported.
    const soon = await analyze(policies, provider("AZURE_DEVOPS", { secret: azureSecret(5) }));
    expect(soon.map((d) => d.policyName)).toEqual(["gitops-secret-expiry"]);
    expect(soon[0]!.message).toContain("less than 14");
  });
});

describe("the token-era policies in the set", () => {
  it("take settings keyed by policy name, and check VcsProviders and VcsConnectors", async () => {
    const policies = gitopsGuardPolicies({
      "gitops-connector-branch": { allowedBranches: ["trunk"] },
      "gitops-token-permissions": { requireDeclaredPermissions: false },
    });
    const branch = policies.find((p) => p.name === "gitops-connector-branch")!;
    expect(branch.configSchema?.properties.allowedBranches).toMatchObject({
      type: "array",
      default: ["trunk"],
    });
    expect((await analyze(policies, vcsConnector({ branch: "main" }))).map((d) => d.policyName)).toEqual([
      "gitops-connector-branch",
    ]);
    expect(await analyze(policies, vcsConnector({ branch: "trunk" }))).toEqual([]);
    expect(await analyze(policies, vcsProvider("GITLAB", { permissions: undefined }))).toEqual([]);
    const defaults = gitopsGuardPolicies().find((p) => p.name === "gitops-connector-branch")!;
    expect(defaults.configSchema?.properties.allowedBranches).toMatchObject({
      default: ["main", "master", "release-*", "release/*"],
    });
  });
});

describe("readVcsProvider and readVcsConnector", () => {
  it("read known, unknown and malformed props without throwing", () => {
    const p = readVcsProvider({
      type: "GITHUB",
      permissions: ["repo", 3],
      instanceUrl: UNKNOWN,
      verification: 5,
    });
    expect(p.type).toBe("GITHUB");
    expect(p.permissions).toBeUndefined();
    expect([...p.malformed]).toEqual(["permissions"]);
    expect([...p.unknown]).toEqual(["instanceUrl"]);
    expect(readVcsProvider({ verification: { tokenExpiresAt: UNKNOWN } }).unknown.has("verification")).toBe(
      true,
    );
    const c = readVcsConnector({ branch: UNKNOWN, baseDirectory: 3, repository: "a/b" });
    expect([c.repository, [...c.unknown], [...c.malformed]]).toEqual(["a/b", ["branch"], ["baseDirectory"]]);
    expect(readVcsConnector(null).unknown.size).toBe(0);
    expect([VCS_PROVIDER_TYPE, VCS_CONNECTOR_TYPE]).toEqual([
      "pulumi-nodejs:dynamic/bytebase:VcsProvider",
      "pulumi-nodejs:dynamic/bytebase:VcsConnector",
    ]);
  });
});

describe("readGitOpsProvider", () => {
  it("reads known, unknown and malformed props without throwing", () => {
    const view = readGitOpsProvider({ type: "GITLAB", scopes: ["api", 3], instanceUrl: UNKNOWN, title: 7 });
    expect(view.type).toBe("GITLAB");
    expect(view.scopes).toBeUndefined();
    expect([...view.malformed].sort()).toEqual(["scopes", "title"]);
    expect([...view.unknown]).toEqual(["instanceUrl"]);
    expect(readGitOpsProvider(null).unknown.size).toBe(0);
    expect(GITOPS_PROVIDER_TYPE).toBe("pulumi-nodejs:dynamic/bytebase:GitOpsProvider");
  });
});
