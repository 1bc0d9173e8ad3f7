// gitops-connector-database-group through @pulumi/policy's analyze RPC: a connector names its database group (without
// one Bytebase plans each change for every database of the project), within the allowed groups.
import { describe, expect, it } from "vitest";
import { connectorDatabaseGroupPolicy } from "../../src/policy";
import { analyze } from "./harness";
import { UNKNOWN } from "./fixtures";
import { vcsConnector } from "./vcs-fixtures";

const policies = [connectorDatabaseGroupPolicy()];
const messages = async (databaseGroup: unknown, p = policies) =>
  (await analyze(p, vcsConnector({ databaseGroup }))).map((d) => d.message);

describe("gitops-connector-database-group", () => {
  it("passes a connector with a database group", async () => {
    expect(await messages("projects/platform/databaseGroups/all-dbs")).toEqual([]);
    expect(await messages("all-dbs")).toEqual([]);
  });

  it.each([undefined, "", " "])(
    "reports %j (every database of the project), at advisory",
    async (databaseGroup) => {
      const ds = await analyze(policies, vcsConnector({ databaseGroup }, "conn"));
      expect(ds).toHaveLength(1);
      expect(ds[0]).toMatchObject({
        policyName: "gitops-connector-database-group",
        enforcementLevel: "advisory",
      });
      expect(ds[0]!.message).toContain("VcsConnector 'conn' (platform/db): 'databaseGroup' is not set");
      expect(ds[0]!.message).toContain("every database of the project");
    },
  );

  it("checks allowedDatabaseGroups against the group's id", async () => {
    const own = [connectorDatabaseGroupPolicy({ allowedDatabaseGroups: ["prod-*", "/^eu-[a-z]+$/"] })];
    for (const ok of ["projects/platform/databaseGroups/prod-eu", "eu-west"])
      expect(await messages(ok, own)).toEqual([]);
    expect(await messages("projects/platform/databaseGroups/all-dbs", own)).toEqual([
      expect.stringContaining("matches none of the allowed database groups (prod-*, /^eu-[a-z]+$/)"),
    ]);
  });

  it("skips an unknown or malformed group, honours its level, ignores other types", async () => {
    expect(await messages(UNKNOWN)).toEqual([]);
    expect(await messages(5)).toEqual([]);
    expect(
      await analyze([connectorDatabaseGroupPolicy("disabled")], vcsConnector({ databaseGroup: "" })),
    ).toEqual([]);
    const mandatory = await analyze(
      [connectorDatabaseGroupPolicy("mandatory")],
      vcsConnector({ databaseGroup: "" }),
    );
    expect(mandatory.map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
    const other = { ...vcsConnector({ databaseGroup: "" }), type: "pulumi-nodejs:dynamic:Resource" };
    expect(await analyze(policies, other)).toEqual([]);
  });
});
