// gitops-literal-service-key: no input of any resource holds a literal `bbs_` service key (a title, a workflow file's
// content, a tag...): the state and the CLI's output would show it. A ServiceAccount's key is its secret output, and a
// connection's serviceKey comes from config (`bytebase:serviceKey`, a secret), the one place a key belongs.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { policySettings, type PolicyArgs, type SettingSpecs } from "../../config";
import { read, UNKNOWN } from "../../gitops-resources";

export const LITERAL_SERVICE_KEY = "gitops-literal-service-key";

export type LiteralServiceKeySettings = Record<never, never>;
const SPECS: SettingSpecs<LiteralServiceKeySettings> = {};

/** `bbs_` and 20 letters or digits (service_account_service.go@3.21.1: ServiceAccountAccessKeyPrefix + RandomString(20)). */
const KEY = /bbs_[A-Za-z0-9]{20}/;

/** The paths of the string values holding a key, depth-first (at most 6 levels, 200 values). */
function keyPaths(value: unknown, path: string, out: string[], depth = 0): void {
  if (out.length >= 10 || depth > 6 || value === UNKNOWN) return;
  if (typeof value === "string") {
    if (KEY.test(value) && path !== "connection.serviceKey") out.push(path);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  let keys: string[];
  try {
    keys = Object.keys(value).slice(0, 200);
  } catch {
    return;
  }
  for (const key of keys) keyPaths(read(value, key), path ? `${path}.${key}` : key, out, depth + 1);
}

export function literalServiceKeyPolicy(
  args?: PolicyArgs<LiteralServiceKeySettings>,
): ResourceValidationPolicy {
  const settings = policySettings(LITERAL_SERVICE_KEY, SPECS, args, "mandatory");
  return {
    name: LITERAL_SERVICE_KEY,
    description:
      "No resource input holds a literal bbs_ service key (the key is a secret output or config secret).",
    enforcementLevel: settings.enforcementLevel,
    configSchema: settings.configSchema,
    validateResource: (args, report) => {
      settings.at(args);
      // A provider resource's inputs are the stack config, where `bytebase:serviceKey` belongs (a config secret); the
      // real CLI analyzes the default `pulumi:providers:pulumi-nodejs` with it.
      if (args.type.startsWith("pulumi:providers:")) return;
      const paths: string[] = [];
      keyPaths(args.props, "", paths);
      // The value is never quoted.
      for (const path of paths)
        report(
          `${args.type.split(":").pop()} '${args.name}': '${path}' holds a Bytebase service key in plain text. Fix: pass a ServiceAccount's serviceKey output or a config secret (pulumi config set --secret), never the key itself.`,
        );
    },
  };
}
