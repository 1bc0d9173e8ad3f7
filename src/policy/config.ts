// Policy settings: their JSON schemas and defaults, and how code-level settings, `--policy-pack-config`
// values and enforcement levels combine (the CLI fills schema defaults; outside it `getConfig()` is `{}`), and the
// failure for a value no schema can check (an invalid regular expression).
import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { GIT_PROVIDER_TYPES, type GitProviderType } from "../catalog";
import { patternProblem } from "./patterns";

/** A policy's level alone, or its settings with an optional level (as in `--policy-pack-config`). */
export type PolicyArgs<S> = EnforcementLevel | (S & { enforcementLevel?: EnforcementLevel });

/** Lists per Git provider type, keyed by the console's type (`GITHUB`, ...). */
export type PerType<T> = Partial<Record<GitProviderType, T>>;

/** One setting: its schema (without `default`), its built-in default, and a tolerant parser. */
export interface Setting<T> {
  readonly schema: PolicyConfigJSONSchema;
  readonly defaultValue: T;
  /** The value when well-formed, else undefined (so the next source applies). Never throws. */
  parse(value: unknown): T | undefined;
  /**
   * Why a well-formed value cannot be used (what a JSON schema cannot tell, e.g. an invalid regular expression): one
   * line per problem, quoting the item. The policy fails with them when it reads its settings (PolicySettingError).
   */
  problems?(value: T): string[];
}

export type SettingSpecs<S> = { readonly [K in keyof S]-?: Setting<NonNullable<S[K]>> };
export type Resolved<S> = { readonly [K in keyof S]-?: NonNullable<S[K]> };

const LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

export function isEnforcementLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && LEVELS.includes(value);
}

function get(obj: unknown, key: string): unknown {
  if (typeof obj !== "object" || obj === null) return undefined;
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function parseStrings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items = value.map((item) => (typeof item === "string" ? item.trim() : undefined));
  return items.every((item): item is string => item !== undefined)
    ? items.filter((s) => s !== "")
    : undefined;
}

export function stringList(description: string): Setting<string[]> {
  return {
    schema: { type: "array", items: { type: "string" }, description },
    defaultValue: [],
    parse: parseStrings,
  };
}

/**
 * Globs or `/regex/`s (see patterns.ts). A regular expression's syntax is checked when the policy reads its settings,
 * not by the schema: JSON Schema's `format: regex` is ECMA 262 in ajv but Go's RE2 in the CLI's gojsonschema, and the
 * policy matches with JavaScript's.
 */
export function patternList(description: string): Setting<string[]> {
  return {
    ...stringList(description),
    problems: (patterns) =>
      patterns.flatMap((p) => {
        const why = patternProblem(p);
        return why === undefined
          ? []
          : [
              `${JSON.stringify(p)} is not a valid regular expression (${why}): write one in JavaScript's syntax ` +
                "between the slashes (matched against the whole value), or a glob ('*', '**', '?')",
            ];
      }),
  };
}

export function stringListPerType(description: string): Setting<PerType<string[]>> {
  const list: PolicyConfigJSONSchema = { type: "array", items: { type: "string" } };
  return {
    schema: {
      type: "object",
      properties: Object.fromEntries(GIT_PROVIDER_TYPES.map((t) => [t, list])),
      additionalProperties: false,
      description,
    },
    defaultValue: {},
    parse(value) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
      const out: PerType<string[]> = {};
      for (const type of GIT_PROVIDER_TYPES) {
        const raw = get(value, type);
        if (raw === undefined) continue;
        const items = parseStrings(raw);
        if (!items) return undefined;
        out[type] = items;
      }
      return out;
    },
  };
}

export function nonNegativeInteger(description: string, defaultValue: number): Setting<number> {
  return {
    schema: { type: "integer", minimum: 0, description },
    defaultValue,
    parse: (value) =>
      typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined,
  };
}

export function flag(description: string, defaultValue: boolean): Setting<boolean> {
  return {
    schema: { type: "boolean", description },
    defaultValue,
    parse: (value) => (typeof value === "boolean" ? value : undefined),
  };
}

