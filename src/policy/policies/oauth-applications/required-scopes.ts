// gitops-required-scopes: the declared scopes grant everything the console needs (implications applied).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { describeScope, expandScopes, missingScopes, type GitProviderSpec } from "../../../catalog";
import { flag, policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { forGitOpsProviders, listing, violation } from "../../report";

export const REQUIRED_SCOPES = "gitops-required-scopes";

export interface RequiredScopesSettings {
  /** Report a provider that does not declare `scopes` at all (default true): undeclared scopes cannot be checked. */
  requireDeclaredScopes?: boolean;
}

const SPECS: SettingSpecs<RequiredScopesSettings> = {
  requireDeclaredScopes: flag(
    "Report a GitOpsProvider without 'scopes' (the policy cannot check what is not declared).",
    true,
  ),
};

const family = (scope: string) => scope.split(/[:_]/)[0];

/** Declared scopes of the same family that fall short of a missing one, e.g. `repository:admin` for `repository:write`. */
function nearMisses(spec: GitProviderSpec, declared: readonly string[], missing: string): string[] {
  return declared.filter(
    (scope) =>
      scope !== missing && family(scope) === family(missing) && !expandScopes(spec, [scope]).has(missing),
  );
}

export function requiredScopesPolicy(args?: PolicyArgs<RequiredScopesSettings>): ResourceValidationPolicy {
  const settings = policySettings(REQUIRED_SCOPES, SPECS, args, "mandatory");
  return {
    name: REQUIRED_SCOPES,
    description: "A GitOpsProvider's OAuth app grants every scope the Bytebase console needs.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: forGitOpsProviders((p, args, report) => {
      if (p.unknown.has("scopes")) return;
      const { spec } = p;
      const needed = listing(spec.requiredScopes.map((s) => describeScope(spec, s)));
      if (p.malformed.has("scopes")) {
        report(
          violation(
            args.name,
            spec,
            "scopes",
            "is not a list of strings",
            `list the ${spec.scopeTerm}, e.g. ${JSON.stringify(spec.requiredScopes)}`,
          ),
        );
        return;
      }
      if (p.scopes === undefined) {
        if (!settings.at(args).requireDeclaredScopes) return;
        report(
          violation(
            args.name,
            spec,
            "scopes",
            `is not declared, so the ${spec.scopeTerm} of the OAuth app cannot be checked`,
            `set 'scopes' to the ${spec.scopeTerm} granted in ${spec.whereToRegister}; Bytebase needs ${needed}`,
          ),
        );
        return;
      }
      const declared = p.scopes;
      const missing = missingScopes(spec, declared);
      if (missing.length === 0) return;
      const missingWords = listing(missing.map((s) => describeScope(spec, s)));
      const notes = missing.flatMap((m) => {
        const near = nearMisses(spec, declared, m);
        return near.length
          ? [
              `${listing(near.map((s) => describeScope(spec, s)))} ${near.length > 1 ? "do" : "does"} not include ${describeScope(spec, m)}`,
            ]
          : [];
      });
      report(
        violation(
          args.name,
          spec,
          "scopes",
          `lacks ${missingWords}` + (notes.length ? ` (${notes.join("; ")})` : ""),
          `grant ${missingWords} in ${spec.whereToRegister}, then add ${listing(missing.map((s) => `'${s}'`))} to 'scopes'; Bytebase needs ${needed}`,
        ),
      );
    }),
  };
}
