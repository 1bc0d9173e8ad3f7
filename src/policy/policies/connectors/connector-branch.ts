// gitops-connector-branch: a VcsConnector watches a protected branch (one that matches the allowed patterns) whose
// name Bytebase can match: a Git branch name, short (`main`, not `refs/heads/main`), no wildcard.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { patternList, policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { branchNameProblems, matchesAny } from "../../patterns";
import { forVcsConnectors, resourceViolation } from "../../report";

export const CONNECTOR_BRANCH = "gitops-connector-branch";

export interface ConnectorBranchSettings {
  /**
   * Branches a connector may watch: globs (`*` any run but '/', `**` any run, `?` one character) or `/regex/` (whole
   * name). Empty: any branch. Default `main`, `master`, `release-*`, `release/*`.
   */
  allowedBranches?: string[];
}

export const DEFAULT_ALLOWED_BRANCHES = ["main", "master", "release-*", "release/*"];

const SPECS: SettingSpecs<ConnectorBranchSettings> = {
  allowedBranches: {
    ...patternList(
      "Branches a VcsConnector may watch (your protected branches): globs ('*' any run but '/', '**' any run, '?' one character) or '/regex/' for the whole name. Empty: any branch.",
    ),
    defaultValue: DEFAULT_ALLOWED_BRANCHES,
  },
};

export function connectorBranchPolicy(args?: PolicyArgs<ConnectorBranchSettings>): ResourceValidationPolicy {
  const settings = policySettings(CONNECTOR_BRANCH, SPECS, args, "mandatory");
  return {
    name: CONNECTOR_BRANCH,
    description:
      "A VcsConnector watches a protected branch (allowed patterns), named as Bytebase matches it (a short Git branch name).",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: forVcsConnectors((c, args, report) => {
      const { allowedBranches } = settings.at(args); // first: a setting it cannot use fails for every connector
      if (c.unknown.has("branch")) return;
      const say = (problem: string, fix: string) =>
        report(resourceViolation("VcsConnector", args.name, c.repository, "branch", problem, fix));
      if (c.malformed.has("branch") || c.branch === "") {
        say(
          "must be a branch name",
          "set 'branch' to the branch whose pull requests Bytebase should plan, e.g. 'main'",
        );
        return;
      }
      if (c.branch === undefined) return; // required: the resource's own check says so
      const problems = branchNameProblems(c.branch);
      if (problems.length) {
        say(
          `(${JSON.stringify(c.branch.slice(0, 80))}) ${problems.join("; ")}`,
          "set 'branch' to the short name of one existing branch, e.g. 'main' (one connector per branch)",
        );
        return;
      }
      if (!allowedBranches.length || matchesAny(c.branch, allowedBranches)) return;
      say(
        `is '${c.branch}', which matches none of the allowed branches (${allowedBranches.join(", ")}): merges to it would roll out to the databases`,
        `watch a protected branch instead, or add a pattern for it to the setting 'allowedBranches' of ${CONNECTOR_BRANCH}`,
      );
    }),
  };
}
