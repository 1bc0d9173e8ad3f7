// gitopsWorkflow: the CI files of a project's GitOps (GitHub Actions or GitLab CI), checked against the identities'
// subject patterns with Bytebase's own rule before they are returned.
import { RESOURCE_ID } from "../runtime/vcs-provider/inputs";
import { githubFiles } from "./github";
import { gitlabFiles } from "./gitlab";
import { principalProblem, type CiPrincipal, type ResolvedWorkflow } from "./principal";
import { matchSubjectPattern } from "./subject-match";
import { subjectOf, type CiProviderType, type JobTrigger } from "./subject";

export interface GitopsWorkflowArgs {
  readonly provider: "github" | "gitlab";
  /** `owner/repo` (GitHub) or `group/project` (GitLab): the repository the files live in. */
  readonly repository: string;
  /** The Bytebase project's id. */
  readonly project: string;
  /** Databases (`instances/{i}/databases/{d}`) or one database group (`projects/{p}/databaseGroups/{g}`). */
  readonly targets: readonly string[];
  /** The branch that deploys (default `main`); pull or merge requests into it are checked. */
  readonly branch?: string;
  /** The migration files (default `migrations/*.sql`). */
  readonly migrations?: string;
  /** Who checks pull requests. */
  readonly check: CiPrincipal;
  /** Who deploys: one principal for every environment, or one per environment (GitHub sends each its own `sub`). */
  readonly deploy: CiPrincipal | Readonly<Record<string, CiPrincipal>>;
  /** The Bytebase environments rolled out to, in order (default `["test", "prod"]`). */
  readonly environments?: readonly string[];
  /** The console's external URL, as the CI reaches it (https). */
  readonly bytebaseUrl: string;
  /** The server's version, e.g. `3.21.1`: the action image is pinned to it. */
  readonly bytebaseVersion: string;
}

/** The args checked and completed, as the file generators use them. */
const DATABASE = /^instances\/[a-z][a-z0-9-]*\/databases\/[^/\s,]+$/;
const GROUP = /^projects\/[a-z][a-z0-9-]*\/databaseGroups\/[^/\s,]+$/;

function fail(property: string, what: string): never {
  throw new Error(`gitopsWorkflow: ${property}: ${what}`);
}

function checkPrincipal(property: string, principal: CiPrincipal): void {
  const problem = principalProblem(principal);
  if (problem) fail(property, problem);
}

