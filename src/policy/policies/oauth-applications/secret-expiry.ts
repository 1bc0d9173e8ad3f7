// gitops-secret-expiry: an Azure DevOps Client Secret (a JWT) that has expired, expires soon, or belongs
// to another app. Reads only the secret's claims; never prints the secret.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { nonNegativeInteger, policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { forGitOpsProviders, violation } from "../../report";

export const SECRET_EXPIRY = "gitops-secret-expiry";

export interface SecretExpirySettings {
  /** Report a Client Secret that expires within this many days (default 14). */
  minDaysRemaining?: number;
}

const SPECS: SettingSpecs<SecretExpirySettings> = {
  minDaysRemaining: nonNegativeInteger(
    "Report an Azure DevOps Client Secret that expires within this many days.",
    14,
  ),
};

const DAY_MS = 24 * 60 * 60 * 1000;

export function secretExpiryPolicy(args?: PolicyArgs<SecretExpirySettings>): ResourceValidationPolicy {
  const settings = policySettings(SECRET_EXPIRY, SPECS, args, "advisory");
  return {
    name: SECRET_EXPIRY,
    description: "An Azure DevOps Client Secret is the app's own and does not expire soon.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: forGitOpsProviders((p, args, report) => {
      const { spec } = p;
      if (!spec.secretExpiry || p.secret === undefined) return;
      const names = spec.credentialNames;
      // Not this app's Client Secret (read offline, as `check` does): copy the right one.
      const copy = `copy the ${names.secret} shown on ${spec.appUi.appPage} into 'secret'`;
      for (const issue of spec.checkCredentials(p.applicationId ?? "", p.secret))
        if (issue.property === "secret") report(violation(args.name, spec, "secret", issue.reason, copy));
      const exp = spec.secretExpiry(p.secret);
      if (exp === undefined) return;
      const renew = `create a new ${names.secret} on ${spec.appUi.appPage} and set 'secret' to it`;
      const expiresAt = exp * 1000;
      const date = new Date(expiresAt).toISOString();
      const left = (expiresAt - Date.now()) / DAY_MS;
      const { minDaysRemaining } = settings.at(args);
      if (left <= 0)
        report(violation(args.name, spec, "secret", `is a ${names.secret} that expired at ${date}`, renew));
      else if (left < minDaysRemaining)
        report(
          violation(
            args.name,
            spec,
            "secret",
            `is a ${names.secret} that expires at ${date}, in ${Math.ceil(left)} day(s) (less than ${minDaysRemaining})`,
            `${renew} before it expires`,
          ),
        );
    }),
  };
}
