// What the policies see of a VcsProvider and a VcsConnector (Bytebase 2.15 - 3.4): their type tokens and tolerant
// readers of their properties (unknown during preview, missing, or junk), which never throw.
import { CATALOG, isGitProviderType, type GitProviderSpec, type GitProviderType } from "../catalog";
import { VCS_CONNECTOR_TYPE, VCS_PROVIDER_TYPE } from "../resource/type-token";
import { isArray, read, UNKNOWN } from "./gitops-resources";

export { VCS_CONNECTOR_TYPE, VCS_PROVIDER_TYPE };

export type VcsProviderProp =
  "type" | "resourceId" | "title" | "instanceUrl" | "permissions" | "verification";
export type VcsConnectorProp =
  | "project"
  | "resourceId"
  | "vcsProvider"
  | "repository"
  | "branch"
  | "baseDirectory"
  | "databaseGroup"
  | "title";

interface Known<P extends string> {
  /** Properties whose value is not known yet (preview): checks that need them are skipped. */
  readonly unknown: ReadonlySet<P>;
  /** Properties present with a value of the wrong shape. */
  readonly malformed: ReadonlySet<P>;
}

/** A VcsProvider's properties as far as they are known and well-formed. */
export interface VcsProviderView extends Known<VcsProviderProp> {
  /** Set only for one of the four known types. */
  readonly type?: GitProviderType;
  readonly spec?: GitProviderSpec;
  readonly resourceId?: string;
  readonly title?: string;
  readonly instanceUrl?: string;
  /** The declared permissions of the token, in the Git provider's words. */
  readonly permissions?: readonly string[];
  /** An output (stack policies only): when the Git provider says the token expires (ISO 8601). */
  readonly tokenExpiresAt?: string;
}

/** A VcsConnector's inputs as far as they are known and well-formed. */
export interface VcsConnectorView extends Known<VcsConnectorProp> {
  readonly project?: string;
  readonly resourceId?: string;
  readonly vcsProvider?: string;
  readonly repository?: string;
  readonly branch?: string;
  readonly baseDirectory?: string;
  readonly databaseGroup?: string;
  readonly title?: string;
}

export function reader<P extends string>(props: unknown) {
  const unknown = new Set<P>();
  const malformed = new Set<P>();
  const text = (key: P): string | undefined => {
    const value = read(props, key);
    if (value === UNKNOWN) unknown.add(key);
    else if (typeof value === "string") return value;
    else if (value !== undefined && value !== null) malformed.add(key);
    return undefined;
  };
  const strings = (key: P): string[] | undefined => {
    const raw = read(props, key);
    if (raw === UNKNOWN) unknown.add(key);
    else if (isArray(raw)) {
      const length = read(raw, "length");
      const list: string[] = [];
      for (let i = 0; typeof length === "number" && i < length; i++) {
        const item = read(raw, i);
        if (item === UNKNOWN) unknown.add(key);
        else if (typeof item === "string") list.push(item);
        else malformed.add(key);
      }
      if (typeof length !== "number") malformed.add(key);
      if (!unknown.has(key) && !malformed.has(key)) return list;
    } else if (raw !== undefined && raw !== null) malformed.add(key);
    return undefined;
  };
  return { unknown, malformed, text, strings };
}

/** Reads a VcsProvider's properties (inputs, or outputs for stack policies); never throws, whatever `props` is. */
export function readVcsProvider(props: unknown): VcsProviderView {
  const r = reader<VcsProviderProp>(props);
  const rawType = r.text("type");
  const type = isGitProviderType(rawType) ? rawType : undefined;
  if (rawType !== undefined && !type) r.malformed.add("type");
  const verification = read(props, "verification");
  if (verification === UNKNOWN) r.unknown.add("verification");
  const expires = verification === UNKNOWN ? undefined : read(verification, "tokenExpiresAt");
  if (expires === UNKNOWN) r.unknown.add("verification");
  return {
    type,
    spec: type ? CATALOG[type] : undefined,
    resourceId: r.text("resourceId"),
    title: r.text("title"),
    instanceUrl: r.text("instanceUrl"),
    permissions: r.strings("permissions"),
    tokenExpiresAt: typeof expires === "string" ? expires : undefined,
    unknown: r.unknown,
    malformed: r.malformed,
  };
}

/** Reads a VcsConnector's properties; never throws, whatever `props` is. */
export function readVcsConnector(props: unknown): VcsConnectorView {
  const r = reader<VcsConnectorProp>(props);
  return {
    project: r.text("project"),
    resourceId: r.text("resourceId"),
    vcsProvider: r.text("vcsProvider"),
    repository: r.text("repository"),
    branch: r.text("branch"),
    baseDirectory: r.text("baseDirectory"),
    databaseGroup: r.text("databaseGroup"),
    title: r.text("title"),
    unknown: r.unknown,
    malformed: r.malformed,
  };
}
