// gitops-token-least-privilege: a VcsProvider's declared `permissions` hold nothing beyond what Bytebase needs of
// its token (and what that implies), unless a setting allows it.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { describePermission, readPermissions } from "../../../catalog";
import {
  policySettings,
  stringList,
  stringListPerType,
  type PerType,
  type PolicyArgs,
  type SettingSpecs,
} from "../../config";
import { aOrAn, forVcsProviders, listing, resourceViolation } from "../../report";

export const TOKEN_LEAST_PRIVILEGE = "gitops-token-least-privilege";

export interface TokenLeastPrivilegeSettings {
  /** Extra permissions allowed for every Git provider type (with what they imply). */
  allowedExtraPermissions?: string[];
  /** Extra permissions allowed per Git provider type, e.g. `{ "GITLAB": ["read_api"] }`. */
  allowedExtraPermissionsByType?: PerType<string[]>;
}

const SPECS: SettingSpecs<TokenLeastPrivilegeSettings> = {
  allowedExtraPermissions: stringList(
    "Token permissions allowed beyond what Bytebase needs, for every Git provider type.",
  ),
  allowedExtraPermissionsByType: stringListPerType(
    "Token permissions allowed beyond what Bytebase needs, per Git provider type (AZURE_DEVOPS, BITBUCKET, GITHUB, GITLAB).",
  ),
};

export function tokenLeastPrivilegePolicy(
  args?: PolicyArgs<TokenLeastPrivilegeSettings>,
): ResourceValidationPolicy {
  const settings = policySettings(TOKEN_LEAST_PRIVILEGE, SPECS, args, "advisory");
  return {
    name: TOKEN_LEAST_PRIVILEGE,
    description:
      "A VcsProvider's access token is declared to grant nothing beyond what the Bytebase console needs.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: forVcsProviders((p, args, report) => {
      if (!p.permissions) return;
      const config = settings.at(args);
      const allowed = [
        ...config.allowedExtraPermissions,
        ...(config.allowedExtraPermissionsByType[p.type] ?? []),
      ];
      const { kind, excess } = readPermissions(p.spec.accessToken.kinds, p.permissions, allowed);
      const extra = [...new Set(excess)];
      if (!extra.length) return;
      const described = extra.map((n) => describePermission(kind, n));
      const words = extra.map(
        (n, i) => described[i] + (kind.known[n]?.highPrivilege ? " (high privilege)" : ""),
      );
      report(
        resourceViolation(
          "VcsProvider",
          args.name,
          p.spec.label,
          "permissions",
          `grants more than Bytebase needs of ${aOrAn(kind.kind)}: ${listing(words)}`,
          `${kind.fixed ? `make a new ${kind.kind} without ${listing(described)}` : `remove ${listing(described)} from the ${kind.kind}`} in ${kind.where} and from 'permissions', ` +
            `or allow them with the setting 'allowedExtraPermissions' or 'allowedExtraPermissionsByType.${p.type}' of ${TOKEN_LEAST_PRIVILEGE}`,
        ),
      );
    }),
  };
}
