// A policy pack's configuration as the CLI builds it before Configure: the `--policy-pack-config` file parsed,
// reconciled with the pack's schema defaults and initial config, and validated against each policy's JSON schema
// (pkg/resource/analyzer/config.go, pkg/engine/update.go loadPolicyPlugins).
import Ajv, { type ErrorObject } from "ajv";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";

type Props = Record<string, unknown>;
const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/** One policy's reconciled config: plugin.AnalyzerPolicyConfig. */
export interface PolicyConfig {
  enforcementLevel: string;
  properties?: Props;
}

/**
 * config.go parsePolicyPackConfig: each key a level string or an object whose `enforcementLevel` (if any) is taken
 * out; empty entries are dropped; an invalid level is an error naming the key. `environments` (ESC) is not
 * supported here.
 */
export function parsePolicyPackConfig(config: Props): Record<string, PolicyConfig> {
  const result: Record<string, PolicyConfig> = {};
  for (const [k, v] of Object.entries(config)) {
    let level = "";
    let properties: Props | undefined;
    if (typeof v === "string") {
      if (!LEVELS.includes(v))
        throw new Error(`parsing enforcement level for "${k}": "${v}" is not a valid enforcement level`);
      level = v;
    } else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const { enforcementLevel, ...rest } = v as Props;
      if (enforcementLevel !== undefined) {
        if (typeof enforcementLevel !== "string")
          throw new Error(
            `parsing enforcement level for "${k}": ${String(enforcementLevel)} is not a valid enforcement level; must be a string`,
          );
        if (!LEVELS.includes(enforcementLevel))
          throw new Error(
            `parsing enforcement level for "${k}": "${enforcementLevel}" is not a valid enforcement level`,
          );
        level = enforcementLevel;
      }
      if (Object.keys(rest).length > 0) properties = rest;
    } else {
      throw new Error(
        `parsing "${k}": ${JSON.stringify(v)} is not a valid value; must be a string or object`,
      );
    }
    if (level === "" && !properties) continue;
    result[k] = { enforcementLevel: level, ...(properties ? { properties } : {}) };
  }
  return result;
}

/** config.go applyConfig: `all` sets every policy's level first, then each policy's level and properties merge. */
function applyConfig(result: Record<string, PolicyConfig>, apply: Record<string, PolicyConfig>) {
  const all = apply.all;
  if (all && LEVELS.includes(all.enforcementLevel))
    for (const k of Object.keys(result))
      result[k] = { ...result[k]!, enforcementLevel: all.enforcementLevel };
  for (const [policy, given] of Object.entries(apply)) {
    const current = result[policy];
    const level = LEVELS.includes(given.enforcementLevel)
      ? given.enforcementLevel
      : (current?.enforcementLevel ?? "");
    const properties =
      given.properties && Object.keys(given.properties).length > 0
        ? { ...current?.properties, ...given.properties }
        : current?.properties;
    result[policy] = { enforcementLevel: level, ...(properties ? { properties } : {}) };
  }
  return result;
}

const schemaOf = (p: analyzerPb.PolicyInfo) => {
  const s = p.getConfigschema();
  if (!s) return undefined;
  return {
    properties: (s.getProperties()?.toJavaScript() ?? {}) as Record<string, Props>,
    required: s.getRequiredList(),
  };
};

const LEVEL_NAMES: Record<number, string> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
};

const ajv = new Ajv({ allErrors: true });

/** gojsonschema's wording of one error (its locales.go), where ajv's keyword has a counterpart. */
function gojsonschemaError(e: ErrorObject, data: unknown): string {
  const path = e.dataPath
    .replace(/^\./, "")
    .replace(/\[(\d+)\]/g, ".$1")
    .replace(/\['([^']*)'\]/g, ".$1");
  const field = path === "" ? "(root)" : path;
  const p = e.params as Record<string, unknown>;
  const given = (v: unknown) =>
    v === null
      ? "null"
      : Array.isArray(v)
        ? "array"
        : Number.isInteger(v)
          ? "integer"
          : typeof v === "object"
            ? "object"
            : typeof v;
  const value = path.split(".").reduce<unknown>((v, k) => (k && v ? (v as Props)[k] : v), data);
  const text: Record<string, () => string> = {
    required: () => `${String(p.missingProperty).replace(/^\./, "")} is required`,
    type: () => `Invalid type. Expected: ${String(p.type)}, given: ${given(value)}`,
    minimum: () => `Must be greater than or equal to ${String(p.limit)}`,
    maximum: () => `Must be less than or equal to ${String(p.limit)}`,
    exclusiveMinimum: () => `Must be greater than ${String(p.limit)}`,
    exclusiveMaximum: () => `Must be less than ${String(p.limit)}`,
    enum: () =>
      `${field} must be one of the following: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
    additionalProperties: () => `Additional property ${String(p.additionalProperty)} is not allowed`,
    pattern: () => `Does not match pattern '${String(p.pattern)}'`,
    minLength: () => `String length must be greater than or equal to ${String(p.limit)}`,
    maxLength: () => `String length must be less than or equal to ${String(p.limit)}`,
    minItems: () => `Array must have at least ${String(p.limit)} items`,
    maxItems: () => `Array must have at most ${String(p.limit)} items`,
  };
  return `${field}: ${text[e.keyword]?.() ?? e.message ?? e.keyword}`;
}

/**
 * config.go ReconcilePolicyPackConfig: every policy's schema defaults and default level, then the pack's initial
 * config, then the file's; then validatePolicyPackConfig checks each policy with a schema (`type: object`, its
 * properties and required) and returns "<policy>: <error>" lines with gojsonschema's "(root): " prefix trimmed.
 */
export function reconcilePolicyPackConfig(
  info: analyzerPb.AnalyzerInfo,
  fileConfig: Record<string, PolicyConfig>,
): { config: Record<string, PolicyConfig>; errors: string[] } {
  let result: Record<string, PolicyConfig> = {};
  for (const policy of info.getPoliciesList()) {
    const schema = schemaOf(policy);
    const defaults = Object.fromEntries(
      Object.entries(schema?.properties ?? {})
        .filter(([, s]) => "default" in s)
        .map(([k, s]) => [k, s.default]),
    );
    result[policy.getName()] = {
      enforcementLevel: LEVEL_NAMES[policy.getEnforcementlevel()] ?? "advisory",
      ...(Object.keys(defaults).length ? { properties: defaults } : {}),
    };
  }
  const initial: Record<string, PolicyConfig> = {};
  info.getInitialconfigMap().forEach((c, name) => {
    const properties = (c.getProperties()?.toJavaScript() ?? {}) as Props;
    initial[name] = {
      enforcementLevel: LEVEL_NAMES[c.getEnforcementlevel()] ?? "",
      ...(Object.keys(properties).length ? { properties } : {}),
    };
  });
  result = applyConfig(result, initial);
  result = applyConfig(result, fileConfig);

  const errors: string[] = [];
  for (const policy of info.getPoliciesList()) {
    const schema = schemaOf(policy);
    if (!schema) continue;
    const jsonSchema = {
      type: "object",
      ...(Object.keys(schema.properties).length ? { properties: schema.properties } : {}),
      ...(schema.required.length ? { required: schema.required } : {}),
    };
    const data = result[policy.getName()]?.properties ?? {};
    const validate = ajv.compile(jsonSchema);
    if (validate(data)) continue;
    for (const e of validate.errors ?? [])
      errors.push(`${policy.getName()}: ${gojsonschemaError(e, data).replace(/^\(root\): /, "")}`);
  }
  return { config: result, errors };
}
