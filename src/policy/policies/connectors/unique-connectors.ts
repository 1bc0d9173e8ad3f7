// gitops-unique-connectors (stack): no two VcsConnectors with one id in one project, and no two watching the same
// repository, branch and base directory (each pull request would be planned, and each merge rolled out, twice).
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { bareDirectory } from "../../patterns";
import { resourceViolation } from "../../report";
import { readVcsConnector, VCS_CONNECTOR_TYPE, type VcsConnectorView } from "../../vcs-resources";

export const UNIQUE_CONNECTORS = "gitops-unique-connectors";

/** No settings: only the enforcement level. */
export type UniqueConnectorsSettings = Record<never, never>;

const SPECS: SettingSpecs<UniqueConnectorsSettings> = {};

interface Entry {
  readonly resource: PolicyResource;
  readonly connector: VcsConnectorView;
}

const bareName = (value: string, collection: string) =>
  value.trim().replace(new RegExp(`^${collection}/`), "");

export function uniqueConnectorsPolicy(args?: PolicyArgs<UniqueConnectorsSettings>): StackValidationPolicy {
  const settings = policySettings(UNIQUE_CONNECTORS, SPECS, args, "mandatory");
  return {
    name: UNIQUE_CONNECTORS,
    description:
      "A stack declares each VcsConnector id once per project, and one connector per repository, branch and base directory.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateStack: (args, report) => {
      if (!Array.isArray(args.resources)) return;
      const entries: Entry[] = [];
      for (const resource of args.resources as PolicyResource[])
        if (resource?.type === VCS_CONNECTOR_TYPE)
          entries.push({ resource, connector: readVcsConnector(resource.props) });

      const ids = new Map<string, Entry>();
      const watches = new Map<string, Entry>();
      for (const entry of entries) {
        const { connector: c, resource } = entry;
        const say = (property: string, problem: string, fix: string) =>
          report(
            resourceViolation("VcsConnector", resource.name, c.repository, property, problem, fix),
            resource.urn,
          );
        if (c.project !== undefined && c.resourceId !== undefined) {
          const project = bareName(c.project, "projects");
          const key = JSON.stringify([project, c.resourceId]);
          const first = ids.get(key);
          if (first)
            say(
              "resourceId",
              `repeats VcsConnector '${first.resource.name}': both are projects/${project}/vcsConnectors/${c.resourceId}, which the console holds once`,
              "give each connector its own 'resourceId'",
            );
          else ids.set(key, entry);
        }
        if (
          c.vcsProvider === undefined ||
          c.repository === undefined ||
          c.branch === undefined ||
          c.unknown.has("baseDirectory") ||
          c.malformed.has("baseDirectory")
        )
          continue;
        const dir = bareDirectory((c.baseDirectory ?? "").trim());
        const key = JSON.stringify([
          bareName(c.vcsProvider, "vcsProviders"),
          c.repository
            .trim()
            .replace(/^\/+|\/+$/g, "")
            .replace(/\.git$/, ""),
          c.branch,
          dir,
        ]);
        const first = watches.get(key);
        if (!first) {
          watches.set(key, entry);
          continue;
        }
        say(
          "baseDirectory",
          `repeats VcsConnector '${first.resource.name}': both watch ${c.repository} branch ${c.branch} directory '/${dir}', ` +
            "so each pull request would be planned, and each merge rolled out, twice",
          "keep one of them, or give each its own 'baseDirectory'",
        );
      }
    },
  };
}
