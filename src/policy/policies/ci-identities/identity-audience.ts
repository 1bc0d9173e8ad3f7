// gitops-identity-audience: a WorkloadIdentity allows at least one audience (Bytebase skips the audience check when it
// allows none, so any token of the issuer with a matching subject signs in, whatever service it was minted for).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { forWorkloadIdentities, resourceViolation } from "../../report";

export const IDENTITY_AUDIENCE = "gitops-identity-audience";

export type IdentityAudienceSettings = Record<never, never>;
const SPECS: SettingSpecs<IdentityAudienceSettings> = {};

export function identityAudiencePolicy(
  args?: PolicyArgs<IdentityAudienceSettings>,
): ResourceValidationPolicy {
  const settings = policySettings(IDENTITY_AUDIENCE, SPECS, args, "mandatory");
  return {
    name: IDENTITY_AUDIENCE,
    description:
      "A WorkloadIdentity allows at least one audience (Bytebase skips the check when none is set).",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: forWorkloadIdentities((wi, args, report) => {
      settings.at(args);
      if (wi.unknown.has("audiences") || wi.audiences === undefined) return;
      if (wi.audiences.some((a) => a.trim() !== "")) return;
      report(
        resourceViolation(
          "WorkloadIdentity",
          args.name,
          wi.provider,
          "audiences",
          "is empty: Bytebase then skips the audience check (wif.go@3.21.1), so a token the CI minted for any other service signs in too",
          `set 'audiences' to e.g. ["bytebase"] and request the token for it (gitopsWorkflow does)`,
        ),
      );
    }),
  };
}
