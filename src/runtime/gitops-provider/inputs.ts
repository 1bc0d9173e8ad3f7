// GitOpsProvider's inputs (Bytebase 2.5 - 2.14 OAuth applications): their zod schema, defaults, and the failures
// `check` reports (one per bad property, each saying what is wrong and how to fix it, never quoting a secret nor
// naming a property the CLI would print a secret of).
import { z } from "zod";
import {
  callbackUrlProblems,
  describeScope,
  GIT_PROVIDER_TYPES,
  instanceUrlProblems,
  isGitProviderType,
  missingScopes,
  specFor,
  tryUrl,
  type GitProviderSpec,
  type GitProviderType,
} from "../../catalog";
import { onePerProperty, schemaFailures } from "../schema-failures";
import { secretSafe } from "../secret-safe";
import {
  connectionSchema,
  dropUndefined,
  httpUrl,
  isKnownString,
  orUnknown,
  text,
  UNKNOWN,
  type CheckFailure,
  type ConnectionInputs,
} from "../shared-inputs";

/** Checked inputs, defaults filled in. */
export interface ProviderInputs {
  readonly type: GitProviderType;
  readonly applicationId: string;
  readonly secret: string;
  readonly title: string;
  readonly instanceUrl: string;
  readonly callbackUrl?: string;
  readonly scopes?: string[];
  readonly verifyCredentials: boolean;
  /** Adopt the console's existing provider with this id on create, instead of making a new one. */
  readonly importId?: string;
  readonly connection?: ConnectionInputs;
}

const isKnown = (value: unknown): boolean => value !== undefined && value !== UNKNOWN;
const inputSchema = z.strictObject({
  type: orUnknown(z.enum(GIT_PROVIDER_TYPES, { error: `must be one of ${GIT_PROVIDER_TYPES.join(", ")}` })),
  applicationId: orUnknown(text("the application id", "the OAuth application's id from the Git provider")),
  secret: orUnknown(text("the secret", "the OAuth application's secret from the Git provider")),
  title: orUnknown(text("the title", "the display name shown in the console, e.g. 'GitHub.com'")).optional(),
  instanceUrl: orUnknown(
    httpUrl("e.g. https://github.com or your self-hosted instance's address"),
  ).optional(),
  callbackUrl: orUnknown(
    httpUrl("the callback registered in the OAuth app, <console external URL>/oauth/callback"),
  ).optional(),
  scopes: orUnknown(
    z.array(orUnknown(z.string({ error: "must be a scope name string" })), {
      error: "must be a list of scope names",
    }),
  ).optional(),
  verifyCredentials: orUnknown(z.boolean({ error: "must be true or false" })).optional(),
  importId: orUnknown(
    z
      .string({ error: 'must be a string: the console\'s id of the provider to adopt, e.g. "101"' })
      .regex(/^(externalVersionControls(\/|%2F))?\d+$/, {
        error: "must be the numeric id of an existing Git provider (e.g. 101) or externalVersionControls/101",
      }),
  ).optional(),
  connection: orUnknown(connectionSchema).optional(),
});

type RawInputs = z.infer<typeof inputSchema>;

const KNOWN_PROPERTIES = Object.keys(inputSchema.shape);

/** Validates and completes the inputs. Unknown values (preview) pass through unvalidated. */
export function checkInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const { __provider: _provider, ...props } = news;
  const parsed = inputSchema.safeParse(props);
  const failures = parsed.success
    ? []
    : schemaFailures(parsed.error.issues, props, {
        resource: "GitOpsProvider",
        required: REQUIRED,
        shape: inputSchema.shape,
      });
  // Rules across properties run on every property that passed its own schema, so each bad property is reported.
  // A property is flagged by its own schema issues (by path, not by the failure's name: an unknown key may be
  // named "secret.x" and must not hide the failures of `secret`).
  const flagged = new Set(
    parsed.success ? [] : parsed.error.issues.map((issue) => String(issue.path[0] ?? "")),
  );
  failures.push(...crossChecks(props).filter((f) => !flagged.has(topOf(f.property))));
  if (failures.length || !parsed.success)
    return { inputs: props, failures: secretSafe(onePerProperty(failures), props, SECRET_INPUTS) };
  return { inputs: withDefaults(parsed.data), failures: [] };
}

