// What an access token may be declared to grant (`VcsProvider.permissions`) and what Bytebase needs of it, per kind
// of token: names in the Git provider's own words, implications applied. Used by `check`, the token verification
// and the policies.
import type { ScopeInfo, TokenKind } from "./types";

/** `access token` -> `an access token`. */
export const withArticle = (words: string) => `${/^[aeiou]/i.test(words) ? "an" : "a"} ${words}`;

/** The declared permissions plus everything they imply, transitively. */
export function expandPermissions(
  known: Readonly<Record<string, ScopeInfo>>,
  declared: readonly string[],
): Set<string> {
  const granted = new Set<string>();
  const queue = [...declared];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (granted.has(name)) continue;
    granted.add(name);
    queue.push(...(known[name]?.implies ?? []));
  }
  return granted;
}

/** A permission in the Git provider's words, e.g. `Webhooks (Read and write) (repository_hooks:write)`. */
export function describePermission(kind: TokenKind, name: string): string {
  const ui = kind.known[name]?.uiName;
  return ui && ui !== name ? `${ui} (${name})` : name;
}

/** How a declaration reads against the kinds of token of one Git provider. */
export interface PermissionsReading {
  /** The kind the declaration is for: the one that knows most of its names (the first on a tie). */
  readonly kind: TokenKind;
  /** Required permissions of that kind that the declaration does not grant, even through implications. */
  readonly missing: string[];
  /** Declared names that kind does not know. */
  readonly unknown: string[];
  /** Declared names beyond what Bytebase needs (and what that implies), `allowedExtra` aside. */
  readonly excess: string[];
}

/** Reads a declaration: which kind of token it describes, what is missing, unknown, or beyond need. */
export function readPermissions(
  kinds: readonly TokenKind[],
  declared: readonly string[],
  allowedExtra: readonly string[] = [],
): PermissionsReading {
  let best = kinds[0]!;
  let bestKnown = -1;
  for (const kind of kinds) {
    const count = declared.filter((name) => kind.known[name]).length;
    if (count > bestKnown) [best, bestKnown] = [kind, count];
  }
  const granted = expandPermissions(best.known, declared);
  const needed = expandPermissions(best.known, [...best.required, ...allowedExtra]);
  return {
    kind: best,
    missing: best.required.filter((name) => !granted.has(name)),
    unknown: declared.filter((name) => !best.known[name]),
    excess: declared.filter((name) => best.known[name] && !needed.has(name)),
  };
}

/** GitHub's fine-grained permission names: `<key>:<level>`, each level implying the lower ones. */
export function leveledPermissions(
  entries: readonly (readonly [key: string, ui: string, levels: string, highPrivilege?: boolean])[],
): Record<string, ScopeInfo> {
  const words: Record<string, string> = { read: "Read-only", write: "Read and write", admin: "Admin" };
  const out: Record<string, ScopeInfo> = {};
  for (const [key, ui, levels, highPrivilege] of entries) {
    const list = levels.split(",");
    list.forEach((level, i) => {
      const lower = list[i - 1];
      out[`${key}:${level}`] = {
        uiName: `${ui} (${words[level] ?? level})`,
        implies: lower ? [`${key}:${lower}`] : undefined,
        highPrivilege: highPrivilege && level !== "read" ? true : undefined,
      };
    });
  }
  return out;
}
