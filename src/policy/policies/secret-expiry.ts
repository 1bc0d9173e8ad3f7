// gitops-secret-expiry: an Azure DevOps Client Secret (a JWT) that has expired, expires soon, or belongs
// to another app. Reads only the secret's claims; never prints the secret.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { azureSecretIssues, decodeAzureClientSecret, specFor } from "../../catalog";
import {
  configSchema,
  nonNegativeInteger,
  resolveSettings,
  settingsAt,
  splitArgs,
  type PolicyArgs,
  type SettingSpecs,
} from "../config";
import { forGitOpsProviders, violation } from "../report";

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
  const { enforcementLevel, settings } = splitArgs(args, "advisory");
  const codeLevel = resolveSettings(SPECS, settings);
  return {
    name: SECRET_EXPIRY,
    description: "An Azure DevOps Client Secret is the app's own and does not expire soon.",
    enforcementLevel,
    configSchema: configSchema(SPECS, codeLevel),
    validateResource: forGitOpsProviders((p, args, report) => {
      if (p.type !== "AZURE_DEVOPS" || p.secret === undefined) return;
      const { spec } = p;
      const names = spec.credentialNames;
      const appId = p.applicationId ?? "";
      const renew = `create a new ${names.secret} on ${specFor(p.type).appUi.appPage} and set 'secret' to it`;
      for (const issue of azureSecretIssues(appId, p.secret))
        report(violation(args.name, spec, issue.property, issue.reason, renew));
      const exp = decodeAzureClientSecret(p.secret)?.exp;
      if (exp === undefined || !Number.isFinite(exp)) return;
      const expiresAt = exp * 1000;
      const date = Number.isFinite(new Date(expiresAt).getTime())
        ? new Date(expiresAt).toISOString()
        : `${exp}`;
      const left = (expiresAt - Date.now()) / DAY_MS;
      const { minDaysRemaining } = settingsAt(SPECS, codeLevel, args);
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
