// gitops-ci-roles (stack): a CI principal (WorkloadIdentity, ServiceAccount) holds only roles/gitopsServiceAgent or a
// role without rollout rights: no workspace admin or DBA, no project owner, no releaser; and no binding grants
// `allUsers`.
import type { StackValidationPolicy } from "@pulumi/policy";
import { policySettings, stringList, type PolicyArgs, type SettingSpecs } from "../../config";
import { resourceViolation } from "../../report";
import { readCiStack } from "./stack-identities";
import { ROLLOUT_ROLES } from "./trust";

export const CI_ROLES = "gitops-ci-roles";

export interface CiRolesSettings {
  /** Roles that can roll out (default: the predefined ones). */
  rolloutRoles?: string[];
  /** Of those, the ones a CI principal may hold (default `roles/gitopsServiceAgent`). */
  allowedRolloutRoles?: string[];
}

const SPECS: SettingSpecs<CiRolesSettings> = {
  rolloutRoles: {
    ...stringList(
      "Roles that can roll out (add custom roles holding bb.rollouts.create or bb.taskRuns.create).",
    ),
    defaultValue: ROLLOUT_ROLES,
  },
  allowedRolloutRoles: {
    ...stringList("Roles that can roll out which a CI identity or service account may still hold."),
    defaultValue: ["roles/gitopsServiceAgent"],
  },
};

export function ciRolesPolicy(args?: PolicyArgs<CiRolesSettings>): StackValidationPolicy {
  const settings = policySettings(CI_ROLES, SPECS, args, "mandatory");
  return {
    name: CI_ROLES,
    description:
      "CI identities and service accounts hold only roles/gitopsServiceAgent or roles without rollout rights; no binding grants allUsers.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateStack: (args, report) => {
      const { rolloutRoles, allowedRolloutRoles } = settings.at(args);
      const stack = readCiStack(args.resources);
      for (const { resource, binding } of stack.bindings)
        if (binding.member === "allUsers")
          report(
            resourceViolation(
              "ProjectIamMember",
              resource.name,
              binding.role,
              "member",
              "is allUsers: every account of the workspace gets the role",
              "bind the identities or accounts that need it, one ProjectIamMember each",
            ),
            resource.urn,
          );
      for (const p of stack.principals)
        for (const { resource, binding } of p.bindings) {
          if (
            !binding.role ||
            !rolloutRoles.includes(binding.role) ||
            allowedRolloutRoles.includes(binding.role)
          )
            continue;
          report(
            resourceViolation(
              "ProjectIamMember",
              resource.name,
              binding.role,
              "role",
              `gives ${p.kind} '${p.resource.name}' ${binding.role}: far more than a CI job needs (it can roll out, and more)`,
              `bind roles/gitopsServiceAgent for a deploy job, or a role without rollout rights (e.g. roles/projectDeveloper) for a check job`,
            ),
            resource.urn,
          );
        }
    },
  };
}
