// Step 3 of the upgrade walkthrough (README.md): the program after the console's upgrade to 2.15, copied over
// index.ts. Bytebase 2.15.0's migration (backend/migrator/migration/prod/2.15/0003##vcs_token.sql and
// 0005##vcs_resource_id.sql) kept each Git provider, without its OAuth app and without a token, under a new id: the
// first of each type is LOWER(type), `gitlab` and `azure_devops` (an underscore the create API refuses, but the row
// exists); any second one of a type got `vcs-` and 8 random characters (see it in Settings > GitOps or
// GET /v1/vcsProviders). `adoptExisting: true` takes each one over and sets its token: the same providers, no
// duplicate.
import * as pulumi from "@pulumi/pulumi";
import { VcsProvider } from "pulumi-bytebase-gitops";

const cfg = new pulumi.Config();

// A GitLab access token (personal, group or project) with the scopes api and read_repository, of a user who is
// Maintainer of the repositories to connect. Its title and URL stay as the 2.14 provider had them.
const gitlab = new VcsProvider("gitlab", {
  resourceId: "gitlab",
  type: "GITLAB",
  accessToken: cfg.requireSecret("gitlabToken"),
  // What the token was made with (checked against what GitLab says it grants, and by gitops-token-permissions).
  permissions: ["api", "read_repository"],
  adoptExisting: true,
});

// An Azure DevOps personal access token for all accessible organizations: Code (read), User Profile (read),
// Project and Team (read), Pull Request Threads (read and write).
const azureDevOps = new VcsProvider("azure-devops", {
  resourceId: "azure_devops",
  type: "AZURE_DEVOPS",
  accessToken: cfg.requireSecret("azureDevOpsToken"),
  permissions: ["vso.code", "vso.profile", "vso.project", "vso.threads_full"],
  adoptExisting: true,
});

/** Each provider's name in the 2.15 console: `vcsProviders/<resource id>`. */
export const providers = { gitlab: gitlab.name, azureDevOps: azureDevOps.name };
/** What each token was found to be and allowed to do (and when it expires, where the Git provider tells). */
export const verification = { gitlab: gitlab.verification, azureDevOps: azureDevOps.verification };
