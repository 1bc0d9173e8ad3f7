// What the policies see of a GitOpsProvider: its type token and a tolerant reader of its inputs
// (unknown during preview, missing, or junk), which never throws.
import { CATALOG, isGitProviderType, type GitProviderSpec, type GitProviderType } from "../catalog";

/** The type token of the `GitOpsProvider` dynamic resource. */
export { GITOPS_PROVIDER_TYPE } from "../resource/type-token";

/** The inputs the policies read. */
export type ProviderProp =
  "type" | "applicationId" | "secret" | "title" | "instanceUrl" | "callbackUrl" | "scopes";

/** A GitOpsProvider's inputs as far as they are known and well-formed. */
export interface GitOpsProviderView {
  /** Set only for one of the four known types. */
  readonly type?: GitProviderType;
  readonly spec?: GitProviderSpec;
  readonly applicationId?: string;
  readonly secret?: string;
  readonly title?: string;
  readonly instanceUrl?: string;
  readonly callbackUrl?: string;
  readonly scopes?: readonly string[];
  /** Inputs whose value is not known yet (preview): checks that need them are skipped. */
  readonly unknown: ReadonlySet<ProviderProp>;
  /** Inputs present with a value of the wrong shape (e.g. `scopes: 5`). */
  readonly malformed: ReadonlySet<ProviderProp>;
}

/** The sentinels Pulumi sends for values unknown during preview (string, boolean, number, array, asset, archive, object). */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** What `read` returns for a value not known yet. */
export const UNKNOWN = Symbol("unknown");

/** Reads `obj[key]`; the policy SDK's proxy throws for unknown values, and junk objects may throw too. */
export function read(obj: unknown, key: string | number): unknown {
  if (typeof obj !== "object" || obj === null) return undefined;
  try {
    const value: unknown = (obj as Record<string | number, unknown>)[key];
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
  } catch {
    return UNKNOWN;
  }
}

export function isArray(value: unknown): value is unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/** Reads a GitOpsProvider's inputs; never throws, whatever `props` is. */
export function readGitOpsProvider(props: unknown): GitOpsProviderView {
  const unknown = new Set<ProviderProp>();
  const malformed = new Set<ProviderProp>();
  const text = (key: ProviderProp): string | undefined => {
    const value = read(props, key);
    if (value === UNKNOWN) unknown.add(key);
    else if (typeof value === "string") return value;
    else if (value !== undefined && value !== null) malformed.add(key);
    return undefined;
  };

  const rawType = text("type");
  const type = isGitProviderType(rawType) ? rawType : undefined;
  if (rawType !== undefined && !type) malformed.add("type");

  let scopes: string[] | undefined;
  const rawScopes = read(props, "scopes");
  if (rawScopes === UNKNOWN) unknown.add("scopes");
  else if (isArray(rawScopes)) {
    const length = read(rawScopes, "length");
    const list: string[] = [];
    for (let i = 0; typeof length === "number" && i < length; i++) {
      const item = read(rawScopes, i);
      if (item === UNKNOWN) unknown.add("scopes");
      else if (typeof item === "string") list.push(item);
      else malformed.add("scopes");
    }
    if (typeof length !== "number") malformed.add("scopes");
    if (!unknown.has("scopes") && !malformed.has("scopes")) scopes = list;
  } else if (rawScopes !== undefined && rawScopes !== null) malformed.add("scopes");

  return {
    type,
    spec: type ? CATALOG[type] : undefined,
    applicationId: text("applicationId"),
    secret: text("secret"),
    title: text("title"),
    instanceUrl: text("instanceUrl"),
    callbackUrl: text("callbackUrl"),
    scopes,
    unknown,
    malformed,
  };
}

/** The instance URL in effect: the declared one, else the catalog's default; undefined while unknown. */
export function effectiveInstanceUrl(view: {
  readonly unknown: ReadonlySet<string>;
  readonly malformed: ReadonlySet<string>;
  readonly spec?: GitProviderSpec;
  readonly instanceUrl?: string;
}): string | undefined {
  if (view.unknown.has("instanceUrl") || view.malformed.has("instanceUrl") || !view.spec) return undefined;
  return view.instanceUrl ?? view.spec.defaultInstanceUrl;
}