/** Code-level settings over built-in defaults: what the policy uses when the pack config says nothing. */
function resolveSettings<S>(specs: SettingSpecs<S>, ...sources: unknown[]): Resolved<S> {
  const out: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(specs) as [string, Setting<unknown>][]) {
    let value: unknown = undefined;
    for (const source of sources) {
      value = setting.parse(get(source, key));
      if (value !== undefined) break;
    }
    out[key] = value ?? setting.defaultValue;
  }
  return out as Resolved<S>;
}

/** The policy's `configSchema`: each setting's schema with the effective default, so the CLI shows and fills it. */
function configSchema<S>(specs: SettingSpecs<S>, defaults: Resolved<S>): PolicyConfigSchema {
  const properties: Record<string, PolicyConfigJSONSchema> = {};
  for (const [key, setting] of Object.entries(specs) as [string, Setting<unknown>][]) {
    properties[key] = { ...setting.schema, default: (defaults as Record<string, unknown>)[key] as never };
  }
  return { properties };
}

/** Splits a factory's argument into its enforcement level and its settings. */
function splitArgs<S>(
  args: PolicyArgs<S> | undefined,
  defaultLevel: EnforcementLevel,
): { enforcementLevel: EnforcementLevel; settings: Partial<S> } {
  if (isEnforcementLevel(args)) return { enforcementLevel: args, settings: {} };
  if (typeof args !== "object" || args === null) return { enforcementLevel: defaultLevel, settings: {} };
  const { enforcementLevel, ...settings } = args as S & { enforcementLevel?: unknown };
  return {
    enforcementLevel: isEnforcementLevel(enforcementLevel) ? enforcementLevel : defaultLevel,
    settings: settings as Partial<S>,
  };
}

/**
 * A setting the policy cannot use. Thrown when the policy reads its settings: @pulumi/policy's analyzer answers the
 * Analyze call with it as an error naming the policy and the pack (server.js makeAnalyzeRpcFun), and the CLI reports
 * it once and stops the run (pkg/resource/deploy/step_generator.go analyzeAll: "failed to run policy: ...";
 * deployment_executor.go cancels). The analyzer quotes the error's stack (protoutil.js asGrpcError): it is the
 * message alone, since a wrong setting has no useful frames.
 */
export class PolicySettingError extends Error {
  constructor(policy: string, problems: readonly string[]) {
    super(
      `invalid policy config: ${policy}: ${problems.join("; ")}. Fix: correct it in the --policy-pack-config file, ` +
        "or where the pack's code sets it",
    );
    this.name = "PolicySettingError";
    this.stack = this.message;
  }
}

/**
 * The settings in effect for one validation: `--policy-pack-config` first, then code-level settings, then defaults;
 * throws PolicySettingError when one of them cannot be used.
 */
function settingsAt<S>(
  name: string,
  specs: SettingSpecs<S>,
  codeLevel: Resolved<S>,
  args: { getConfig?: unknown },
): Resolved<S> {
  let packConfig: unknown = undefined;
  try {
    if (typeof args.getConfig === "function") packConfig = (args.getConfig as () => unknown)();
  } catch {
    packConfig = undefined;
  }
  const settings = resolveSettings(specs, packConfig, codeLevel);
  const problems = (Object.entries(specs) as [string, Setting<unknown>][]).flatMap(([key, setting]) =>
    (setting.problems?.((settings as Record<string, unknown>)[key]) ?? []).map((p) => `${key}: ${p}`),
  );
  if (problems.length) throw new PolicySettingError(name, problems);
  return settings;
}

/** A policy's settings, from its factory argument: its level, its config schema, and the settings per validation. */
export interface PolicySettings<S> {
  readonly enforcementLevel: EnforcementLevel;
  readonly configSchema: PolicyConfigSchema;
  /**
   * The settings in effect for one validation (`--policy-pack-config`, then code-level, then defaults); throws
   * PolicySettingError for a setting that cannot be used (e.g. an invalid regular expression).
   */
  at(args: { getConfig?: unknown }): Resolved<S>;
}

export function policySettings<S>(
  name: string,
  specs: SettingSpecs<S>,
  args: PolicyArgs<S> | undefined,
  defaultLevel: EnforcementLevel,
): PolicySettings<S> {
  const { enforcementLevel, settings } = splitArgs(args, defaultLevel);
  const codeLevel = resolveSettings(specs, settings);
  return {
    enforcementLevel,
    configSchema: configSchema(specs, codeLevel),
    at: (validation) => settingsAt(name, specs, codeLevel, validation),
  };
}
