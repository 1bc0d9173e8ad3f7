// gitops-least-privilege: no declared scope beyond what the console needs (and what that implies),
// unless a setting allows it.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { describeScope, excessScopes } from "../../../catalog";
import {
  policySettings,
  stringList,
  stringListPerType,
  type PerType,
  type PolicyArgs,
  type SettingSpecs,
} from "../../config";
import { forGitOpsProviders, listing, violation } from "../../report";

export const LEAST_PRIVILEGE = "gitops-least-privilege";

export interface LeastPrivilegeSettings {
  /** Extra scopes allowed for every Git provider type (with what they imply). */
  allowedExtraScopes?: string[];
  /** Extra scopes allowed per Git provider type, e.g. `{ "GITHUB": ["read:org"] }`. */
  allowedExtraScopesByType?: PerType<string[]>;
}

const SPECS: SettingSpecs<LeastPrivilegeSettings> = {
  allowedExtraScopes: stringList("Scopes allowed beyond what Bytebase needs, for every Git provider type."),
  allowedExtraScopesByType: stringListPerType(
    "Scopes allowed beyond what Bytebase needs, per Git provider type (AZURE_DEVOPS, BITBUCKET, GITHUB, GITLAB).",
  ),
};

export function leastPrivilegePolicy(args?: PolicyArgs<LeastPrivilegeSettings>): ResourceValidationPolicy {
  const settings = policySettings(LEAST_PRIVILEGE, SPECS, args, "advisory");
  return {
    name: LEAST_PRIVILEGE,
    description: "A GitOpsProvider's OAuth app grants no scope beyond what the Bytebase console needs.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: forGitOpsProviders((p, args, report) => {
      if (!p.scopes) return;
      const { spec } = p;
      const config = settings.at(args);
      const allowed = [...config.allowedExtraScopes, ...(config.allowedExtraScopesByType[p.type] ?? [])];
      const excess = [...new Set(excessScopes(spec, p.scopes, allowed))];
      if (excess.length === 0) return;
      const described = excess.map((s) => describeScope(spec, s));
      const words = excess.map((s, i) => {
        const info = spec.scopes[s];
        const note = !info ? " (unknown to this catalog)" : info.highPrivilege ? " (high privilege)" : "";
        return described[i] + note;
      });
      report(
        violation(
          args.name,
          spec,
          "scopes",
          `grants more than Bytebase needs: ${listing(words)}`,
          `remove ${listing(described)} in ${spec.whereToRegister} and from 'scopes', ` +
            `or allow them with the setting 'allowedExtraScopes' or 'allowedExtraScopesByType.${p.type}' of ${LEAST_PRIVILEGE}`,
        ),
      );
    }),
  };
}