function resolve(a: GitopsWorkflowArgs): ResolvedWorkflow {
  const version = /^(\d+)\.(\d+)\.(\d+)$/.exec(a.bytebaseVersion);
  const [major, minor] = version ? [Number(version[1]), Number(version[2])] : [0, 0];
  if (!version || major < 3 || (major === 3 && minor < 15))
    fail(
      "bytebaseVersion",
      `${JSON.stringify(a.bytebaseVersion)}: give the server's release (3.15.0 or later, as /v1/actuator/info reports it); the action image bytebase/bytebase-action:<release> is pinned to it (action/command/root.go@3.21.1 refuses an action newer than the server)`,
    );
  if (!RESOURCE_ID.test(a.project))
    fail("project", `${JSON.stringify(a.project)} is not a Bytebase project id`);
  if (a.targets.length === 0) fail("targets", "give the databases or the one database group to migrate");
  const databases = a.targets.filter((t) => DATABASE.test(t)).length;
  const groups = a.targets.filter((t) => GROUP.test(t)).length;
  // action/command/validation/flags.go@3.21.1 validateTargets.
  if (databases + groups !== a.targets.length || (groups > 0 && a.targets.length > 1))
    fail(
      "targets",
      "give databases (instances/{instance}/databases/{database}) or a single database group (projects/{project}/databaseGroups/{group})",
    );
  const branch = a.branch ?? "main";
  if (!/^[A-Za-z0-9._/-]+$/.test(branch))
    fail("branch", `${JSON.stringify(branch)} is not a plain branch name`);
  const migrations = a.migrations ?? "migrations/*.sql";
  if (!/^[A-Za-z0-9._/*-]+$/.test(migrations))
    fail(
      "migrations",
      `${JSON.stringify(migrations)}: use a glob of letters, digits, ".", "_", "-", "/" and "*"`,
    );
  let url: URL | undefined;
  try {
    url = new URL(a.bytebaseUrl);
  } catch {
    // reported below
  }
  if (url?.protocol !== "https:" || url.search || url.hash)
    fail(
      "bytebaseUrl",
      `${JSON.stringify(a.bytebaseUrl)}: the console's https URL (the jobs send their tokens to it)`,
    );
  const environments = a.environments ?? ["test", "prod"];
  if (environments.length === 0) fail("environments", "give at least one environment to roll out to");
  for (const env of environments)
    if (!RESOURCE_ID.test(env))
      fail("environments", `${JSON.stringify(env)} is not a Bytebase environment id`);
  checkPrincipal("check", a.check);
  const single = "kind" in a.deploy ? (a.deploy as CiPrincipal) : undefined;
  const perEnvironment = a.deploy as Readonly<Record<string, CiPrincipal>>;
  for (const env of environments) {
    const principal = single ?? perEnvironment[env];
    if (!principal)
      fail(`deploy.${env}`, `no principal deploys to ${env}; give one per environment or one for all`);
    checkPrincipal(single ? "deploy" : `deploy.${env}`, principal);
    // action/command/validation/flags.go@3.16.0 added --access-token / BYTEBASE_ACCESS_TOKEN.
    if (principal.kind === "workloadIdentity" && major === 3 && minor < 16)
      fail(
        "bytebaseVersion",
        `bytebase-action ${a.bytebaseVersion} cannot sign in as a workload identity (no --access-token before 3.16); use service accounts or upgrade`,
      );
  }
  if (a.check.kind === "workloadIdentity" && major === 3 && minor < 16)
    fail(
      "bytebaseVersion",
      `bytebase-action ${a.bytebaseVersion} cannot sign in as a workload identity (no --access-token before 3.16)`,
    );
  if (!single)
    for (const key of Object.keys(perEnvironment))
      if (!environments.includes(key))
        fail(`deploy.${key}`, `${key} is not one of the environments (${environments.join(", ")})`);
  return {
    project: a.project,
    targets: a.targets.join(","),
    branch,
    migrations,
    bytebaseUrl: a.bytebaseUrl.replace(/\/+$/, ""),
    version: a.bytebaseVersion,
    image: `bytebase/bytebase-action:${a.bytebaseVersion}`,
    environments,
    check: a.check,
    deploy: (env) => single ?? perEnvironment[env]!,
  };
}

/**
 * Each job's `sub` as the provider sends it, matched with Bytebase's rule against the identity the job signs in as:
 * every deploy job's must match its identity (or the job cannot sign in), and the pull-request job's must match no
 * identity that deploys (or a pull request's author, who controls the workflow file in it, could deploy).
 */
function checkClaims(a: GitopsWorkflowArgs, w: ResolvedWorkflow): void {
  const provider: CiProviderType = a.provider === "github" ? "GITHUB" : "GITLAB";
  const sub = (job: JobTrigger) => subjectOf(provider, a.repository, job);
  const prClaims = [
    sub({ event: "pull_request", sourceBranch: "feature" }),
    sub({ event: "pull_request", sourceBranch: `${w.branch}-x` }),
  ];
  const checker = w.check;
  if (checker.kind === "workloadIdentity" && !matchSubjectPattern(prClaims[0]!, checker.subjectPattern))
    fail(
      "check",
      `the pull-request job sends sub ${JSON.stringify(prClaims[0])}, which ${checker.email}'s pattern ${JSON.stringify(checker.subjectPattern)} does not match; ` +
        `give that identity subject { repository: "${a.repository}", pullRequest: true }`,
    );
  for (const env of w.environments) {
    const deployer = w.deploy(env);
    if (deployer.kind !== "workloadIdentity") continue;
    const claim = sub({
      event: "push",
      branch: w.branch,
      ...(provider === "GITHUB" ? { environment: env } : {}),
    });
    if (!matchSubjectPattern(claim, deployer.subjectPattern))
      fail(
        `deploy${"kind" in a.deploy ? "" : `.${env}`}`,
        `the job deploying to ${env} sends sub ${JSON.stringify(claim)}, which ${deployer.email}'s pattern ${JSON.stringify(deployer.subjectPattern)} does not match; ` +
          (provider === "GITHUB"
            ? `give that identity subject { repository: "${a.repository}", environment: "${env}" } (one identity per environment)`
            : `give that identity subject { repository: "${a.repository}", branch: "${w.branch}" }`),
      );
    const admitted = prClaims.find((c) => matchSubjectPattern(c, deployer.subjectPattern));
    if (admitted)
      fail(
        `deploy${"kind" in a.deploy ? "" : `.${env}`}`,
        `${deployer.email}'s pattern ${JSON.stringify(deployer.subjectPattern)} also matches a pull-request job's sub ${JSON.stringify(admitted)}: anyone who opens one could deploy; use an exact pattern`,
      );
  }
}

/** The files, by path in the repository: GitHub `.github/workflows/{sql-review,release}.yml`, GitLab `.gitlab-ci.yml`. */
export function gitopsWorkflow(args: GitopsWorkflowArgs): Record<string, string> {
  if (args.provider !== "github" && args.provider !== "gitlab") fail("provider", `use "github" or "gitlab"`);
  const w = resolve(args);
  checkClaims(args, w);
  return args.provider === "github" ? githubFiles(w) : gitlabFiles(w);
}
