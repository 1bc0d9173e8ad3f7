// gitops-connector-base-directory through @pulumi/policy's analyze RPC: set, in a form Bytebase matches, allowed.
import { describe, expect, it } from "vitest";
import { connectorBaseDirectoryPolicy } from "../../src/policy";
import { analyze } from "./harness";
import { UNKNOWN } from "./fixtures";
import { vcsConnector } from "./vcs-fixtures";

const policies = [connectorBaseDirectoryPolicy()];
const messages = async (baseDirectory: unknown, p = policies) =>
  (await analyze(p, vcsConnector({ baseDirectory }))).map((d) => d.message);

describe("gitops-connector-base-directory", () => {
  it.each(["/migrations", "migrations", "db/migrations", "/db/prod/"])("passes %s", async (dir) => {
    expect(await messages(dir)).toEqual([]);
  });

  it.each([undefined, "", "/", "//"])(
    "reports %j (no base directory), at mandatory",
    async (baseDirectory) => {
      const ds = await analyze(policies, vcsConnector({ baseDirectory }, "conn"));
      expect(ds).toHaveLength(1);
      expect(ds[0]).toMatchObject({
        policyName: "gitops-connector-base-directory",
        enforcementLevel: "mandatory",
      });
      expect(ds[0]!.message).toContain("VcsConnector 'conn' (platform/db): 'baseDirectory'");
      expect(ds[0]!.message).toContain("Bytebase 2.15 matches no file");
      expect(ds[0]!.message).toContain("'/migrations'");
    },
  );

  it("lets a connector without a base directory pass when requireBaseDirectory is false", async () => {
    const lax = [connectorBaseDirectoryPolicy({ requireBaseDirectory: false })];
    expect(await messages(undefined, lax)).toEqual([]);
    expect(await messages("/", lax)).toEqual([]);
  });

  it.each([
    ["./migrations", "'.' or '..' part"],
    ["db/../migrations", "'.' or '..' part"],
    ["db//migrations", "'//'"],
    ["db\\migrations", "'\\'"],
    ["migrations/*", "wildcard"],
    [" migrations", "whitespace"],
  ])("reports %j, which matches no file", async (dir, says) => {
    const ds = await messages(dir);
    expect(ds).toEqual([expect.stringContaining(says)]);
    expect(ds[0]).toContain("so it would match none");
  });

  it("checks allowedBaseDirectories (globs or /regex/, leading '/' ignored)", async () => {
    const own = [connectorBaseDirectoryPolicy({ allowedBaseDirectories: ["/db/*", "/^sql\\/[a-z]+$/"] })];
    for (const ok of ["/db/prod", "db/prod/", "sql/app"]) expect(await messages(ok, own)).toEqual([]);
    const ds = await messages("/migrations", own);
    expect(ds).toEqual([
      expect.stringContaining("matches none of the allowed directories (/db/*, /^sql\\/[a-z]+$/)"),
    ]);
    expect(await messages("/db/prod/x", own)).toHaveLength(1);
  });

  it("reports a value that is not a string, skips an unknown one, ignores other types", async () => {
    expect(await messages(["migrations"])).toEqual([expect.stringContaining("is not a string")]);
    expect(await messages(UNKNOWN)).toEqual([]);
    const other = { ...vcsConnector({ baseDirectory: undefined }), type: "pulumi-nodejs:dynamic:Resource" };
    expect(await analyze(policies, other)).toEqual([]);
  });
});
