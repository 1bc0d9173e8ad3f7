// gitops-identity-issuer: a WorkloadIdentity's issuer is https and its provider's: GitHub Actions' for GITHUB, one of
// the allowed GitLab instances for GITLAB (gitlab.com by default; add a self-managed instance to the setting).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { CI_ISSUERS } from "../../../ci/subject";
import { policySettings, stringList, type PolicyArgs, type SettingSpecs } from "../../config";
import { forWorkloadIdentities, resourceViolation } from "../../report";

export const IDENTITY_ISSUER = "gitops-identity-issuer";

export interface IdentityIssuerSettings {
  /** The GitLab issuers a GITLAB identity may trust (default `https://gitlab.com`). */
  gitlabIssuers?: string[];
}

const SPECS: SettingSpecs<IdentityIssuerSettings> = {
  gitlabIssuers: {
    ...stringList(
      "The GitLab issuers (instance URLs) a GITLAB WorkloadIdentity may trust, e.g. a self-managed instance.",
    ),
    defaultValue: [CI_ISSUERS.GITLAB],
  },
};

export function identityIssuerPolicy(args?: PolicyArgs<IdentityIssuerSettings>): ResourceValidationPolicy {
  const settings = policySettings(IDENTITY_ISSUER, SPECS, args, "mandatory");
  return {
    name: IDENTITY_ISSUER,
    description:
      "A WorkloadIdentity trusts its provider's https issuer (GitHub Actions', or an allowed GitLab instance).",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: forWorkloadIdentities((wi, args, report) => {
      const { gitlabIssuers } = settings.at(args);
      if (!wi.provider || wi.unknown.has("issuerUrl")) return;
      const issuer = wi.issuerUrl ?? CI_ISSUERS[wi.provider];
      const allowed = wi.provider === "GITHUB" ? [CI_ISSUERS.GITHUB] : gitlabIssuers;
      if (allowed.includes(issuer)) return;
      const https = issuer.startsWith("https://");
      report(
        resourceViolation(
          "WorkloadIdentity",
          args.name,
          wi.provider,
          "issuerUrl",
          https
            ? `('${issuer}') is not ${wi.provider === "GITHUB" ? "GitHub Actions' issuer" : `an allowed GitLab issuer (${allowed.join(", ")})`}: whoever runs that issuer mints the tokens this identity trusts`
            : `('${issuer}') is not https: Bytebase refuses to fetch its keys (jwks.go@3.21.1), so no job signs in`,
          wi.provider === "GITHUB"
            ? `leave 'issuerUrl' out (default ${CI_ISSUERS.GITHUB})`
            : `set 'issuerUrl' to your GitLab instance's https URL and add it to the setting 'gitlabIssuers' of ${IDENTITY_ISSUER}`,
        ),
      );
    }),
  };
}
