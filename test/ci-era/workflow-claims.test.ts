// The generated workflow files, read back as GitHub and GitLab read them: each job's `sub` claim matched with
// Bytebase's rule against the identity it signs in as. The PR job's claim never matches a deploy identity; every
// deploy job's claim matches its identity. The claims are written here from the providers' documentation, not
// taken from the code under test.
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import {
  gitopsWorkflow,
  matchSubjectPattern,
  subjectPattern,
  type CiPrincipal,
  type GitopsWorkflowArgs,
} from "../../src/ci";

type Doc = Record<string, unknown>;
interface Job {
  name: string;
  kind: "check" | "deploy";
  /** The `sub` claims the provider may send for it (a merge request's names its source branch: several shown). */
  claims: string[];
  identity?: string;
  audience?: string;
  idTokenPermission: boolean;
  image: string;
}

const REPO = "acme/shop";
const BRANCH = "main";

/** GitHub: docs.github.com "OpenID Connect reference" (environment, then pull_request, then the ref). */
function githubJobs(files: Record<string, string>): Job[] {
  return Object.entries(files).flatMap(([path, text]) => {
    const doc = load(text) as Doc;
    const on = doc.on as Doc;
    const workflowEnv = (doc.env ?? {}) as Doc;
    return Object.entries(doc.jobs as Record<string, Doc>).map(([name, job]): Job => {
      const env = { ...workflowEnv, ...(job.env as Doc) };
      const environment = job.environment as string | undefined;
      const pr = "pull_request" in on;
      if (!pr) expect((on.push as Doc).branches, path).toEqual([BRANCH]);
      const claim = environment
        ? `repo:${REPO}:environment:${environment}`
        : pr
          ? `repo:${REPO}:pull_request`
          : `repo:${REPO}:ref:refs/heads/${BRANCH}`;
      const steps = (job.steps as Doc[]).map((s) => String(s.run ?? ""));
      const audience = /&audience=([^"&\s]+)/.exec(steps.join("\n"))?.[1];
      const permissions = job.permissions as Doc;
      return {
        name: `${path}#${name}`,
        kind: pr ? "check" : "deploy",
        claims: [claim],
        identity: env.BYTEBASE_WORKLOAD_IDENTITY as string | undefined,
        audience: audience && decodeURIComponent(audience),
        idTokenPermission: permissions["id-token"] === "write",
        image: (job.container as Doc).image as string,
      };
    });
  });
}

/** GitLab: docs.gitlab.com "ID tokens": `project_path:G/P:ref_type:branch:ref:NAME`; an MR pipeline runs on its source branch. */
function gitlabJobs(files: Record<string, string>): Job[] {
  const doc = load(files[".gitlab-ci.yml"]!) as Doc;
  return Object.entries(doc)
    .filter(([, v]) => typeof v === "object" && v !== null && "script" in (v as Doc))
    .map(([name, value]): Job => {
      const job = value as Doc;
      const rule = String((job.rules as Doc[])[0]!.if);
      const mr = rule.includes("merge_request_event");
      if (!mr) expect(rule).toContain(`$CI_COMMIT_BRANCH == "${BRANCH}"`);
      const branches = mr ? ["feature/x", `${BRANCH}-evil`, "x"] : [BRANCH];
      const token = ((job.id_tokens ?? {}) as Record<string, Doc>).BYTEBASE_OIDC_TOKEN;
      return {
        name,
        kind: mr ? "check" : "deploy",
        claims: branches.map((b) => `project_path:${REPO}:ref_type:branch:ref:${b}`),
        identity: (job.variables as Doc).BYTEBASE_WORKLOAD_IDENTITY as string | undefined,
        audience: token?.aud as string | undefined,
        idTokenPermission: token !== undefined,
        image: job.image as string,
      };
    });
}

/** What is wrong with the files for these identities (by email), as messages; [] when the trust is right. */
function violations(jobs: Job[], identities: Map<string, CiPrincipal>): string[] {
  const found: string[] = [];
  const deployers = [...new Set(jobs.filter((j) => j.kind === "deploy").map((j) => j.identity))];
  for (const job of jobs) {
    if (!job.identity) {
      if (job.idTokenPermission) found.push(`${job.name} asks for an OIDC token it does not use`);
      continue;
    }
    const id = identities.get(job.identity);
    if (id?.kind !== "workloadIdentity") {
      found.push(`${job.name} signs in as unknown ${job.identity}`);
      continue;
    }
    if (!job.idTokenPermission) found.push(`${job.name} cannot request an OIDC token`);
    if (!job.audience || !id.audiences.includes(job.audience))
      found.push(`${job.name} requests audience ${job.audience}`);
    if (!job.claims.every((c) => matchSubjectPattern(c, id.subjectPattern)))
      found.push(`${job.name} cannot sign in: ${job.claims.join(", ")} vs ${id.subjectPattern}`);
    if (job.kind !== "check") continue;
    for (const email of deployers) {
      const deployer = identities.get(email ?? "");
      if (deployer?.kind !== "workloadIdentity") continue;
      const admitted = job.claims.filter((c) => matchSubjectPattern(c, deployer.subjectPattern));
      if (admitted.length)
        found.push(`${job.name}'s ${admitted.join(", ")} matches deploy identity ${email}`);
    }
  }
  return found;
}

const identity = (id: string, pattern: string, audiences = ["bytebase"]): CiPrincipal => ({
  kind: "workloadIdentity",
  email: `${id}@shop.workload.bytebase.com`,
  audiences,
  subjectPattern: pattern,
});
const account = (id: string): CiPrincipal => ({
  kind: "serviceAccount",
  email: `${id}@shop.service.bytebase.com`,
  keySecret: "BYTEBASE_DEPLOY_KEY",
});
const byEmail = (...all: CiPrincipal[]) => new Map(all.map((p) => [p.email, p]));

const BASE = {
  repository: REPO,
  project: "shop",
  targets: ["instances/prod-pg/databases/shop"],
  bytebaseUrl: "https://bytebase.acme.com",
  bytebaseVersion: "3.21.1",
} as const;

describe("GitHub: sql-review.yml and release.yml", () => {
  const check = identity("check", subjectPattern("GITHUB", { repository: REPO, pullRequest: true }));
  const test = identity("deploy-test", subjectPattern("GITHUB", { repository: REPO, environment: "test" }));
  const prod = identity("deploy-prod", subjectPattern("GITHUB", { repository: REPO, environment: "prod" }));
  const files = gitopsWorkflow({ ...BASE, provider: "github", check, deploy: { test, prod } });

  it("writes the two files, each job in the pinned action image", () => {
    expect(Object.keys(files).sort()).toEqual([
      ".github/workflows/release.yml",
      ".github/workflows/sql-review.yml",
    ]);
    for (const job of githubJobs(files)) expect(job.image).toBe("bytebase/bytebase-action:3.21.1");
  });

  it("lets every job sign in, and no pull-request claim match a deploy identity", () => {
    const jobs = githubJobs(files);
    expect(jobs.map((j) => [j.name, j.kind, j.claims[0]])).toEqual([
      [".github/workflows/sql-review.yml#sql-review", "check", "repo:acme/shop:pull_request"],
      [".github/workflows/release.yml#deploy-to-test", "deploy", "repo:acme/shop:environment:test"],
      [".github/workflows/release.yml#deploy-to-prod", "deploy", "repo:acme/shop:environment:prod"],
    ]);
    expect(violations(jobs, byEmail(check, test, prod))).toEqual([]);
  });

  it("exchanges at /v1/auth:exchangeToken and grants id-token: write only to jobs that exchange", () => {
    const service = gitopsWorkflow({ ...BASE, provider: "github", check, deploy: account("deploy") });
    const release = load(service[".github/workflows/release.yml"]!) as Doc;
    for (const job of Object.values(release.jobs as Record<string, Doc>)) {
      expect(job.permissions).toEqual({ contents: "read" });
      expect((job.env as Doc).BYTEBASE_SERVICE_ACCOUNT_SECRET).toBe("${{ secrets.BYTEBASE_DEPLOY_KEY }}");
    }
    expect(service[".github/workflows/sql-review.yml"]).toContain('"$BYTEBASE_URL/v1/auth:exchangeToken"');
    expect(violations(githubJobs(service), byEmail(check))).toEqual([]);
  });

  it("catches the console's one identity for both files (repo:O/R:*): the PR job could deploy", () => {
    // ProjectGitOpsPage.tsx@3.21.1 generates both files for one identity; the sheet's repo-wide pattern is this.
    const both = identity("gitops", `repo:${REPO}:*`);
    const jobs = githubJobs(files).map((j) => ({ ...j, identity: both.email }));
    expect(violations(jobs, byEmail(both))).toEqual([
      `.github/workflows/sql-review.yml#sql-review's repo:acme/shop:pull_request matches deploy identity ${both.email}`,
    ]);
    expect(() => gitopsWorkflow({ ...BASE, provider: "github", check: both, deploy: both })).toThrow(
      /^gitopsWorkflow: deploy: gitops@shop\.workload\.bytebase\.com's pattern "repo:acme\/shop:\*" also matches a pull-request job's sub "repo:acme\/shop:pull_request"/,
    );
  });

  it("refuses one branch-pinned identity for jobs that run in environments, saying what to give", () => {
    const main = identity("deploy", subjectPattern("GITHUB", { repository: REPO, branch: "main" }));
    expect(() => gitopsWorkflow({ ...BASE, provider: "github", check, deploy: main })).toThrow(
      'gitopsWorkflow: deploy: the job deploying to test sends sub "repo:acme/shop:environment:test", which deploy@shop.workload.bytebase.com\'s pattern "repo:acme/shop:ref:refs/heads/main" does not match; give that identity subject { repository: "acme/shop", environment: "test" } (one identity per environment)',
    );
  });
});

describe("GitLab: .gitlab-ci.yml", () => {
  const check = identity("check", subjectPattern("GITLAB", { repository: REPO, pullRequest: true }));
  const deploy = identity("deploy", subjectPattern("GITLAB", { repository: REPO, branch: BRANCH }));
  const files = gitopsWorkflow({ ...BASE, provider: "gitlab", check, deploy });

  it("lets every job sign in, and no merge-request claim match the deploy identity", () => {
    const jobs = gitlabJobs(files);
    expect(jobs.map((j) => [j.name, j.kind])).toEqual([
      ["sql-review", "check"],
      ["deploy-to-test", "deploy"],
      ["deploy-to-prod", "deploy"],
    ]);
    expect(violations(jobs, byEmail(check, deploy))).toEqual([]);
    const doc = load(files[".gitlab-ci.yml"]!) as Doc;
    expect(((doc["deploy-to-prod"] as Doc).rules as Doc[])[0]!.when).toBe("manual");
  });

  it("catches a prefix without a boundary (ref:main*): a merge request from main-evil could deploy", () => {
    const loose = identity("deploy", `project_path:${REPO}:ref_type:branch:ref:${BRANCH}*`);
    expect(violations(gitlabJobs(files), byEmail(check, loose))).toEqual([
      `sql-review's project_path:acme/shop:ref_type:branch:ref:main-evil matches deploy identity ${loose.email}`,
    ]);
    expect(() => gitopsWorkflow({ ...BASE, provider: "gitlab", check, deploy: loose })).toThrow(
      /also matches a pull-request job's sub "project_path:acme\/shop:ref_type:branch:ref:main-x"/,
    );
  });
});

describe("gitopsWorkflow refuses what cannot work, naming the property", () => {
  const check = identity("check", `repo:${REPO}:pull_request`);
  const test = identity("t", `repo:${REPO}:environment:test`);
  const prod = identity("p", `repo:${REPO}:environment:prod`);
  const args: GitopsWorkflowArgs = { ...BASE, provider: "github", check, deploy: { test, prod } };
  it.each([
    [{ bytebaseVersion: "3.21" }, /^gitopsWorkflow: bytebaseVersion: "3\.21": give the server's release/],
    [{ bytebaseVersion: "3.14.1" }, /^gitopsWorkflow: bytebaseVersion: /],
    [
      { bytebaseVersion: "3.15.1" },
      /^gitopsWorkflow: bytebaseVersion: bytebase-action 3\.15\.1 cannot sign in as a workload identity/,
    ],
    [{ bytebaseUrl: "http://bytebase.acme.com" }, /^gitopsWorkflow: bytebaseUrl: /],
    [{ targets: [] }, /^gitopsWorkflow: targets: /],
    [
      { targets: ["projects/shop/databaseGroups/a", "projects/shop/databaseGroups/b"] },
      /^gitopsWorkflow: targets: /,
    ],
    [{ deploy: { test } }, /^gitopsWorkflow: deploy\.prod: no principal deploys to prod/],
    [
      { check: identity("check", `repo:${REPO}:pull_request`, []) },
      /^gitopsWorkflow: check: .* allows no audience/,
    ],
    [
      { deploy: { test, prod: { ...account("p"), keySecret: "bbs_abcdefghij0123456789" } } },
      /^gitopsWorkflow: deploy\.prod: keySecret names the CI secret/,
    ],
    [
      { check: identity("check", `repo:${REPO}:ref:refs/heads/main`) },
      /^gitopsWorkflow: check: the pull-request job sends sub/,
    ],
  ] as const)("%j", (change, message) => {
    let error: Error | undefined;
    try {
      gitopsWorkflow({ ...args, ...change } as GitopsWorkflowArgs);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain("bbs_abcdefghij0123456789");
  });

  it("accepts service accounts on 3.15 (no workload identity sign-in in bytebase-action before 3.16)", () => {
    const files = gitopsWorkflow({
      ...args,
      bytebaseVersion: "3.15.1",
      check: account("check"),
      deploy: account("d"),
    });
    expect(files[".github/workflows/release.yml"]).toContain("bytebase/bytebase-action:3.15.1");
    expect(files[".github/workflows/release.yml"]).not.toContain("id-token");
  });
});
