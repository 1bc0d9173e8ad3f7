// gitops-separate-identities (stack, advisory): no WorkloadIdentity serves both the pull-request check and the deploy
// (its pattern admits a pull-request job and a push or environment job of its repository), and no principal is bound
// both to a role that can roll out and to the check's role.
import type { StackValidationPolicy } from "@pulumi/policy";
import { matchSubjectPattern } from "../../../ci/subject-match";
import { policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { resourceViolation } from "../../report";
import { readCiStack } from "./stack-identities";
import { admittedPullRequestClaims, repositoryOf } from "./trust";

export const SEPARATE_IDENTITIES = "gitops-separate-identities";

export type SeparateIdentitiesSettings = Record<never, never>;
const SPECS: SettingSpecs<SeparateIdentitiesSettings> = {};

export function separateIdentitiesPolicy(
  args?: PolicyArgs<SeparateIdentitiesSettings>,
): StackValidationPolicy {
  const settings = policySettings(SEPARATE_IDENTITIES, SPECS, args, "advisory");
  return {
    name: SEPARATE_IDENTITIES,
    description: "A WorkloadIdentity either checks pull requests or deploys, not both.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateStack: (args, report) => {
      settings.at(args);
      for (const p of readCiStack(args.resources).principals) {
        const wi = p.identity;
        if (!wi?.provider || wi.pattern === undefined) continue;
        const repo = repositoryOf(wi.provider, wi.pattern);
        if (!repo) continue; // the subject policy reports it
        const pushes =
          wi.provider === "GITHUB"
            ? [`repo:${repo}:ref:refs/heads/main`, `repo:${repo}:environment:prod`]
            : [`project_path:${repo}:ref_type:branch:ref:main`];
        if (!admittedPullRequestClaims(wi.provider, wi.pattern).length) continue;
        if (!pushes.some((c) => matchSubjectPattern(c, wi.pattern!))) continue;
        report(
          resourceViolation(
            "WorkloadIdentity",
            p.resource.name,
            wi.provider,
            "subject",
            `('${wi.pattern}') admits both the pull-request check and the deploy jobs: one identity for both (as the console's generated files use)`,
            "declare a check identity (subject { repository, pullRequest: true }) and a deploy identity per environment; gitopsWorkflow wires them",
          ),
          p.resource.urn,
        );
      }
    },
  };
}
