// gitops-deploy-identity-trust (stack): a WorkloadIdentity bound to a role that can roll out admits no pull- or
// merge-request job (whose workflow file the request's author controls) and no trailing '*': an exact branch, tag
// or environment. A GitOps rollout has no issue to approve, and bb.taskRuns.create skips the environment's rollout
// roles: the identity's trust is the gate.
import type { StackValidationPolicy } from "@pulumi/policy";
import { policySettings, stringList, type PolicyArgs, type SettingSpecs } from "../../config";
import { resourceViolation } from "../../report";
import { readCiStack } from "./stack-identities";
import { admittedPullRequestClaims, ROLLOUT_ROLES } from "./trust";

export const DEPLOY_IDENTITY_TRUST = "gitops-deploy-identity-trust";

export interface DeployIdentityTrustSettings {
  /** Roles that can roll out (default: the predefined ones holding bb.rollouts.create and bb.taskRuns.create). */
  rolloutRoles?: string[];
}

const SPECS: SettingSpecs<DeployIdentityTrustSettings> = {
  rolloutRoles: {
    ...stringList(
      "Roles that can roll out (add your custom roles that hold bb.rollouts.create or bb.taskRuns.create).",
    ),
    defaultValue: ROLLOUT_ROLES,
  },
};

export function deployIdentityTrustPolicy(
  args?: PolicyArgs<DeployIdentityTrustSettings>,
): StackValidationPolicy {
  const settings = policySettings(DEPLOY_IDENTITY_TRUST, SPECS, args, "mandatory");
  return {
    name: DEPLOY_IDENTITY_TRUST,
    description:
      "A WorkloadIdentity bound to a role that can roll out admits no pull-request job and no trailing '*' (exact branch, tag or environment).",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateStack: (args, report) => {
      const { rolloutRoles } = settings.at(args);
      for (const p of readCiStack(args.resources).principals) {
        const wi = p.identity;
        if (!wi?.provider || wi.pattern === undefined) continue;
        const rollout = p.bindings.find((b) => b.binding.role && rolloutRoles.includes(b.binding.role));
        if (!rollout) continue;
        const claims = admittedPullRequestClaims(wi.provider, wi.pattern);
        const why = claims.length
          ? `admits pull-request jobs (${claims[0]}), whose workflow file the request's author controls`
          : wi.pattern.endsWith("*")
            ? "ends in '*', so it admits more than one branch, tag or environment"
            : undefined;
        if (!why) continue;
        report(
          resourceViolation(
            "WorkloadIdentity",
            p.resource.name,
            wi.provider,
            "subject",
            `('${wi.pattern}') ${why}, and ProjectIamMember '${rollout.resource.name}' binds it to ${rollout.binding.role}, which can roll out with no approval`,
            'pin the deploy identity to one protected branch, tag or environment (subject { repository, environment: "prod" }), and check pull requests with a separate identity bound to a role without rollout rights (e.g. roles/projectDeveloper)',
          ),
          p.resource.urn,
        );
      }
    },
  };
}
