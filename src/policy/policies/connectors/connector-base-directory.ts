// gitops-connector-base-directory: a VcsConnector names the directory that holds its migration files, in a form
// Bytebase can match, within the allowed directories.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { flag, patternList, policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { bareDirectory, baseDirectoryProblems, isRegexPattern, matchesAny } from "../../patterns";
import { forVcsConnectors, resourceViolation } from "../../report";

export const CONNECTOR_BASE_DIRECTORY = "gitops-connector-base-directory";

export interface ConnectorBaseDirectorySettings {
  /** Report a connector without a base directory (default true). */
  requireBaseDirectory?: boolean;
  /** Directories a connector may watch, as globs or `/regex/` over the path without leading '/'. Empty (default): any. */
  allowedBaseDirectories?: string[];
}

const SPECS: SettingSpecs<ConnectorBaseDirectorySettings> = {
  requireBaseDirectory: flag(
    "Report a VcsConnector without 'baseDirectory' (or with '/' alone): Bytebase 2.15 then matches no file, 3.4 refuses it.",
    true,
  ),
  allowedBaseDirectories: patternList(
    "Directories a VcsConnector may watch: globs ('*' any run but '/', '**' any run) or '/regex/', over the path without its leading '/'. Empty: any.",
  ),
};

const EXAMPLE = "'/migrations' (a leading '/' suits both 2.15 and 3.4)";

export function connectorBaseDirectoryPolicy(
  args?: PolicyArgs<ConnectorBaseDirectorySettings>,
): ResourceValidationPolicy {
  const settings = policySettings(CONNECTOR_BASE_DIRECTORY, SPECS, args, "mandatory");
  return {
    name: CONNECTOR_BASE_DIRECTORY,
    description:
      "A VcsConnector names the directory of its migration files, in a form Bytebase matches, within the allowed directories.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: forVcsConnectors((c, args, report) => {
      const config = settings.at(args); // first: a setting it cannot use fails for every connector
      if (c.unknown.has("baseDirectory")) return;
      const say = (problem: string, fix: string) =>
        report(resourceViolation("VcsConnector", args.name, c.repository, "baseDirectory", problem, fix));
      if (c.malformed.has("baseDirectory")) {
        say(
          "is not a string",
          `set 'baseDirectory' to the directory of the migration files, e.g. ${EXAMPLE}`,
        );
        return;
      }
      const dir = c.baseDirectory ?? "";
      if (bareDirectory(dir.trim()) === "") {
        if (config.requireBaseDirectory)
          say(
            c.baseDirectory === undefined ? "is not set" : `is ${JSON.stringify(dir)}, the repository's root`,
            `set 'baseDirectory' to the directory that holds the migration files, e.g. ${EXAMPLE}: Bytebase plans only ` +
              "the .sql files directly in it; without one, Bytebase 2.15 matches no file (except on Azure DevOps) and 3.4 refuses the connector",
          );
        return;
      }
      const problems = baseDirectoryProblems(dir);
      if (problems.length) {
        say(
          `(${JSON.stringify(dir.slice(0, 80))}) ${problems.join("; ")}: Bytebase compares it with the directory of each changed file, so it would match none`,
          `set 'baseDirectory' to a plain path such as ${EXAMPLE}`,
        );
        return;
      }
      const allowed = config.allowedBaseDirectories;
      const bare = bareDirectory(dir);
      if (
        !allowed.length ||
        matchesAny(
          bare,
          allowed.map((p) => (isRegexPattern(p) ? p : bareDirectory(p))),
        )
      )
        return;
      say(
        `is '${dir}', which matches none of the allowed directories (${allowed.join(", ")})`,
        `keep the migration files in an allowed directory, or add one for it to the setting 'allowedBaseDirectories' of ${CONNECTOR_BASE_DIRECTORY}`,
      );
    }),
  };
}
