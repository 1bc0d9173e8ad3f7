// gitops-callback-url: the callback registered in the OAuth app is a well-formed console callback
// on an allowed host.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { CALLBACK_PATH, callbackUrlProblems, tryUrl } from "../../../catalog";
import { policySettings, stringList, type PolicyArgs, type SettingSpecs } from "../../config";
import { displayUrl, forGitOpsProviders, violation } from "../../report";

export const CALLBACK_URL = "gitops-callback-url";

export interface CallbackUrlSettings {
  /** Hosts the callback may point at: `host`, `host:port` or `*.domain`. Empty (default): any host. */
  allowedHosts?: string[];
}

const SPECS: SettingSpecs<CallbackUrlSettings> = {
  allowedHosts: stringList(
    "Hosts the OAuth callback may point at (your Bytebase consoles): 'host', 'host:port' or '*.domain'. Empty: any host.",
  ),
};

/** Whether `url`'s host matches one entry of `allowed` (`host`, `host:port`, or `*.domain` for subdomains). */
function hostAllowed(url: URL, allowed: readonly string[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  return allowed.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry.startsWith("*."))
      return hostname.endsWith(entry.slice(1)) && hostname.length > entry.length - 1;
    return entry === hostname || entry === host;
  });
}

export function callbackUrlPolicy(args?: PolicyArgs<CallbackUrlSettings>): ResourceValidationPolicy {
  const settings = policySettings(CALLBACK_URL, SPECS, args, "mandatory");
  return {
    name: CALLBACK_URL,
    description: `A GitOpsProvider's OAuth callback is an https '<console>${CALLBACK_PATH}' URL on an allowed host.`,
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: forGitOpsProviders((p, args, report) => {
      if (p.callbackUrl === undefined) return;
      const { spec } = p;
      const ui = spec.appUi;
      const where = `the ${ui.callbackField} in ${ui.appPage}`;
      const problems = callbackUrlProblems(p.callbackUrl);
      if (problems.length > 0)
        report(
          violation(
            args.name,
            spec,
            "callbackUrl",
            `(${displayUrl(p.callbackUrl)}) ${problems.join("; ")}`,
            `set ${where} to <your console's external URL>${CALLBACK_PATH}, and 'callbackUrl' to the same`,
          ),
        );
      const url = tryUrl(p.callbackUrl);
      const { allowedHosts } = settings.at(args);
      if (!url || p.callbackUrl.includes("*") || allowedHosts.length === 0 || hostAllowed(url, allowedHosts))
        return;
      report(
        violation(
          args.name,
          spec,
          "callbackUrl",
          `points at ${url.host}, which is not an allowed host (${allowedHosts.join(", ")})`,
          `set ${where} to the callback of a console on an allowed host, and 'callbackUrl' to the same, ` +
            `or add the host to the setting 'allowedHosts' of ${CALLBACK_URL}`,
        ),
      );
    }),
  };
}
