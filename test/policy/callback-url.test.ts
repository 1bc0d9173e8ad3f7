// gitops-callback-url through @pulumi/policy's analyze RPC: well-formed console callbacks and allowed hosts.
import { describe, expect, it } from "vitest";
import { callbackUrlPolicy } from "../../src/policy";
import { analyze } from "./harness";
import { provider, TYPES, UNKNOWN } from "./fixtures";

const bad: [string, string][] = [
  ["http://bytebase.example.com/oauth/callback", "uses http"],
  ["https://bytebase.example.com/callback", "has the path '/callback'"],
  ["https://bytebase.example.com/oauth/callback?x=1", "has a query string"],
  ["https://bytebase.example.com/oauth/callback#top", "has a fragment"],
  ["https://*.example.com/oauth/callback", "wildcard"],
  ["bytebase.example.com/oauth/callback", "is not an absolute URL"],
];

describe.each(TYPES)("gitops-callback-url for %s", (type) => {
  const policies = [callbackUrlPolicy()];

  it("passes an https console callback, a loopback http one, and a console under a path", async () => {
    for (const callbackUrl of [
      "https://bytebase.example.com/oauth/callback",
      "http://127.0.0.1:8080/oauth/callback",
      "https://tools.example.com/bytebase/oauth/callback",
    ])
      expect(await analyze(policies, provider(type, { callbackUrl }))).toEqual([]);
  });

  it.each(bad)("reports %s", async (callbackUrl, says) => {
    const ds = await analyze(policies, provider(type, { callbackUrl }, "gp"));
    expect(ds.length).toBeGreaterThanOrEqual(1);
    expect(ds[0]).toMatchObject({ policyName: "gitops-callback-url", enforcementLevel: "mandatory" });
    expect(ds[0]!.message).toContain(says);
    expect(ds[0]!.message).toContain("GitOpsProvider 'gp'");
    expect(ds[0]!.message).toContain("'callbackUrl'");
  });

  it("reports user info without printing it", async () => {
    const ds = await analyze(
      policies,
      provider(type, { callbackUrl: "https://al:hunter2@x.example.com/oauth/callback" }),
    );
    expect(ds.map((d) => d.message)).toEqual([expect.stringContaining("contains user info")]);
    expect(ds[0]!.message).not.toContain("hunter2");
  });

  it("checks the host against allowedHosts", async () => {
    const strict = [callbackUrlPolicy({ allowedHosts: ["bytebase.example.com", "*.corp.example"] })];
    expect(await analyze(strict, provider(type))).toEqual([]);
    const sub = "https://bb.eu.corp.example/oauth/callback";
    expect(await analyze(strict, provider(type, { callbackUrl: sub }))).toEqual([]);
    const ds = await analyze(
      strict,
      provider(type, { callbackUrl: "https://evil.example.net/oauth/callback" }),
    );
    expect(ds.map((d) => d.message)).toEqual([
      expect.stringContaining("evil.example.net, which is not an allowed host"),
    ]);
  });

  it("skips a callback that is absent or unknown", async () => {
    expect(await analyze(policies, provider(type, { callbackUrl: undefined }))).toEqual([]);
    expect(await analyze(policies, provider(type, { callbackUrl: UNKNOWN }))).toEqual([]);
  });
});
