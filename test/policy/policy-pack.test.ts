// The ready pack in examples/policy-pack started for real (cmd/run-policy-pack) and driven over gRPC as the
// Pulumi CLI drives it: GetAnalyzerInfo, Configure with the example config, Analyze, AnalyzeStack.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../scripts/demo/examples";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GITOPS_POLICY_NAMES } from "../../src/policy";
import { startPolicyPack, type PolicyPack } from "../engine";
import { asAnalyzed, urnOf, type TestResource } from "./harness";
import { azureSecret, provider } from "./fixtures";
import { vcsConnector, vcsProvider, vcsProviderState } from "./vcs-fixtures";

const packDir = join(repoRoot, "examples/policy-pack");
const configFile = join(packDir, "policy-config.json");

let pack: PolicyPack;
let info: analyzerPb.AnalyzerInfo;

const analyze = (r: TestResource) => pack.analyze(asAnalyzed(r));
const analyzeStack = (rs: TestResource[]) => pack.analyzeStack(rs.map(asAnalyzed));

beforeAll(async () => {
  if (!existsSync(join(repoRoot, "dist/policy/index.js")))
    throw new Error("dist/policy is missing: run `npx tsc -p tsconfig.build.json` before this test");
  pack = await startPolicyPack({ dir: packDir });
  info = pack.info;
}, 180_000); // the pack's TypeScript compiled at its start: slow on a loaded machine

afterAll(() => pack?.close());

describe("examples/policy-pack served by run-policy-pack", () => {
  it("lists every policy with its level and settings schema", () => {
    expect(info.getName()).toBe("gitops-guard");
    const policies = Object.fromEntries(info.getPoliciesList().map((p) => [p.getName(), p]));
    expect(Object.keys(policies).sort()).toEqual([...GITOPS_POLICY_NAMES].sort());
    const schema = (name: string) => policies[name]!.getConfigschema()?.getProperties()?.toJavaScript();
    expect(schema("gitops-secret-expiry")).toEqual({
      minDaysRemaining: expect.objectContaining({ type: "integer", minimum: 0, default: 14 }),
    });
    expect(schema("gitops-callback-url")).toEqual({
      allowedHosts: expect.objectContaining({ type: "array", default: [] }),
    });
    expect(Object.keys(schema("gitops-least-privilege") ?? {})).toEqual([
      "allowedExtraScopes",
      "allowedExtraScopesByType",
    ]);
    expect(policies["gitops-unique-providers"]!.getPolicyType()).toBe(
      analyzerPb.PolicyType.POLICY_TYPE_STACK,
    );
    expect(policies["gitops-required-scopes"]!.getEnforcementlevel()).toBe(
      analyzerPb.EnforcementLevel.MANDATORY,
    );
    expect(policies["gitops-least-privilege"]!.getEnforcementlevel()).toBe(
      analyzerPb.EnforcementLevel.ADVISORY,
    );
    expect(schema("gitops-connector-branch")).toEqual({
      allowedBranches: expect.objectContaining({
        type: "array",
        default: ["main", "master", "release-*", "release/*"],
      }),
    });
    expect(schema("gitops-unique-connectors") ?? {}).toEqual({});
    expect(policies["gitops-token-expiry"]!.getPolicyType()).toBe(analyzerPb.PolicyType.POLICY_TYPE_STACK);
  });

  it("checks VcsProviders and VcsConnectors with the built-in defaults", async () => {
    expect(await analyze(vcsProvider("GITHUB"))).toEqual([]);
    expect(await analyze(vcsConnector())).toEqual([]);
    const develop = await analyze(vcsConnector({ branch: "develop", baseDirectory: undefined }));
    expect(develop.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["gitops-connector-branch", "mandatory"],
      ["gitops-connector-base-directory", "mandatory"],
    ]);
    const noPermissions = await analyze(vcsProvider("GITLAB", { permissions: undefined }));
    expect(noPermissions.map((d) => d.policyName)).toEqual(["gitops-token-permissions"]);
  });

  it("applies the built-in defaults before it is configured", async () => {
    const github = provider("GITHUB", { scopes: ["repo", "workflow", "read:org"] });
    expect((await analyze(github)).map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["gitops-least-privilege", "advisory"],
    ]);
    expect(await analyze(provider("AZURE_DEVOPS", { secret: azureSecret(18) }))).toEqual([]);
    expect(await analyze(provider("GITLAB"))).toEqual([]);
  });

  it("applies the example policy-config.json", async () => {
    await pack.configure(JSON.parse(readFileSync(configFile, "utf8")) as Record<string, unknown>);
    expect(await analyze(provider("GITHUB", { scopes: ["repo", "workflow", "read:org"] }))).toEqual([]);
    const azure = await analyze(provider("AZURE_DEVOPS", { secret: azureSecret(18) }));
    expect(azure.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["gitops-secret-expiry", "mandatory"],
    ]);
    expect(azure[0]!.message).toContain("less than 21");
    const gitlab = await analyze(
      provider("GITLAB", { callbackUrl: "https://other.example.net/oauth/callback" }),
    );
    expect(gitlab.map((d) => d.policyName).sort()).toEqual(["gitops-callback-url", "gitops-instance-url"]);
    expect(await analyze(provider("GITLAB", { instanceUrl: "https://gitlab.example.com" }))).toEqual([]);
    expect(await analyze(vcsConnector({ branch: "release/1.0" }))).toEqual([]);
    const develop = await analyze(vcsConnector({ branch: "develop", baseDirectory: "" }));
    expect(develop.map((d) => d.policyName)).toEqual([
      "gitops-connector-branch",
      "gitops-connector-base-directory",
    ]);
    const extra = ["metadata:read", "contents:write", "pull_requests:write", "repository_hooks:write"];
    expect(await analyze(vcsProvider("GITHUB", { permissions: extra }))).toEqual([]);
  });

  it("analyzes the stack", async () => {
    const a = provider("BITBUCKET", {}, "a");
    const b = provider("BITBUCKET", {}, "b");
    const ds = await analyzeStack([a, b, provider("GITHUB", {}, "c")]);
    expect(ds.map((d) => [d.policyName, d.enforcementLevel, d.urn])).toEqual([
      ["gitops-unique-providers", "mandatory", urnOf(b)],
    ]);
    expect(ds[0]!.message).toContain("Key aB3dE5fG7hJ9kL1mN2");
    const tokens = await analyzeStack([
      vcsProviderState("GITLAB", 18, "gl"),
      vcsProviderState("GITHUB", 60, "gh"),
    ]);
    expect(tokens.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["gitops-token-expiry", "advisory"],
    ]);
    expect(tokens[0]!.message).toContain("less than 21");
    const twice = await analyzeStack([vcsConnector({}, "a"), vcsConnector({ resourceId: "b" }, "b")]);
    expect(twice.map((d) => d.policyName)).toEqual(["gitops-unique-connectors"]);
  });
});
