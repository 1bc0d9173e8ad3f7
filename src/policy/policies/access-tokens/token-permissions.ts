// gitops-token-permissions: a VcsProvider's declared `permissions` grant everything Bytebase needs of its token
// (implications applied), in the Git provider's words; names the Git provider does not know are reported too.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { describePermission, readPermissions } from "../../../catalog";
import { flag, policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { aOrAn, forVcsProviders, listing, resourceViolation } from "../../report";

export const TOKEN_PERMISSIONS = "gitops-token-permissions";

export interface TokenPermissionsSettings {
  /** Report a VcsProvider that does not declare `permissions` (default true): undeclared ones cannot be checked. */
  requireDeclaredPermissions?: boolean;
}

const SPECS: SettingSpecs<TokenPermissionsSettings> = {
  requireDeclaredPermissions: flag(
    "Report a VcsProvider without 'permissions' (the policy cannot check what is not declared).",
    true,
  ),
};

export function tokenPermissionsPolicy(
  args?: PolicyArgs<TokenPermissionsSettings>,
): ResourceValidationPolicy {
  const settings = policySettings(TOKEN_PERMISSIONS, SPECS, args, "mandatory");
  return {
    name: TOKEN_PERMISSIONS,
    description:
      "A VcsProvider's access token is declared to grant every permission the Bytebase console needs.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: forVcsProviders((p, args, report) => {
      if (p.unknown.has("permissions")) return;
      const { spec } = p;
      const kinds = spec.accessToken.kinds;
      const say = (problem: string, fix: string) =>
        report(resourceViolation("VcsProvider", args.name, spec.label, "permissions", problem, fix));
      const needs = kinds
        .map((k) => `${aOrAn(k.kind)} needs ${listing(k.required.map((n) => describePermission(k, n)))}`)
        .join("; ");
      if (p.malformed.has("permissions")) {
        say(
          "is not a list of strings",
          `list the ${kinds[0]!.term} of the ${spec.accessToken.term}, e.g. ${JSON.stringify(kinds[0]!.required)}`,
        );
        return;
      }
      if (p.permissions === undefined) {
        if (!settings.at(args).requireDeclaredPermissions) return;
        say(
          `is not declared, so what the ${spec.accessToken.term} may do cannot be checked`,
          `set 'permissions' to what the token was made with in ${spec.accessToken.whereToMake}; ${needs}`,
        );
        return;
      }
      const reading = readPermissions(kinds, p.permissions);
      const { kind } = reading;
      if (reading.unknown.length)
        say(
          `names ${listing(reading.unknown.map((n) => `'${n}'`))}, which ${reading.unknown.length > 1 ? "are" : "is"} not among the ${kind.term} of ${aOrAn(`${spec.label} ${kind.kind}`)}`,
          `use the ${kind.term} as ${spec.label} names them (e.g. ${listing(kind.required.map((n) => `'${n}'`))}), or remove ${reading.unknown.length > 1 ? "them" : "it"}`,
        );
      if (!reading.missing.length) return;
      const missing = listing(reading.missing.map((n) => describePermission(kind, n)));
      const add = `add ${listing(reading.missing.map((n) => `'${n}'`))} to 'permissions'`;
      say(
        `lacks ${missing} for ${aOrAn(kind.kind)}`,
        (kind.fixed
          ? `make a new ${kind.kind} with ${missing} in ${kind.where} (its ${kind.term} cannot be changed later), set 'accessToken' to it and ${add}`
          : `grant ${missing} to the ${kind.kind} in ${kind.where}, then ${add}`) +
          (kind.alsoNeeds ? `; Bytebase also needs ${kind.alsoNeeds}` : ""),
      );
    }),
  };
}
