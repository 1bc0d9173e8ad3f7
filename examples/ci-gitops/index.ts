// Bytebase 3.15 and later: GitOps runs in the CI. A project's check identity (pull requests: `bytebase-action check`,
// bound to a role without rollout rights), one deploy identity per environment (pushes to main, each job in its GitHub
// environment: `bytebase-action rollout`, bound to roles/gitopsServiceAgent), and the workflow files that use them,
// checked against the identities' subject patterns with Bytebase's own rule before they are output.
//
// The console itself comes from the stack config `bytebase:url`, `bytebase:serviceAccount` and
// `bytebase:serviceKey` (or the environment: BYTEBASE_URL, BYTEBASE_SERVICE_ACCOUNT, BYTEBASE_SERVICE_KEY).
import * as pulumi from "@pulumi/pulumi";
import {
  gitopsWorkflowFiles,
  ProjectIamMember,
  WorkloadIdentity,
  workloadIdentityPrincipal,
} from "pulumi-bytebase-gitops";

const cfg = new pulumi.Config();
const project = cfg.require("project");
const repository = cfg.require("repository");
const environments = ["test", "prod"];

// Pull requests: GitHub sends `repo:<owner>/<repo>:pull_request` for them, whatever the branch.
const check = new WorkloadIdentity("check", {
  workloadIdentityId: "sql-review",
  project,
  title: "SQL review of pull requests",
  provider: "GITHUB",
  audiences: ["bytebase"],
  subject: { repository, pullRequest: true },
});
// roles/projectDeveloper may check a release (bb.releases.check) but not roll out.
new ProjectIamMember("check-developer", { project, role: "roles/projectDeveloper", member: check.member });

// Deploys: a job that names a GitHub environment gets `repo:<owner>/<repo>:environment:<name>`; protect the
// environments in GitHub (required reviewers, the main branch only): they are the gate of a GitOps rollout.
const deploy = Object.fromEntries(
  environments.map((environment) => {
    const identity = new WorkloadIdentity(`deploy-${environment}`, {
      workloadIdentityId: `deploy-${environment}`,
      project,
      title: `Rollout to ${environment}`,
      provider: "GITHUB",
      audiences: ["bytebase"],
      subject: { repository, environment },
    });
    new ProjectIamMember(`deploy-${environment}-agent`, {
      project,
      role: "roles/gitopsServiceAgent",
      member: identity.member,
    });
    return [environment, identity] as const;
  }),
);

export const identities = {
  check: check.email,
  ...Object.fromEntries(Object.entries(deploy).map(([env, id]) => [`deploy-${env}`, id.subjectPattern])),
};

/** `.github/workflows/sql-review.yml` and `release.yml`: commit them to the repository. */
export const files = gitopsWorkflowFiles({
  provider: "github",
  repository,
  project,
  targets: [cfg.require("target")],
  check: workloadIdentityPrincipal(check),
  deploy: Object.fromEntries(Object.entries(deploy).map(([env, id]) => [env, workloadIdentityPrincipal(id)])),
  environments,
  bytebaseUrl: cfg.require("bytebaseUrl"),
  bytebaseVersion: cfg.require("bytebaseVersion"),
});
