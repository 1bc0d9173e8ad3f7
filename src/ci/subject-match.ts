// Bytebase's own subject rule for workload identities: how an OIDC token's `sub` meets an identity's pattern.

/**
 * `matchSubjectPattern` of backend/plugin/idp/wif/wif.go (identical at bytebase@3.13.0, @3.15.0, @3.16.0, @3.21.1):
 * an empty pattern matches every subject; a pattern ending in `*` is a plain prefix match on what precedes that one
 * `*` (so `*` alone matches every subject, and `repo:o/r*` also matches `repo:o/r-evil:...`); any other pattern must
 * equal the subject, so a `*` anywhere else is a literal character that no GitHub or GitLab subject contains.
 * Only `sub` is compared: no `repository_id`, `ref_protected`, `environment` or `event_name` claim.
 */
export function matchSubjectPattern(subject: string, pattern: string): boolean {
  if (pattern === "") return true;
  if (pattern.endsWith("*")) return subject.startsWith(pattern.slice(0, -1));
  return subject === pattern;
}

/**
 * The audience check of ValidateToken (wif.go@3.21.1): skipped when the identity allows no audience; otherwise one
 * of the token's audiences must equal one allowed.
 */
export function matchAudience(tokenAudiences: readonly string[], allowed: readonly string[]): boolean {
  return allowed.length === 0 || allowed.some((a) => tokenAudiences.includes(a));
}
