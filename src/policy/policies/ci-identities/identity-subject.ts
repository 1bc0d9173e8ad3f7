// gitops-identity-subject: a WorkloadIdentity's subject is set and pins one repository (no empty pattern, no '*',
// no owner-wide pattern, no prefix without a ':' boundary), and has no '*' inside (Bytebase never matches one).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { forWorkloadIdentities, resourceViolation } from "../../report";
import { scopeProblem } from "./trust";

export const IDENTITY_SUBJECT = "gitops-identity-subject";

/** No settings: only the enforcement level. */
export type IdentitySubjectSettings = Record<never, never>;
const SPECS: SettingSpecs<IdentitySubjectSettings> = {};

export function identitySubjectPolicy(args?: PolicyArgs<IdentitySubjectSettings>): ResourceValidationPolicy {
  const settings = policySettings(IDENTITY_SUBJECT, SPECS, args, "mandatory");
  return {
    name: IDENTITY_SUBJECT,
    description:
      "A WorkloadIdentity's subject pins one repository (no empty, '*', owner-wide or unbounded prefix pattern) and has no '*' inside.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: forWorkloadIdentities((wi, args, report) => {
      settings.at(args);
      if (wi.pattern === undefined || !wi.provider) return; // unknown yet, or refused by the resource's own check
      const say = (problem: string, fix: string) =>
        report(resourceViolation("WorkloadIdentity", args.name, wi.provider, "subject", problem, fix));
      const fix = `set 'subject' to { repository: "owner/repo", environment | branch | tag | pullRequest } (the exact pattern is built)`;
      if (wi.pattern.slice(0, -1).includes("*"))
        say(
          `('${wi.pattern}') has a '*' before its end: Bytebase compares such a pattern literally (wif.go@3.21.1), so no CI token ever matches it`,
          fix,
        );
      else {
        const problem = scopeProblem(wi.provider, wi.pattern);
        if (problem) say(problem, fix);
      }
    }),
  };
}
