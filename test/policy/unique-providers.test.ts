// gitops-unique-providers through @pulumi/policy's analyze-stack RPC: duplicate OAuth apps, one console per stack,
// one VcsProvider per resource id and console.
import { describe, expect, it } from "vitest";
import { uniqueProvidersPolicy } from "../../src/policy";
import { CATALOG } from "../../src/catalog";
import { analyzeStack, urnOf } from "./harness";
import { provider, TYPES, UNKNOWN } from "./fixtures";
import { vcsProvider, vcsProviderState } from "./vcs-fixtures";

const policies = [uniqueProvidersPolicy()];

describe.each(TYPES)("gitops-unique-providers for %s", (type) => {
  it("passes distinct providers pointing at one console", async () => {
    const a = provider(type, {}, "a");
    const b = provider(type, { applicationId: `${String(provider(type).props.applicationId)}x` }, "b");
    expect(await analyzeStack(policies, [a, b])).toEqual([]);
  });

  it("reports the second of two providers for one OAuth app on one instance", async () => {
    const a = provider(type, { instanceUrl: undefined }, "a");
    const b = provider(type, { instanceUrl: `${CATALOG[type].defaultInstanceUrl}/` }, "b");
    const ds = await analyzeStack(policies, [a, b]);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({
      policyName: "gitops-unique-providers",
      enforcementLevel: "mandatory",
      urn: urnOf(b),
    });
    expect(ds[0]!.message).toContain("GitOpsProvider 'b'");
    expect(ds[0]!.message).toContain("repeats GitOpsProvider 'a'");
  });

  it("reports callbacks that point at another console", async () => {
    const a = provider(type, {}, "a");
    const b = provider(
      type,
      { applicationId: "other", callbackUrl: "https://bytebase.example.com/x/oauth/callback" },
      "b",
    );
    const ds = await analyzeStack(policies, [a, b]);
    expect(ds.map((d) => [d.urn, d.message])).toEqual([
      [
        urnOf(b),
        expect.stringContaining(
          "points at the console https://bytebase.example.com/x, but GitOpsProvider 'a'",
        ),
      ],
    ]);
    expect(await analyzeStack([uniqueProvidersPolicy({ singleConsole: false })], [a, b])).toEqual([]);
  });

  it("skips unknown values and other resource types", async () => {
    const a = provider(type, {}, "a");
    const b = provider(type, { applicationId: UNKNOWN, callbackUrl: UNKNOWN }, "b");
    const c = { ...provider(type, {}, "c"), type: "pulumi-nodejs:dynamic:Resource" };
    expect(await analyzeStack(policies, [a, b, c])).toEqual([]);
  });
});

it("tells providers of different types or instances apart", async () => {
  const gh = provider("GITHUB", {}, "gh");
  const ghe = provider("GITHUB", { instanceUrl: "https://github.example.com" }, "ghe");
  expect(await analyzeStack(policies, [gh, ghe])).toEqual([]);
  const trailing = provider("GITHUB", { instanceUrl: "https://GitHub.com/" }, "gh2");
  expect(await analyzeStack(policies, [gh, trailing])).toHaveLength(1);
});

describe("gitops-unique-providers for VcsProviders", () => {
  it("reports the second VcsProvider with one resource id in one console", async () => {
    const a = vcsProvider("GITLAB", {}, "a");
    const b = vcsProvider("GITLAB", { title: "Other" }, "b");
    const ds = await analyzeStack(policies, [a, b]);
    expect(ds.map((d) => [d.urn, d.message])).toEqual([
      [urnOf(b), expect.stringContaining("VcsProvider 'b' (GitLab): 'resourceId' repeats VcsProvider 'a'")],
    ]);
    expect(ds[0]!.message).not.toContain("token-value-never-printed");
  });

  it("passes one id in two consoles, distinct ids, and unknown ids", async () => {
    const a = vcsProviderState("GITLAB", 30, "a");
    const b = { ...vcsProviderState("GITLAB", 30, "b") };
    b.props = { ...b.props, consoleUrl: "https://bytebase-eu.example.com" };
    const c = vcsProvider("GITLAB", { resourceId: "gitlab-other" }, "c");
    const d = vcsProvider("GITLAB", { resourceId: UNKNOWN }, "d");
    expect(await analyzeStack(policies, [a, b, c, d])).toEqual([]);
    const e = vcsProvider("GITLAB", { connection: { url: "https://bytebase.example.com/" } }, "e");
    expect((await analyzeStack(policies, [a, e])).map((x) => x.urn)).toEqual([urnOf(e)]);
  });
});
