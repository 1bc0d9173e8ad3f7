// gitops-secret-expiry through @pulumi/policy's analyze RPC: Azure DevOps Client Secret expiry and owner.
import { describe, expect, it } from "vitest";
import { secretExpiryPolicy } from "../../src/policy";
import { analyze } from "./harness";
import { azureSecret, provider, TYPES, UNKNOWN } from "./fixtures";

const policies = [secretExpiryPolicy()];

describe("gitops-secret-expiry for AZURE_DEVOPS", () => {
  it("passes a secret of this app with time left", async () => {
    expect(await analyze(policies, provider("AZURE_DEVOPS"))).toEqual([]);
  });

  it.each([
    [5, "expires at", "in 5 day(s) (less than 14)"],
    [-3, "expired at", "Client Secret"],
  ])("reports a secret %s days from expiry, advisory, without printing it", async (days, says, more) => {
    const secret = azureSecret(days);
    const ds = await analyze(policies, provider("AZURE_DEVOPS", { secret }, "ado"));
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ policyName: "gitops-secret-expiry", enforcementLevel: "advisory" });
    for (const words of [says, more, "GitOpsProvider 'ado'", "'secret'"])
      expect(ds[0]!.message).toContain(words);
    for (const part of secret.split(".")) expect(ds[0]!.message).not.toContain(part);
  });

  it("uses minDaysRemaining", async () => {
    const strict = [secretExpiryPolicy({ minDaysRemaining: 90 })];
    expect(await analyze(strict, provider("AZURE_DEVOPS"))).toHaveLength(1);
    expect(
      await analyze(
        [secretExpiryPolicy({ minDaysRemaining: 0 })],
        provider("AZURE_DEVOPS", { secret: azureSecret(1) }),
      ),
    ).toEqual([]);
  });

  it("reports a secret of another app, and one that is not a Client Secret", async () => {
    const other = azureSecret(60, "00000000-1111-2222-3333-444444444444");
    const ds = await analyze(policies, provider("AZURE_DEVOPS", { secret: other }));
    expect(ds.map((d) => d.message)).toEqual([expect.stringContaining("belongs to another application")]);
    const appSecret = "AppSecretThatIsNotAJwt12345";
    const ds2 = await analyze(policies, provider("AZURE_DEVOPS", { secret: appSecret }));
    expect(ds2.map((d) => d.message)).toEqual([
      expect.stringContaining("is not an Azure DevOps Client Secret"),
    ]);
    expect(ds2[0]!.message).not.toContain(appSecret);
  });

  it("skips an unknown secret", async () => {
    expect(await analyze(policies, provider("AZURE_DEVOPS", { secret: UNKNOWN }))).toEqual([]);
  });
});

describe.each(TYPES.filter((t) => t !== "AZURE_DEVOPS"))("gitops-secret-expiry for %s", (type) => {
  it("does not apply (its secrets do not expire this way)", async () => {
    expect(await analyze(policies, provider(type))).toEqual([]);
    expect(await analyze(policies, provider(type, { secret: azureSecret(-3) }))).toEqual([]);
  });
});
