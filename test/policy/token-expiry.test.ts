// gitops-token-expiry through @pulumi/policy's analyze-stack RPC: the `verification.tokenExpiresAt` output of each
// VcsProvider (stack policies see outputs; resource policies see inputs only).
import { describe, expect, it } from "vitest";
import { tokenExpiryPolicy } from "../../src/policy";
import { analyzeStack, urnOf } from "./harness";
import { TYPES, UNKNOWN } from "./fixtures";
import { vcsProviderState } from "./vcs-fixtures";

const policies = [tokenExpiryPolicy()];

describe.each(TYPES)("gitops-token-expiry for %s", (type) => {
  it("passes a token with time left, and one the Git provider gave no expiry for", async () => {
    expect(
      await analyzeStack(policies, [vcsProviderState(type, 60), vcsProviderState(type, undefined, "b")]),
    ).toEqual([]);
  });

  it.each([
    [5, "that expires at", "in 5 day(s) (less than 14)"],
    [-3, "that expired at", "GitOps stops"],
  ])(
    "reports a token %s days from expiry, advisory, at its URN, without the token",
    async (days, says, more) => {
      const state = vcsProviderState(type, days, "vp");
      const ds = await analyzeStack(policies, [vcsProviderState(type, 60, "ok"), state]);
      expect(ds).toHaveLength(1);
      expect(ds[0]).toMatchObject({
        policyName: "gitops-token-expiry",
        enforcementLevel: "advisory",
        urn: urnOf(state),
      });
      for (const words of [says, more, "VcsProvider 'vp'", "'accessToken'", "make a new"])
        expect(ds[0]!.message).toContain(words);
      expect(ds[0]!.message).not.toContain("token-value-never-printed");
    },
  );

  it("uses minDaysRemaining", async () => {
    expect(
      await analyzeStack([tokenExpiryPolicy({ minDaysRemaining: 90 })], [vcsProviderState(type, 60)]),
    ).toHaveLength(1);
    expect(
      await analyzeStack([tokenExpiryPolicy({ minDaysRemaining: 0 })], [vcsProviderState(type, 1)]),
    ).toEqual([]);
  });

  it("skips a verification unknown during preview or junk, and other resource types", async () => {
    const unknown = vcsProviderState(type, 1);
    unknown.props.verification = UNKNOWN;
    const junk = vcsProviderState(type, 1, "j");
    junk.props.verification = { tokenExpiresAt: "soon" };
    const other = { ...vcsProviderState(type, 1, "o"), type: "pulumi-nodejs:dynamic:Resource" };
    expect(await analyzeStack(policies, [unknown, junk, other])).toEqual([]);
  });
});