const topOf = (path: string): string => path.split(/[.[]/)[0]!;

const URL_PROPERTIES = new Set(["instanceUrl", "callbackUrl"]);

/**
 * `secret` and `connection` hold secrets; a URL that does not parse may be `user:secret@host`, and an application id
 * with the shape of the provider's secret is most likely the secret, pasted into it.
 */
const SECRET_INPUTS = {
  secret: ["secret", "connection"],
  known: KNOWN_PROPERTIES,
  mayBeSecret(top: string, props: Record<string, unknown>): boolean {
    const value = props[top];
    if (URL_PROPERTIES.has(top) && typeof value === "string") return !tryUrl(value.trim());
    if (top === "applicationId" && isKnownString(value) && isGitProviderType(props.type))
      return !specFor(props.type)
        .checkCredentials(value.trim(), value.trim())
        .some((issue) => issue.property === "secret");
    return false;
  },
};

const REQUIRED: Record<string, string> = {
  type: `one of ${GIT_PROVIDER_TYPES.join(", ")}`,
  applicationId: "the OAuth application's id from the Git provider",
  secret: "the OAuth application's secret from the Git provider (wrap it: cfg.requireSecret(...))",
};

/** Rules that need more than one property: credential shapes, scopes and URLs per Git provider type. */
function crossChecks(raw: Record<string, unknown>): CheckFailure[] {
  const known = isKnownString;
  const failures: CheckFailure[] = [];
  const typeSpec = known(raw.type) && isGitProviderType(raw.type) ? specFor(raw.type) : undefined;
  if (known(raw.instanceUrl))
    failures.push(
      ...instanceUrlProblems(raw.instanceUrl, typeSpec).map((p) => ({ property: "instanceUrl", reason: p })),
    );
  if (known(raw.callbackUrl))
    failures.push(
      ...callbackUrlProblems(raw.callbackUrl).map((p) => ({ property: "callbackUrl", reason: p })),
    );
  if (!typeSpec) return failures;
  const spec = typeSpec;
  if (known(raw.applicationId))
    failures.push(...spec.checkCredentials(raw.applicationId, known(raw.secret) ? raw.secret : undefined));
  if (Array.isArray(raw.scopes) && raw.scopes.every((s) => typeof s === "string"))
    failures.push(...scopeFailures(spec, raw.scopes));
  return failures;
}

/** Unknown scope names, and required ones the declared set does not grant (implications applied). */
function scopeFailures(spec: GitProviderSpec, scopes: string[]): CheckFailure[] {
  const failures: CheckFailure[] = [];
  scopes.forEach((scope, i) => {
    if (isKnown(scope) && !spec.scopes[scope])
      failures.push({
        property: `scopes[${i}]`,
        reason: `'${scope}' is not one of the ${spec.label} ${spec.scopeTerm} (known: ${Object.keys(spec.scopes).join(", ")}); fix the spelling or remove it`,
      });
  });
  if (scopes.some((s) => !isKnown(s))) return failures;
  const missing = missingScopes(spec, scopes);
  if (missing.length)
    failures.push({
      property: "scopes",
      reason:
        `lacks what the console needs: ${missing.map((s) => describeScope(spec, s)).join(", ")}; ` +
        `grant ${missing.length > 1 ? "them" : "it"} in ${spec.whereToRegister} and add ${missing.length > 1 ? "them" : "it"} here`,
    });
  return failures;
}

function withDefaults(raw: RawInputs): Record<string, unknown> {
  const spec = isKnown(raw.type) ? specFor(raw.type as GitProviderType) : undefined;
  const instanceUrl = raw.instanceUrl ?? spec?.defaultInstanceUrl;
  return dropUndefined({
    ...raw,
    title: raw.title ?? spec?.defaultTitle,
    instanceUrl: isKnown(instanceUrl) ? (instanceUrl as string).replace(/\/+$/, "") : instanceUrl,
    verifyCredentials: raw.verifyCredentials ?? true,
  });
}
