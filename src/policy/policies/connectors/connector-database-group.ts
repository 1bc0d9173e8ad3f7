// gitops-connector-database-group: a VcsConnector names the database group its changes go to. Without one, Bytebase
// plans each merged change for every database of the project, environment by environment
// (backend/api/gitops/webhook.go@2.15.0 getChangeSteps; the same at 3.4.1).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { patternList, policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { matchesAny } from "../../patterns";
import { forVcsConnectors, resourceViolation } from "../../report";

export const CONNECTOR_DATABASE_GROUP = "gitops-connector-database-group";

export interface ConnectorDatabaseGroupSettings {
  /** Database groups a connector may target, as globs or `/regex/` over the group's id. Empty (default): any. */
  allowedDatabaseGroups?: string[];
}

const SPECS: SettingSpecs<ConnectorDatabaseGroupSettings> = {
  allowedDatabaseGroups: patternList(
    "Database groups a VcsConnector may target: globs or '/regex/' over the group's id (the part after databaseGroups/). Empty: any.",
  ),
};

export function connectorDatabaseGroupPolicy(
  args?: PolicyArgs<ConnectorDatabaseGroupSettings>,
): ResourceValidationPolicy {
  const settings = policySettings(CONNECTOR_DATABASE_GROUP, SPECS, args, "advisory");
  return {
    name: CONNECTOR_DATABASE_GROUP,
    description:
      "A VcsConnector sends its changes to a database group, not to every database of its project.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: forVcsConnectors((c, args, report) => {
      const { allowedDatabaseGroups } = settings.at(args); // first: a setting it cannot use fails for every connector
      if (c.unknown.has("databaseGroup") || c.malformed.has("databaseGroup")) return;
      const say = (problem: string, fix: string) =>
        report(resourceViolation("VcsConnector", args.name, c.repository, "databaseGroup", problem, fix));
      const group = c.databaseGroup?.trim() ?? "";
      if (group === "") {
        say(
          "is not set, so Bytebase plans every merged change for every database of the project, environment by environment",
          "set 'databaseGroup' to the database group the migrations are for (projects/<project>/databaseGroups/<id>, or its id)",
        );
        return;
      }
      const id = group.replace(/^projects\/[^/]+\/databaseGroups\//, "");
      if (!allowedDatabaseGroups.length || matchesAny(id, allowedDatabaseGroups)) return;
      say(
        `is '${group}', which matches none of the allowed database groups (${allowedDatabaseGroups.join(", ")})`,
        `target an allowed database group, or add one for it to the setting 'allowedDatabaseGroups' of ${CONNECTOR_DATABASE_GROUP}`,
      );
    }),
  };
}
