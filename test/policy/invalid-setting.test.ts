// A setting no JSON schema can check (an invalid `/regex/`) through the real paths: @pulumi/policy's analyzer, the
// ready pack served by run-policy-pack, and a `pulumi preview --policy-pack-config` of a program on the test engine,
// where it fails the run once, naming the pack, the policy, the setting, the expression and why.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/demo/examples";
import {
  connectorBaseDirectoryPolicy,
  connectorBranchPolicy,
  connectorDatabaseGroupPolicy,
  gitopsGuardPolicies,
} from "../../src/policy";
import { LocalStack, startPolicyPack } from "../engine";
import { analyze, asAnalyzed } from "./harness";
import { provider } from "./fixtures";
import { vcsConnector } from "./vcs-fixtures";

const packDir = join(repoRoot, "examples/policy-pack");
const REASON = "Unterminated character class";

describe("an invalid /regex/ in a setting", () => {
  it("fails the analysis naming the pack, the policy, the setting, the expression and why", async () => {
    const run = analyze([connectorBranchPolicy({ allowedBranches: ["main", "/[a-/"] })], vcsConnector());
    await expect(run).rejects.toThrow(
      "Error validating resource with policy 'gitops-connector-branch' from policy pack 'gitops-guard-test@v0.0.1':\n" +
        `invalid policy config: gitops-connector-branch: allowedBranches: "/[a-/" is not a valid regular expression (${REASON})`,
    );
    // The analyzer quotes the error's stack: no frames, only the message.
    await expect(run).rejects.toThrow(/Fix: correct it in the --policy-pack-config file[^\n]*$/);
  });

  it.each([
    ["gitops-connector-base-directory", connectorBaseDirectoryPolicy({ allowedBaseDirectories: ["/db/(/"] })],
    ["gitops-connector-database-group", connectorDatabaseGroupPolicy({ allowedDatabaseGroups: ["/*/"] })],
  ])("%s fails the same way, for any connector, before reading it", async (name, policy) => {
    const junk = { ...vcsConnector(), props: { branch: 7 } };
    await expect(analyze([policy], junk)).rejects.toThrow(`invalid policy config: ${name}: `);
  });

  it("refuses an expression valid only inside the whole-name anchors, and each bad one is named", async () => {
    const policy = connectorBranchPolicy({ allowedBranches: ["/a)|(b/", "/hotfix-\\d+/", "/x{2,1}/"] });
    const error = await analyze([policy], vcsConnector()).catch((e: Error) => e);
    expect((error as Error).message).toContain(`"/a)|(b/" is not a valid regular expression (Unmatched ')')`);
    expect((error as Error).message).toContain(
      `; allowedBranches: "/x{2,1}/" is not a valid regular expression`,
    );
    expect((error as Error).message).not.toContain("hotfix");
  });

  it("leaves valid expressions, globs and other resources alone", async () => {
    const policies = gitopsGuardPolicies({ "gitops-connector-branch": { allowedBranches: ["/[a-/"] } });
    expect(await analyze(policies, provider("GITLAB"))).toEqual([]);
    const fine = [connectorBranchPolicy({ allowedBranches: ["/release\\/\\d+/", "[main]", "ma?n"] })];
    expect(await analyze(fine, vcsConnector({ branch: "release/7" }))).toEqual([]);
  });

  it("fails the ready pack's Analyze when --policy-pack-config brings it, over what the code set", async () => {
    const pack = await startPolicyPack({
      dir: packDir,
      config: { "gitops-connector-database-group": { allowedDatabaseGroups: ["/(/"] } },
    });
    try {
      await expect(pack.analyze(asAnalyzed(vcsConnector()))).rejects.toThrow(
        /policy 'gitops-connector-database-group' from policy pack 'gitops-guard@v[^']+':\ninvalid policy config: gitops-connector-database-group: allowedDatabaseGroups: "\/\(\/" is not a valid regular expression \(Unterminated group\)/,
      );
      expect(await pack.analyze(asAnalyzed(provider("GITLAB")))).toEqual([]);
    } finally {
      pack.close();
    }
  });
});

describe("pulumi preview with an invalid /regex/ in --policy-pack-config", { timeout: 180_000 }, () => {
  let dir: string;
  beforeAll(() => {
    const cacheDir = join(repoRoot, ".cache", "harness-tests");
    mkdirSync(cacheDir, { recursive: true });
    dir = mkdtempSync(join(cacheDir, "invalid-setting-"));
    writeFileSync(
      join(dir, "index.js"),
      `const { VcsConnector } = require("pulumi-bytebase-gitops");
for (const name of ["a", "b", "c"])
  new VcsConnector(name, {
    project: "payments", resourceId: name, vcsProvider: "gh", repository: "platform/" + name,
    branch: "main", baseDirectory: "migrations", databaseGroup: "all",
  });
`,
    );
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "invalid-setting", main: "index.js" }));
    writeFileSync(
      join(dir, "policy-config.json"),
      JSON.stringify({ "gitops-connector-branch": { allowedBranches: ["main", "/[a-/"] } }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("fails once, at the first connector, and nothing after it is planned", async () => {
    const stack = new LocalStack({
      programDir: dir,
      project: "p",
      stack: "dev",
      config: { "bytebase:url": "http://127.0.0.1:1", "bytebase:serviceAccount": "ci@service.bytebase.com" },
      stateFile: join(dir, "state.json"),
      passphrase: "pass",
      policyPacks: [{ dir: packDir, configFile: join(dir, "policy-config.json") }],
    });
    const run = await stack.preview();
    expect(run.ok).toBe(false);
    // The program's own errors for its canceled registrations are not shown (the CLI has canceled it).
    const errors = run.diagnostics.filter((d) => d.startsWith("error: urn:"));
    expect(errors).toHaveLength(1);
    expect(run.diagnostics.filter((d) => d.includes("invalid policy config"))).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^error: urn:pulumi:dev::p::pulumi-nodejs:dynamic\/bytebase:VcsConnector::[abc]: failed to run policy: Error validating resource with policy 'gitops-connector-branch' from policy pack 'gitops-guard@v[^']+':\ninvalid policy config: gitops-connector-branch: allowedBranches: "\/\[a-\/" is not a valid regular expression \(Unterminated character class\)/,
    );
    expect(errors[0]).not.toMatch(/\n\s+at /);
    expect(run.violations).toEqual([]);
    expect(run.steps).toEqual([]);
  });
});
