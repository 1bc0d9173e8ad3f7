// gitops-unique-connectors through @pulumi/policy's analyze-stack RPC: one id per project, one connector per
// repository, branch and base directory.
import { expect, it } from "vitest";
import { uniqueConnectorsPolicy } from "../../src/policy";
import { analyzeStack, urnOf } from "./harness";
import { UNKNOWN } from "./fixtures";
import { vcsConnector } from "./vcs-fixtures";

const policies = [uniqueConnectorsPolicy()];

it("passes connectors with their own ids and their own directories or branches", async () => {
  const a = vcsConnector({}, "a");
  const b = vcsConnector({ resourceId: "b", baseDirectory: "/other" }, "b");
  const c = vcsConnector({ resourceId: "c", branch: "release-1" }, "c");
  const d = vcsConnector({ project: "projects/other", vcsProvider: "github-main" }, "d");
  expect(await analyzeStack(policies, [a, b, c, d])).toEqual([]);
});

it("reports the second connector with one id in one project (`projects/x` or `x`)", async () => {
  const a = vcsConnector({}, "a");
  const b = vcsConnector({ project: "platform", baseDirectory: "/other" }, "b");
  const ds = await analyzeStack(policies, [a, b]);
  expect(ds).toHaveLength(1);
  expect(ds[0]).toMatchObject({
    policyName: "gitops-unique-connectors",
    enforcementLevel: "mandatory",
    urn: urnOf(b),
  });
  expect(ds[0]!.message).toContain("VcsConnector 'b' (platform/db): 'resourceId' repeats VcsConnector 'a'");
  expect(ds[0]!.message).toContain("projects/platform/vcsConnectors/platform-db");
});

it("reports two connectors watching one repository, branch and directory, across projects", async () => {
  const a = vcsConnector({}, "a");
  const b = vcsConnector(
    { project: "projects/other", resourceId: "x", vcsProvider: "gitlab-main", baseDirectory: "migrations/" },
    "b",
  );
  const ds = await analyzeStack(policies, [a, b]);
  expect(ds.map((d) => [d.urn, d.message])).toEqual([
    [
      urnOf(b),
      expect.stringContaining("'baseDirectory' repeats VcsConnector 'a': both watch platform/db branch main"),
    ],
  ]);
  expect(ds[0]!.message).toContain("planned, and each merge rolled out, twice");
});

it("skips unknown values and other resource types", async () => {
  const a = vcsConnector({}, "a");
  const b = vcsConnector({ resourceId: UNKNOWN, repository: UNKNOWN }, "b");
  const c = { ...vcsConnector({}, "c"), type: "pulumi-nodejs:dynamic:Resource" };
  expect(await analyzeStack(policies, [a, b, c])).toEqual([]);
});
