// gitops-token-expiry (stack): a VcsProvider's access token that has expired or expires soon, as the Git provider
// told the token verification (the `verification.tokenExpiresAt` output). A stack policy because the analyzer sees
// outputs only there (AnalyzeStack gets each resource's outputs, Analyze its inputs:
// pkg/resource/deploy/analyze_snapshot.go in pulumi/pulumi). Never reads or prints the token.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { nonNegativeInteger, policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { aOrAn, knownVcsProvider, resourceViolation } from "../../report";

export const TOKEN_EXPIRY = "gitops-token-expiry";

export interface TokenExpirySettings {
  /** Report a token that expires within this many days (default 14). */
  minDaysRemaining?: number;
}

const SPECS: SettingSpecs<TokenExpirySettings> = {
  minDaysRemaining: nonNegativeInteger(
    "Report a VcsProvider whose access token expires within this many days (as the Git provider told at the last verification).",
    14,
  ),
};

const DAY_MS = 24 * 60 * 60 * 1000;

export function tokenExpiryPolicy(args?: PolicyArgs<TokenExpirySettings>): StackValidationPolicy {
  const settings = policySettings(TOKEN_EXPIRY, SPECS, args, "advisory");
  return {
    name: TOKEN_EXPIRY,
    description: "A VcsProvider's access token has not expired and does not expire soon.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateStack: (args, report) => {
      if (!Array.isArray(args.resources)) return;
      const { minDaysRemaining } = settings.at(args);
      for (const resource of args.resources as PolicyResource[]) {
        const p = resource ? knownVcsProvider(resource.type, resource.props) : undefined;
        if (!p?.tokenExpiresAt) continue;
        const expiresAt = Date.parse(p.tokenExpiresAt);
        if (Number.isNaN(expiresAt)) continue;
        const { accessToken } = p.spec;
        const date = new Date(expiresAt).toISOString();
        const left = (expiresAt - Date.now()) / DAY_MS;
        const renew = `make a new ${accessToken.term} in ${accessToken.whereToMake} and set 'accessToken' to it`;
        const say = (problem: string, fix: string) =>
          report(
            resourceViolation("VcsProvider", resource.name, p.spec.label, "accessToken", problem, fix),
            resource.urn,
          );
        if (left <= 0)
          say(
            `is ${aOrAn(accessToken.term)} that expired at ${date} (${p.spec.label} told so when it was verified); GitOps stops until it is replaced`,
            renew,
          );
        else if (left < minDaysRemaining)
          say(
            `is ${aOrAn(accessToken.term)} that expires at ${date}, in ${Math.ceil(left)} day(s) (less than ${minDaysRemaining})`,
            `${renew} before it expires`,
          );
      }
    },
  };
}
