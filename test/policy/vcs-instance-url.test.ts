// gitops-instance-url for VcsProviders through @pulumi/policy's analyze RPC: the same rules and settings as for
// GitOpsProviders, worded for a VcsProvider.
import { describe, expect, it } from "vitest";
import { CATALOG } from "../../src/catalog";
import { instanceUrlPolicy } from "../../src/policy";
import { analyze } from "./harness";
import { TYPES, UNKNOWN } from "./fixtures";
import { vcsProvider } from "./vcs-fixtures";

const policies = [instanceUrlPolicy()];

describe.each(TYPES)("gitops-instance-url for a %s VcsProvider", (type) => {
  const spec = CATALOG[type];

  it("passes the default and the canonical URL, skips an unknown one", async () => {
    expect(await analyze(policies, vcsProvider(type))).toEqual([]);
    expect(
      await analyze(policies, vcsProvider(type, { instanceUrl: `${spec.defaultInstanceUrl}/` })),
    ).toEqual([]);
    expect(await analyze(policies, vcsProvider(type, { instanceUrl: UNKNOWN }))).toEqual([]);
  });

  it("reports a query and user info, naming the VcsProvider, at mandatory", async () => {
    const url = spec.defaultInstanceUrl.replace("https://", "https://bot:pw@") + "?x=1";
    const ds = await analyze(policies, vcsProvider(type, { instanceUrl: url }, "vp"));
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ policyName: "gitops-instance-url", enforcementLevel: "mandatory" });
    expect(ds[0]!.message).toContain(`VcsProvider 'vp' (${spec.label}): 'instanceUrl'`);
    expect(ds[0]!.message).toContain("query string");
    expect(ds[0]!.message).not.toContain("pw@");
  });

  it("checks allowedInstanceUrls of its type, the default URL included", async () => {
    const strict = [instanceUrlPolicy({ allowedInstanceUrls: { [type]: ["https://git.example.com"] } })];
    const ds = await analyze(strict, vcsProvider(type));
    expect(ds.map((d) => d.message)).toEqual([
      expect.stringContaining(`is ${spec.defaultInstanceUrl} (the default), which is not an allowed`),
    ]);
    const allowDefault = [instanceUrlPolicy({ allowedInstanceUrls: { [type]: [spec.defaultInstanceUrl] } })];
    expect(await analyze(allowDefault, vcsProvider(type))).toEqual([]);
  });

  if (spec.cloudOnly)
    it("requires the cloud service's one URL", async () => {
      const ds = await analyze(policies, vcsProvider(type, { instanceUrl: "https://git.example.com" }));
      expect(ds.map((d) => d.message)).toEqual([
        expect.stringContaining(`one instance URL, ${spec.defaultInstanceUrl}`),
      ]);
    });
  else
    it("passes a self-managed instance under a path, reports plain http", async () => {
      expect(
        await analyze(policies, vcsProvider(type, { instanceUrl: "https://git.example.com/gitlab" })),
      ).toEqual([]);
      const ds = await analyze(policies, vcsProvider(type, { instanceUrl: "http://git.example.com" }));
      expect(ds.map((d) => d.message)).toEqual([expect.stringContaining("uses http; use https")]);
    });
});
