// gitops-instance-url through @pulumi/policy's analyze RPC: bare https origins, canonical cloud URLs, allowed URLs.
import { describe, expect, it } from "vitest";
import { instanceUrlPolicy } from "../../src/policy";
import { CATALOG } from "../../src/catalog";
import { analyze } from "./harness";
import { provider, TYPES, UNKNOWN } from "./fixtures";

const policies = [instanceUrlPolicy()];

describe.each(TYPES)("gitops-instance-url for %s", (type) => {
  const spec = CATALOG[type];

  it("passes the default and the canonical URL with a trailing slash", async () => {
    expect(await analyze(policies, provider(type, { instanceUrl: undefined }))).toEqual([]);
    expect(await analyze(policies, provider(type, { instanceUrl: `${spec.defaultInstanceUrl}/` }))).toEqual(
      [],
    );
  });

  it("reports a path and a query", async () => {
    const ds = await analyze(
      policies,
      provider(type, { instanceUrl: `${spec.defaultInstanceUrl}/org?x=1` }, "gp"),
    );
    expect(ds.length).toBeGreaterThanOrEqual(1);
    expect(ds[0]).toMatchObject({ policyName: "gitops-instance-url", enforcementLevel: "mandatory" });
    expect(ds[0]!.message).toContain("GitOpsProvider 'gp'");
    expect(ds[0]!.message).toContain("'instanceUrl'");
  });

  it("skips an unknown instance URL", async () => {
    expect(await analyze(policies, provider(type, { instanceUrl: UNKNOWN }))).toEqual([]);
  });

  if (spec.cloudOnly) {
    it("requires the canonical URL of the cloud service", async () => {
      const ds = await analyze(policies, provider(type, { instanceUrl: "https://git.example.com" }));
      expect(ds.map((d) => d.message)).toEqual([
        expect.stringContaining(`one instance URL, ${spec.defaultInstanceUrl}`),
      ]);
    });
  } else {
    it("passes a self-hosted https origin and reports plain http", async () => {
      expect(await analyze(policies, provider(type, { instanceUrl: "https://git.example.com" }))).toEqual([]);
      const ds = await analyze(policies, provider(type, { instanceUrl: "http://git.example.com" }));
      expect(ds.map((d) => d.message)).toEqual([expect.stringContaining("uses http; use https")]);
    });

    it("checks allowedInstanceUrls of its type, the default URL included", async () => {
      const strict = [instanceUrlPolicy({ allowedInstanceUrls: { [type]: ["https://GIT.example.com/"] } })];
      expect(await analyze(strict, provider(type, { instanceUrl: "https://git.example.com" }))).toEqual([]);
      const ds = await analyze(strict, provider(type, { instanceUrl: undefined }));
      expect(ds.map((d) => d.message)).toEqual([
        expect.stringContaining("(the default), which is not an allowed"),
      ]);
      const other = [
        instanceUrlPolicy({
          allowedInstanceUrls: { [type === "GITHUB" ? "GITLAB" : "GITHUB"]: ["https://x.example.com"] },
        }),
      ];
      expect(await analyze(other, provider(type, { instanceUrl: undefined }))).toEqual([]);
    });
  }
});
