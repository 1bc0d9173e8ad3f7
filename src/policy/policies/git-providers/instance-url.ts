// gitops-instance-url: the instance URL of a GitOpsProvider or VcsProvider is https without user info, query or
// fragment (a path only for a self-managed GitLab or GitHub Enterprise), the canonical one for cloud-only providers,
// and allowed for its type.
import type { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import {
  instanceUrlProblems,
  normalizeInstanceUrl,
  type GitProviderSpec,
  type GitProviderType,
} from "../../../catalog";
import {
  policySettings,
  stringListPerType,
  type PerType,
  type PolicyArgs,
  type SettingSpecs,
} from "../../config";
import { displayUrl, forGitOpsProviders, forVcsProviders, resourceViolation } from "../../report";
import { effectiveInstanceUrl } from "../../gitops-resources";

export const INSTANCE_URL = "gitops-instance-url";

export interface InstanceUrlSettings {
  /** Instance URLs allowed per Git provider type, e.g. `{ "GITLAB": ["https://gitlab.example.com"] }`. A type not listed: any. */
  allowedInstanceUrls?: PerType<string[]>;
}

const SPECS: SettingSpecs<InstanceUrlSettings> = {
  allowedInstanceUrls: stringListPerType(
    "Instance URLs allowed per Git provider type (AZURE_DEVOPS, BITBUCKET, GITHUB, GITLAB); a type not listed or listed empty: any.",
  ),
};

/** A provider of either era, as far as this policy reads it. */
interface Provider {
  readonly type: GitProviderType;
  readonly spec: GitProviderSpec;
  readonly instanceUrl?: string;
  readonly unknown: ReadonlySet<string>;
  readonly malformed: ReadonlySet<string>;
}

function checkInstanceUrl(
  kind: "GitOpsProvider" | "VcsProvider",
  name: string,
  p: Provider,
  allowed: readonly string[],
  report: ReportViolation,
): void {
  const { spec } = p;
  const value = effectiveInstanceUrl(p);
  if (value === undefined) return;
  const say = (problem: string, fix: string) =>
    report(resourceViolation(kind, name, spec.label, "instanceUrl", problem, fix));
  const shown = displayUrl(value);
  const origin = spec.cloudOnly
    ? spec.defaultInstanceUrl
    : `the address your ${spec.label} is served at (https, host${spec.servedUnderPath ? " and any path, e.g. https://git.example.com/gitlab" : ""}), or ${spec.defaultInstanceUrl}`;
  const normalized = normalizeInstanceUrl(value);
  if (spec.cloudOnly && normalized !== spec.defaultInstanceUrl) {
    say(
      `is ${shown}, but ${spec.label} is a cloud service with one instance URL, ${spec.defaultInstanceUrl}`,
      `set 'instanceUrl' to ${spec.defaultInstanceUrl} (the wizard's pre-filled Instance URL) or leave it out`,
    );
    return;
  }
  const problems = instanceUrlProblems(value, spec);
  if (problems.length > 0) say(`(${shown}) ${problems.join("; ")}`, `set 'instanceUrl' to ${origin}`);
  if (normalized === undefined) return;
  const allowedNormalized = allowed.map((u) => normalizeInstanceUrl(u) ?? u);
  if (allowed.length === 0 || allowedNormalized.includes(normalized)) return;
  say(
    `is ${shown}${p.instanceUrl === undefined ? " (the default)" : ""}, which is not an allowed ${spec.label} instance (${allowed.join(", ")})`,
    `set 'instanceUrl' to one of ${allowed.join(", ")}, or add it to the setting 'allowedInstanceUrls.${p.type}' of ${INSTANCE_URL}`,
  );
}

export function instanceUrlPolicy(args?: PolicyArgs<InstanceUrlSettings>): ResourceValidationPolicy {
  const settings = policySettings(INSTANCE_URL, SPECS, args, "mandatory");
  const gitops = forGitOpsProviders((p, args, report) =>
    checkInstanceUrl(
      "GitOpsProvider",
      args.name,
      p,
      settings.at(args).allowedInstanceUrls[p.type] ?? [],
      report,
    ),
  );
  const vcs = forVcsProviders((p, args, report) =>
    checkInstanceUrl(
      "VcsProvider",
      args.name,
      p,
      settings.at(args).allowedInstanceUrls[p.type] ?? [],
      report,
    ),
  );
  return {
    name: INSTANCE_URL,
    description:
      "A GitOpsProvider's or VcsProvider's instance URL is https (a path only for self-managed GitLab or GitHub Enterprise), canonical for cloud providers, and allowed.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: (args, report) => {
      gitops(args, report);
      vcs(args, report);
    },
  };
}
