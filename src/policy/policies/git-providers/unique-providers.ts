// gitops-unique-providers (stack): no two GitOpsProviders for the same OAuth app on the same instance, every
// callback in the stack points at one console, and no two VcsProviders with one resource id in one console.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { CALLBACK_PATH, normalizeInstanceUrl, tryUrl } from "../../../catalog";
import { flag, policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { displayUrl, knownProvider, knownVcsProvider, resourceViolation, violation } from "../../report";
import { effectiveInstanceUrl, read } from "../../gitops-resources";
import type { KnownProvider } from "../../report";

export const UNIQUE_PROVIDERS = "gitops-unique-providers";

export interface UniqueProvidersSettings {
  /** Require every callback in the stack to point at one console (default true); turn off for stacks that manage several consoles. */
  singleConsole?: boolean;
}

const SPECS: SettingSpecs<UniqueProvidersSettings> = {
  singleConsole: flag(
    "Require all OAuth callbacks in the stack to point at one Bytebase console (same origin and path prefix).",
    true,
  ),
};

/** The console a callback points at: its origin plus the path before `/oauth/callback`. */
function callbackConsole(callbackUrl: string): string | undefined {
  const url = tryUrl(callbackUrl);
  if (!url || !url.pathname.endsWith(CALLBACK_PATH) || callbackUrl.includes("*")) return undefined;
  return `${url.origin}${url.pathname.slice(0, -CALLBACK_PATH.length)}`;
}

interface Entry {
  readonly resource: PolicyResource;
  readonly provider: KnownProvider;
}

function gitOpsProviders(resources: unknown): Entry[] {
  if (!Array.isArray(resources)) return [];
  const out: Entry[] = [];
  for (const resource of resources as PolicyResource[]) {
    const provider = resource ? knownProvider(resource.type, resource.props) : undefined;
    if (provider) out.push({ resource, provider });
  }
  return out;
}

export function uniqueProvidersPolicy(args?: PolicyArgs<UniqueProvidersSettings>): StackValidationPolicy {
  const settings = policySettings(UNIQUE_PROVIDERS, SPECS, args, "mandatory");
  return {
    name: UNIQUE_PROVIDERS,
    description:
      "A stack declares each OAuth app once per Git instance, all callbacks point at one console, and each VcsProvider id once per console.",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateStack: (args, report) => {
      const entries = gitOpsProviders(args.resources);

      const seen = new Map<string, Entry>();
      for (const entry of entries) {
        const { provider: p, resource } = entry;
        const instance = effectiveInstanceUrl(p);
        if (instance === undefined || p.applicationId === undefined) continue;
        const normalized = normalizeInstanceUrl(instance);
        const key = JSON.stringify([p.type, normalized ?? instance, p.applicationId]);
        const first = seen.get(key);
        if (!first) {
          seen.set(key, entry);
          continue;
        }
        report(
          violation(
            resource.name,
            p.spec,
            "applicationId",
            `repeats GitOpsProvider '${first.resource.name}': same type, instance ${normalized ?? displayUrl(instance)} and ` +
              `${p.spec.credentialNames.applicationId} ${p.applicationId}, so the console would hold two Git providers for one OAuth app`,
            `keep one of them (the console makes no duplicate check), or register a separate OAuth app and use its ${p.spec.credentialNames.applicationId}`,
          ),
          resource.urn,
        );
      }

      vcsProviderIds(args.resources, report);

      if (!settings.at(args).singleConsole) return;
      let reference: { entry: Entry; base: string } | undefined;
      for (const entry of entries) {
        const callback = entry.provider.callbackUrl;
        const base = callback === undefined ? undefined : callbackConsole(callback);
        if (base === undefined) continue;
        if (!reference) {
          reference = { entry, base };
          continue;
        }
        if (base === reference.base) continue;
        report(
          violation(
            entry.resource.name,
            entry.provider.spec,
            "callbackUrl",
            `points at the console ${base}, but GitOpsProvider '${reference.entry.resource.name}' points at ` +
              `${reference.base}; all Git providers of a console share its one callback`,
            `set the ${entry.provider.spec.appUi.callbackField} in ${entry.provider.spec.appUi.appPage} ` +
              `and 'callbackUrl' to ${reference.base}${CALLBACK_PATH}, or turn off the setting 'singleConsole' of ${UNIQUE_PROVIDERS} for a stack with several consoles`,
          ),
          entry.resource.urn,
        );
      }
    },
  };
}

/** The console a VcsProvider lives in, as far as its properties tell: the `consoleUrl` output, else `connection.url`. */
function consoleOf(props: unknown): string {
  for (const value of [read(props, "consoleUrl"), read(read(props, "connection"), "url")])
    if (typeof value === "string") return normalizeInstanceUrl(value) ?? value;
  return "";
}

/** Two VcsProviders with one resource id in one console: the second create fails, or (adoptExisting) both fight over it. */
function vcsProviderIds(resources: unknown, report: (message: string, urn?: string) => void): void {
  if (!Array.isArray(resources)) return;
  const seen = new Map<string, PolicyResource>();
  for (const resource of resources as PolicyResource[]) {
    const p = resource ? knownVcsProvider(resource.type, resource.props) : undefined;
    if (!p?.resourceId) continue;
    const key = JSON.stringify([consoleOf(resource.props), p.resourceId]);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, resource);
      continue;
    }
    report(
      resourceViolation(
        "VcsProvider",
        resource.name,
        p.spec.label,
        "resourceId",
        `repeats VcsProvider '${first.name}': both are vcsProviders/${p.resourceId} in one console, which holds it once ` +
          "(the second create fails, or with adoptExisting both resources overwrite each other's token)",
        "give each VcsProvider its own 'resourceId', or declare it once",
      ),
      resource.urn,
    );
  }
}
