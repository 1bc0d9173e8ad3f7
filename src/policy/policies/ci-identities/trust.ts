// What the CI-identity policies share: what a subject pattern admits under Bytebase's rule
// (backend/plugin/idp/wif/wif.go@3.21.1, src/ci/subject-match.ts), and which roles can roll out.
import type { CiProviderType } from "../../../ci/subject";
import { matchSubjectPattern } from "../../../ci/subject-match";

/** The pattern's repository (`repo:<o>/<r>:` or `project_path:<g>/<p>:`), if it names exactly one. */
export function repositoryOf(provider: CiProviderType, pattern: string): string | undefined {
  const prefix = provider === "GITHUB" ? "repo:" : "project_path:";
  const m = new RegExp(`^${prefix}([^:*]+/[^:*]+):`).exec(pattern);
  return m?.[1];
}

/** Why the pattern does not pin one repository (empty, `*`, owner-wide, a prefix without a `:` boundary), or undefined. */
export function scopeProblem(provider: CiProviderType, pattern: string): string | undefined {
  const example =
    provider === "GITHUB"
      ? "repo:acme/shop:environment:prod"
      : "project_path:acme/shop:ref_type:branch:ref:main";
  if (pattern === "" || pattern === "*")
    return `is ${pattern === "" ? "empty" : "'*'"}: Bytebase then accepts a token of ANY repository of the issuer (every repository on ${provider === "GITHUB" ? "GitHub" : "the GitLab instance"})`;
  const base = pattern.slice(0, -1);
  if (pattern.endsWith("*") && (base.endsWith("/") || !base.includes("/")))
    return `('${pattern}') ends in '*' before naming one repository: it admits every repository it prefixes (owner-wide), e.g. ${base}evil`;
  if (pattern.endsWith("*") && !base.endsWith(":"))
    return `('${pattern}') is a prefix without a ':' boundary: Bytebase's trailing '*' is a plain prefix, so it also admits ${base}-evil`;
  if (!repositoryOf(provider, pattern))
    return `('${pattern}') names no repository in ${provider === "GITHUB" ? "GitHub's" : "GitLab's"} sub form, e.g. ${example}`;
  return undefined;
}

/**
 * The `sub` claims of pull- or merge-request jobs the pattern admits: those of its repository, and, for a pattern
 * ending in `*`, those its prefix can be completed to (`repo:acme/*` admits `repo:acme/x:pull_request`).
 */
export function admittedPullRequestClaims(provider: CiProviderType, pattern: string): string[] {
  const repo = repositoryOf(provider, pattern) ?? "x/y";
  const base = pattern.endsWith("*") ? pattern.slice(0, -1) : undefined;
  const valid =
    provider === "GITHUB"
      ? /^repo:[^/:]+\/[^/:]+:pull_request$/
      : /^project_path:[^:]+\/[^:]+:ref_type:branch:ref:[^:]+$/;
  const mr = "ref_type:branch:ref:feature/x";
  const completions =
    provider === "GITHUB"
      ? ["pull_request", ":pull_request", "x:pull_request", "/x:pull_request"]
      : ["x", mr, `:${mr}`, `x:${mr}`, `/x:${mr}`];
  const claims =
    provider === "GITHUB"
      ? [`repo:${repo}:pull_request`]
      : // A merge request's pipeline runs on its source branch, whatever its name.
        ["feature/x", "main-evil", "x"].map((b) => `project_path:${repo}:ref_type:branch:ref:${b}`);
  if (base !== undefined) claims.push(...completions.map((c) => `${base}${c}`));
  return claims.filter((c) => valid.test(c) && matchSubjectPattern(c, pattern));
}

/** backend/store/predefined_roles.go@3.21.1: the predefined roles holding bb.rollouts.create and bb.taskRuns.create. */
export const ROLLOUT_ROLES = [
  "roles/workspaceAdmin",
  "roles/workspaceDBA",
  "roles/projectOwner",
  "roles/projectReleaser",
  "roles/gitopsServiceAgent",
];
