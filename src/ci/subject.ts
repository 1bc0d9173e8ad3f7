// The `sub` claims GitHub Actions and GitLab CI send, and the exact subject patterns built from a repository and a ref.

export type CiProviderType = "GITHUB" | "GITLAB";

/** The providers' OIDC issuers: the presets of frontend/src/components/CreateWorkloadIdentitySheet.tsx@3.21.1. */
export const CI_ISSUERS: Readonly<Record<CiProviderType, string>> = {
  GITHUB: "https://token.actions.githubusercontent.com",
  GITLAB: "https://gitlab.com",
};

/** What a workload identity trusts, from which the exact pattern is built (see subjectPattern). */
export interface SubjectSpec {
  /** `owner/repo` on GitHub; `group/project` (subgroups allowed: `group/sub/project`) on GitLab. */
  readonly repository: string;
  /** Jobs of pushes to this branch (exact name, no `*`). */
  readonly branch?: string;
  /** Jobs of this tag (exact name, no `*`). */
  readonly tag?: string;
  /** GitHub only: jobs that name this environment (GitHub's `sub` then names it instead of the ref). */
  readonly environment?: string;
  /** Jobs of pull requests (GitHub) or merge requests (GitLab, see subjectPattern). */
  readonly pullRequest?: true;
}

/** What a job runs for, as far as its provider's `sub` claim tells. */
export type JobTrigger =
  | { readonly event: "pull_request"; readonly sourceBranch: string; readonly environment?: string }
  | { readonly event: "push"; readonly branch: string; readonly environment?: string }
  | { readonly event: "push"; readonly tag: string; readonly environment?: string };

/**
 * GitHub's `sub` (docs.github.com, "OpenID Connect reference", subject claims): a job that names an environment gets
 * `repo:O/R:environment:E` whatever the event; else a `pull_request` job gets `repo:O/R:pull_request`; else the ref:
 * `repo:O/R:ref:refs/heads/B` or `repo:O/R:ref:refs/tags/T`. (Repositories with immutable subjects send
 * `repo:O@<id>/R@<id>:...` instead; name-based patterns then fail closed.)
 */
export function githubSubject(repository: string, job: JobTrigger): string {
  if (job.environment !== undefined) return `repo:${repository}:environment:${job.environment}`;
  if (job.event === "pull_request") return `repo:${repository}:pull_request`;
  return "tag" in job
    ? `repo:${repository}:ref:refs/tags/${job.tag}`
    : `repo:${repository}:ref:refs/heads/${job.branch}`;
}

/**
 * GitLab's `sub` (docs.gitlab.com, "OpenID Connect (OIDC) Authentication Using ID Tokens"):
 * `project_path:G/P:ref_type:branch|tag:ref:NAME`. The environment is a claim of its own, not in `sub`; a
 * merge-request pipeline runs on its source branch, so its `sub` names that branch.
 */
export function gitlabSubject(repository: string, job: JobTrigger): string {
  const [type, ref] =
    job.event === "pull_request"
      ? ["branch", job.sourceBranch]
      : "tag" in job
        ? ["tag", job.tag]
        : ["branch", job.branch];
  return `project_path:${repository}:ref_type:${type}:ref:${ref}`;
}

export const subjectOf = (provider: CiProviderType, repository: string, job: JobTrigger): string =>
  provider === "GITHUB" ? githubSubject(repository, job) : gitlabSubject(repository, job);

const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\/[A-Za-z0-9._-]+$/;
const GITLAB_REPOSITORY = /^[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/;
/** git check-ref-format (no space, `~ ^ : ? * [ \`, `..`, leading `-` or `/`, trailing `/` or `.lock`); no `refs/`. */
const REF_NAME = /^(?!-|\/|refs\/)(?!.*(?:\.\.|\/\/|@\{))[^\s~^:?*[\\\p{Cc}]+(?<!\/|\.lock|\.)$/u;

/**
 * The exact pattern for a spec, in the console's form (frontend/src/components/CreateWorkloadIdentitySheet.tsx
 * computeSubjectPattern@3.21.1) for a branch or tag, and in the provider's `sub` form for what the console's form
 * cannot say (a GitHub environment, tag or pull request). Throws naming the property at fault and how to fix it.
 * GitLab merge requests: their `sub` names the source branch, so `pullRequest` gives
 * `project_path:G/P:ref_type:branch:ref:*`, which admits every branch: for a check identity only, never one bound
 * to a role that can roll out.
 */
export function subjectPattern(provider: CiProviderType, spec: SubjectSpec): string {
  const fail = (property: string, what: string) => {
    throw new Error(`subject.${property}: ${what}`);
  };
  const repo = spec.repository;
  if (provider === "GITHUB" && !GITHUB_REPOSITORY.test(repo))
    fail("repository", `${JSON.stringify(repo)} is not a GitHub repository; give it as "owner/repo"`);
  if (provider === "GITLAB" && !GITLAB_REPOSITORY.test(repo))
    fail("repository", `${JSON.stringify(repo)} is not a GitLab project path; give it as "group/project"`);
  const given = (["branch", "tag", "environment", "pullRequest"] as const).filter(
    (k) => spec[k] !== undefined,
  );
  if (given.length !== 1)
    fail(
      given.length ? given.join(", ") : "branch",
      `give exactly one of branch, tag, environment or pullRequest (${given.length ? "not several" : "none given"}): ` +
        `the pattern then admits one kind of job only (a raw pattern such as "${provider === "GITHUB" ? "repo" : "project_path"}:${repo}:*" admits every job of the repository, pull requests included)`,
    );
  const kind = given[0]!;
  const value = spec[kind];
  if (kind === "pullRequest") {
    if (value !== true) fail("pullRequest", "set it to true or leave it out");
    return provider === "GITHUB" ? `repo:${repo}:pull_request` : `project_path:${repo}:ref_type:branch:ref:*`;
  }
  const name = value as string;
  if (kind === "environment") {
    if (provider === "GITLAB")
      fail(
        "environment",
        "GitLab's sub claim has no environment (it is a claim of its own, which Bytebase does not compare); use branch or tag",
      );
    if (name.trim() !== name || name === "" || name.includes("*") || name.length > 255)
      fail(
        "environment",
        `${JSON.stringify(name)} is not a GitHub environment name (1-255 characters, no "*", no surrounding spaces)`,
      );
    return githubSubject(repo, { event: "push", branch: "", environment: name });
  }
  if (!REF_NAME.test(name))
    fail(
      kind,
      `${JSON.stringify(name)} is not a ${kind} name Git accepts (no "*", ":" or spaces; the short name, without "refs/heads/" or "refs/tags/")`,
    );
  const job: JobTrigger = kind === "tag" ? { event: "push", tag: name } : { event: "push", branch: name };
  return subjectOf(provider, repo, job);
}
