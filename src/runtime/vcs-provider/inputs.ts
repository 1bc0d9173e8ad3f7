// The VcsProvider's inputs (Bytebase 2.15 - 3.4 access-token Git providers): their schema, defaults, and the
// failures `check` reports (one per bad property, saying what is wrong and how to fix it, never quoting the token).
import { z } from "zod";
import {
  GIT_PROVIDER_TYPES,
  instanceUrlProblems,
  isGitProviderType,
  specFor,
  tryUrl,
  type GitProviderSpec,
  type GitProviderType,
} from "../../catalog";
import {
  connectionSchema,
  dropUndefined,
  isKnownString,
  UNKNOWN,
  type CheckFailure,
  type ConnectionInputs,
} from "../shared-inputs";
import { onePerProperty, schemaFailures } from "../schema-failures";
import { looksLikeCredential, secretSafe } from "../secret-safe";

/** Checked inputs, defaults filled in. */
export interface VcsProviderInputs {
  readonly resourceId: string;
  readonly type: GitProviderType;
  readonly title: string;
  readonly instanceUrl: string;
  readonly accessToken: string;
  /** What the token was made to grant, in the Git provider's words. */
  readonly permissions?: string[];
  readonly verifyToken: boolean;
  readonly adoptExisting: boolean;
  readonly connection?: ConnectionInputs;
}

/** backend/api/v1/common.go@2.15.0 (the same at 3.4.1) resourceIDMatcher: what CreateVCSProvider accepts. */
export const RESOURCE_ID = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
/**
 * The ids Bytebase's 2.15 migration gives the lowest-id provider of each type (`LOWER(type)`,
 * backend/migrator/migration/prod/2.15/0005##vcs_resource_id.sql@2.15.0): `azure_devops` breaks the create rule,
 * but the row exists and can be adopted.
 */
export const MIGRATED_IDS = GIT_PROVIDER_TYPES.map((t) => t.toLowerCase());

const orUnknown = <T extends z.ZodType>(schema: T) => z.union([z.literal(UNKNOWN), schema]);
const text = (fix: string) =>
  z
    .string({ error: `must be a string: ${fix}` })
    .min(1, { error: `must not be empty: ${fix}` })
    .refine((v) => v.trim() === v, { error: `has leading or trailing whitespace: ${fix}` });

const schema = z.strictObject({
  resourceId: orUnknown(text("the provider's id in the console, e.g. gitlab-main")),
  type: orUnknown(z.enum(GIT_PROVIDER_TYPES, { error: `must be one of ${GIT_PROVIDER_TYPES.join(", ")}` })),
  title: orUnknown(text("the display name shown in the console, e.g. 'GitLab'")).optional(),
  instanceUrl: orUnknown(
    z
      .string({ error: "must be a URL string, e.g. https://gitlab.com" })
      .refine((v) => ["http:", "https:"].includes(tryUrl(v)?.protocol ?? ""), {
        error: "must be an absolute http(s) URL, e.g. https://gitlab.com",
      }),
  ).optional(),
  accessToken: orUnknown(
    z
      .string({
        error: "must be a string: the Git provider's access token (wrap it: cfg.requireSecret(...))",
      })
      .min(1, { error: "must not be empty: the Git provider's access token" }),
  ),
  permissions: orUnknown(
    z.array(orUnknown(z.string({ error: "must be a permission name string" })), {
      error: "must be a list of the token's permission names, e.g. ['api', 'read_repository']",
    }),
  ).optional(),
  verifyToken: orUnknown(z.boolean({ error: "must be true or false" })).optional(),
  adoptExisting: orUnknown(z.boolean({ error: "must be true or false" })).optional(),
  connection: orUnknown(connectionSchema).optional(),
});

/** The token and the console's connection hold secrets. */
const SECRET_INPUTS = { secret: ["accessToken", "connection"], known: Object.keys(schema.shape) };

const REQUIRED: Record<string, string> = {
  resourceId: "the provider's id in the console, e.g. gitlab-main (lower-case letters, digits and '-')",
  type: `one of ${GIT_PROVIDER_TYPES.join(", ")}`,
  accessToken: "the Git provider's access token (wrap it: cfg.requireSecret(...))",
};

