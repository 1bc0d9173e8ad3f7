// gitops-instance-url through @pulumi/policy's analyze RPC: https URLs (a path only for self-managed GitLab or
// GitHub Enterprise), canonical cloud URLs, allowed URLs.
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

    // Bytebase keeps the path (TrimRight(url, "/"), externalvs_service.go@2.14.0) and appends /api/v3, /api/v4 and
    // the token path to it: a GitLab under a relative URL root or a GitHub Enterprise behind a path works.
    it("passes a self-managed instance served under a path, but not a path on the cloud host", async () => {
      expect(
        await analyze(policies, provider(type, { instanceUrl: "https://git.example.com/gitlab/" })),
      ).toEqual([]);
      const cloud = await analyze(
        policies,
        provider(type, { instanceUrl: `${spec.defaultInstanceUrl}/acme` }),
      );
      expect(cloud.map((d) => d.message)).toEqual([expect.stringContaining("at its root")]);
      const query = await analyze(
        policies,
        provider(type, { instanceUrl: "https://git.example.com/gitlab?x" }),
      );
      expect(query.map((d) => d.message)).toEqual([expect.stringContaining("query")]);
      const strict = [
        instanceUrlPolicy({ allowedInstanceUrls: { [type]: ["https://git.example.com/gitlab"] } }),
      ];
      expect(
        await analyze(strict, provider(type, { instanceUrl: "https://git.example.com/gitlab/" })),
      ).toEqual([]);
      expect(await analyze(strict, provider(type, { instanceUrl: "https://git.example.com" }))).not.toEqual(
        [],
      );
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
