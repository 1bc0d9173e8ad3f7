// gitops-connector-branch through @pulumi/policy's analyze RPC: protected-branch patterns (globs and /regex/), and
// branch names Bytebase can match.
import { describe, expect, it } from "vitest";
import { connectorBranchPolicy } from "../../src/policy";
import { analyze } from "./harness";
import { UNKNOWN } from "./fixtures";
import { vcsConnector } from "./vcs-fixtures";

const policies = [connectorBranchPolicy()];
const messages = async (branch: unknown, p = policies) =>
  (await analyze(p, vcsConnector({ branch }))).map((d) => d.message);

describe("gitops-connector-branch", () => {
  it.each(["main", "master", "release-2.4", "release/2026.12"])(
    "passes the default protected branch %s",
    async (b) => {
      expect(await messages(b)).toEqual([]);
    },
  );

  it.each(["develop", "feature/x", "release/a/b", "mainline"])(
    "reports %s, outside the default patterns, at mandatory",
    async (branch) => {
      const ds = await analyze(policies, vcsConnector({ branch }, "conn"));
      expect(ds).toHaveLength(1);
      expect(ds[0]).toMatchObject({ policyName: "gitops-connector-branch", enforcementLevel: "mandatory" });
      expect(ds[0]!.message).toContain("VcsConnector 'conn' (platform/db): 'branch'");
      expect(ds[0]!.message).toContain(
        "matches none of the allowed branches (main, master, release-*, release/*)",
      );
      expect(ds[0]!.message).toContain("'allowedBranches' of gitops-connector-branch");
    },
  );

  it("takes its own patterns: globs, ** and whole-name regular expressions; empty allows any", async () => {
    const own = [connectorBranchPolicy({ allowedBranches: ["prod", "env/**", "/hotfix-\\d+/"] })];
    for (const ok of ["prod", "env/eu/west", "hotfix-12"]) expect(await messages(ok, own)).toEqual([]);
    for (const bad of ["main", "hotfix-12a", "xhotfix-1", "envy"])
      expect(await messages(bad, own)).toHaveLength(1);
    expect(await messages("anything", [connectorBranchPolicy({ allowedBranches: [] })])).toEqual([]);
    // An invalid regular expression fails the analysis (invalid-setting.test.ts), it does not just match nothing.
    await expect(messages("main", [connectorBranchPolicy({ allowedBranches: ["/(/"] })])).rejects.toThrow(
      'allowedBranches: "/(/" is not a valid regular expression',
    );
  });

  it.each([
    ["refs/heads/main", "is a full ref", "(use 'main')"],
    ["release-*", "a pattern matches nothing", ""],
    ["main branch", "Git refuses", ""],
    [" main", "whitespace", ""],
    ["release/../main", "'..'", ""],
    ["release/", "ends with '/'", ""],
    ["main.lock", "'.lock'", ""],
  ])("reports %j, which Bytebase never matches, before the patterns", async (branch, says, more) => {
    const ds = await messages(branch, [connectorBranchPolicy({ allowedBranches: ["**"] })]);
    expect(ds).toEqual([expect.stringContaining(says)]);
    expect(ds[0]).toContain(more);
  });

  it("reports a branch that is not a string, skips an unknown or missing one, ignores other types", async () => {
    expect(await messages(7)).toEqual([expect.stringContaining("must be a branch name")]);
    expect(await messages("")).toEqual([expect.stringContaining("must be a branch name")]);
    expect(await messages(UNKNOWN)).toEqual([]);
    expect(await analyze(policies, vcsConnector({ branch: undefined }))).toEqual([]);
    const other = { ...vcsConnector({ branch: "develop" }), type: "pulumi-nodejs:dynamic:Resource" };
    expect(await analyze(policies, other)).toEqual([]);
  });

  it("honours the enforcement level it is given", async () => {
    const ds = await analyze([connectorBranchPolicy("advisory")], vcsConnector({ branch: "develop" }));
    expect(ds.map((d) => d.enforcementLevel)).toEqual(["advisory"]);
    const level = await analyze(
      [connectorBranchPolicy("disabled")], // `develop` is outside the default branches: only the level silences it
      vcsConnector({ branch: "develop" }),
    );
    expect(level).toEqual([]);
  });
});