export function checkVcsProviderInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const { __provider: _provider, ...props } = news;
  const parsed = schema.safeParse(props);
  const failures: CheckFailure[] = parsed.success
    ? []
    : schemaFailures(parsed.error.issues, props, {
        resource: "VcsProvider",
        required: REQUIRED,
        shape: schema.shape,
      });
  const flagged = new Set(failures.map((f) => f.property.split(/[.[]/)[0]!));
  failures.push(...crossChecks(props).filter((f) => !flagged.has(f.property)));
  if (failures.length || !parsed.success)
    return { inputs: props, failures: secretSafe(onePerProperty(failures), props, SECRET_INPUTS) };
  const raw = parsed.data;
  const spec = isKnownString(raw.type) ? specFor(raw.type as GitProviderType) : undefined;
  const instanceUrl = raw.instanceUrl ?? spec?.defaultInstanceUrl;
  return {
    inputs: dropUndefined({
      ...raw,
      title: raw.title ?? spec?.defaultTitle,
      instanceUrl: isKnownString(instanceUrl) ? instanceUrl.replace(/\/+$/, "") : instanceUrl,
      verifyToken: raw.verifyToken ?? true,
      adoptExisting: raw.adoptExisting ?? false,
    }),
    failures: [],
  };
}

/** The resource-id rule, the instance URL per type, and the token's form per Git provider. */
function crossChecks(raw: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const id = raw.resourceId;
  if (isKnownString(id) && !RESOURCE_ID.test(id)) {
    const migrated = MIGRATED_IDS.includes(id);
    if (!migrated || raw.adoptExisting !== true)
      failures.push({
        property: "resourceId",
        reason: migrated
          ? `'${id}' is an id only Bytebase's 2.15 upgrade gives (the create API refuses it): set adoptExisting: true to take over that provider`
          : resourceIdProblem(id, "gitlab-main"),
      });
  }
  const spec = isKnownString(raw.type) && isGitProviderType(raw.type) ? specFor(raw.type) : undefined;
  if (isKnownString(raw.instanceUrl)) {
    // A self-managed GitLab or GitHub Enterprise may be served under a path, which Bytebase keeps
    // (vcs_provider_service.go@2.15.0 CreateVCSProvider: strings.TrimRight(url, "/")); the cloud types have one URL.
    failures.push(
      ...instanceUrlProblems(raw.instanceUrl, spec).map((reason) => ({ property: "instanceUrl", reason })),
    );
    if (spec?.cloudOnly && tryUrl(raw.instanceUrl.trim())?.host !== tryUrl(spec.defaultInstanceUrl)?.host)
      failures.push({
        property: "instanceUrl",
        reason: `${spec.label} has one address: use ${spec.defaultInstanceUrl} (or leave instanceUrl out)`,
      });
  }
  if (!spec) return failures;
  if (Array.isArray(raw.permissions) && raw.permissions.every(isKnownString))
    failures.push(...permissionFailures(spec, raw.permissions));
  if (isKnownString(raw.accessToken))
    failures.push(
      ...spec.accessToken.shapeProblems(raw.accessToken).map((p) => ({
        property: "accessToken",
        reason: `${p} (a ${spec.label} ${spec.accessToken.term})`,
      })),
    );
  return failures;
}

/**
 * A resource id that breaks the rule: the rule and an id that keeps it, made from the given one unless that may be a
 * credential pasted into the wrong input (then neither is quoted).
 */
export function resourceIdProblem(id: string, example: string): string {
  const rule =
    "breaks Bytebase's resource-id rule: 1 to 63 characters, lower-case letters, digits and '-', starting with a letter and not ending with '-'";
  if (looksLikeCredential(id))
    return `${rule} (e.g. ${example}); it looks like a credential: is it the right input?`;
  const fixed = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "");
  return `'${id}' ${rule} (e.g. ${fixed || example})`;
}

/**
 * Names no kind of the type's tokens knows (a typo). Whether the declaration covers what Bytebase needs is the
 * policies' call (gitops-token-permissions) and the token verification's, not `check`'s.
 */
function permissionFailures(spec: GitProviderSpec, permissions: string[]): CheckFailure[] {
  const { kinds } = spec.accessToken;
  const examples = kinds.map((k) => `${k.kind}: ${k.required.join(", ")}`).join("; ");
  return permissions.flatMap((name, i) =>
    kinds.some((k) => k.known[name])
      ? []
      : [
          {
            property: `permissions[${i}]`,
            reason: `'${name}' is not a ${spec.label} token permission (${examples}); fix the spelling or remove it`,
          },
        ],
  );
}
