// Name patterns for the connector policies (`main`, `release-*`, `/^hotfix\/.+$/`), Git's branch-name rules, and
// the base-directory form Bytebase can match.

/**
 * Whether `name` matches one pattern: `/.../` is a regular expression (JavaScript's syntax, `u` flag) matched against
 * the whole name; anything else a glob where `*` matches any run of characters but `/`, `**` any run at all, `?` one
 * character but `/`. The settings are checked first (patternProblem): a regular expression here is a valid one.
 */
export function matchesPattern(name: string, pattern: string): boolean {
  const p = pattern.trim();
  if (isRegexPattern(p)) return new RegExp(`^(?:${p.slice(1, -1)})$`, "u").test(name);
  let re = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "*" && p[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "u").test(name);
}

/** `/.../`: a regular expression, not a glob. */
export const isRegexPattern = (pattern: string) => {
  const p = pattern.trim();
  return p.length > 2 && p.startsWith("/") && p.endsWith("/");
};

/**
 * Why a `/.../` pattern is not a valid regular expression (V8's reason, e.g. `Unterminated character class`); undefined
 * for a valid one and for a glob (every glob is valid). The expression is compiled alone, so that one which is only
 * valid inside matchesPattern's `^(?:...)$` (such as `a)|(b`) is refused too.
 */
export function patternProblem(pattern: string): string | undefined {
  const p = pattern.trim();
  if (!isRegexPattern(p)) return undefined;
  try {
    new RegExp(p.slice(1, -1), "u");
    return undefined;
  } catch (error) {
    const message = (error as Error).message; // "Invalid regular expression: /[a-/u: Unterminated character class"
    return /: ([^:]+)$/.exec(message)?.[1] ?? message;
  }
}

export const matchesAny = (name: string, patterns: readonly string[]) =>
  patterns.some((p) => matchesPattern(name, p));

/**
 * Why `branch` cannot be a Git branch name, after git-check-ref-format(1) (Documentation/git-check-ref-format.txt
 * in git/git) and `git branch` (no leading '-'); or, for `refs/heads/...`, why Bytebase would never match it: its
 * webhook compares the pull request's target branch by its short name (backend/api/gitops/{github,gitlab,bitbucket,
 * azure}.go@2.15.0, the same at 3.4.1). Empty when it is a good branch name.
 */
export function branchNameProblems(branch: string): string[] {
  const problems: string[] = [];
  if (branch.trim() !== branch) problems.push("has leading or trailing whitespace");
  if (branch.startsWith("refs/"))
    problems.push(
      `is a full ref; Bytebase compares the pull request's target branch by its short name, so it would match no pull request (use '${branch.replace(/^refs\/heads\//, "")}')`,
    );
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(branch.trim()))
    problems.push(
      "contains a character Git refuses in branch names (space, control characters, ~ ^ : ? * [ or \\); Bytebase compares the branch literally, so a pattern matches nothing",
    );
  if (branch.includes("..")) problems.push("contains '..'");
  if (branch.includes("@{") || branch === "@") problems.push("contains '@{' or is '@'");
  if (branch.startsWith("-")) problems.push("starts with '-'");
  if (branch.startsWith("/") || branch.endsWith("/") || branch.includes("//"))
    problems.push("begins or ends with '/' or contains '//'");
  if (branch.endsWith(".")) problems.push("ends with '.'");
  if (branch.split("/").some((c) => c.startsWith(".") || c.endsWith(".lock")))
    problems.push("has a part that starts with '.' or ends with '.lock'");
  return problems;
}

/** The base directory without its leading and trailing '/': the form both 2.15 and 3.4 compare. */
export const bareDirectory = (dir: string) => dir.replace(/^\/+|\/+$/g, "");

/**
 * Why Bytebase would match no file with this base directory: it keeps the changed files whose directory (Go's
 * `filepath.Dir`, always a clean path) equals it (backend/api/gitops/common.go@2.15.0 getChangesByFileList, the same
 * at 3.4.1 with a leading '/'), so a path that is not clean, or holds a wildcard, never matches. Empty when fine.
 */
export function baseDirectoryProblems(dir: string): string[] {
  const problems: string[] = [];
  if (dir.trim() !== dir) problems.push("has leading or trailing whitespace");
  if (dir.includes("\\")) problems.push("contains '\\' (Git paths use '/')");
  const parts = bareDirectory(dir.trim()).split("/");
  if (parts.some((p) => p === "." || p === "..")) problems.push("contains a '.' or '..' part");
  if (bareDirectory(dir.trim()) !== "" && parts.some((p) => p === "")) problems.push("contains '//'");
  if (/[*?[]/.test(dir)) problems.push("contains a wildcard (Bytebase compares the directory literally)");
  return problems;
}
