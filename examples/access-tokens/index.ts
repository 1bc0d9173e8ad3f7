// Bytebase 2.15 - 3.4: Git providers with access tokens, and a project linked to a repository. A GitLab.com and a
// GitHub.com provider, each with a token of a user who may administer the repositories Bytebase links (the console
// sets a webhook there), and a connector from a Bytebase project to a GitLab repository: what Settings > GitOps >
// Add Git provider and a project's GitOps page > Add connector ask for. Before writing anything, each token is
// checked at its Git provider: a missing scope fails `pulumi up` naming it, before the console is touched.
//
// The console itself comes from the stack config `bytebase:url`, `bytebase:serviceAccount` and
// `bytebase:serviceKey` (or the environment: BYTEBASE_URL, BYTEBASE_SERVICE_ACCOUNT, BYTEBASE_SERVICE_KEY).
import * as pulumi from "@pulumi/pulumi";
import { VcsConnector, VcsProvider } from "pulumi-bytebase-gitops";

const cfg = new pulumi.Config();

const gitlab = new VcsProvider("gitlab", {
  // The provider's id in the console: vcsProviders/gitlab-com. Changing it replaces the provider.
  resourceId: "gitlab-com",
  type: "GITLAB",
  // A personal, group or project access token with the scopes api and read_repository (Bytebase needs both).
  accessToken: cfg.requireSecret("gitlabToken"),
  // What the token was made with: checked against what GitLab says it grants, and by gitops-token-permissions.
  permissions: ["api", "read_repository"],
  // A self-managed GitLab: its URL (a path is kept, e.g. https://git.example.com/gitlab). Default https://gitlab.com.
  instanceUrl: cfg.get("gitlabUrl"),
});

const github = new VcsProvider("github", {
  resourceId: "github-com",
  type: "GITHUB",
  // A classic token with repo, or a fine-grained one with Contents, Metadata, Pull requests and Webhooks.
  accessToken: cfg.requireSecret("githubToken"),
  permissions: ["repo"],
  title: "GitHub.com",
});

const connector = new VcsConnector("schema", {
  // The Bytebase project (projects/<id> or <id>); it must exist.
  project: cfg.require("project"),
  resourceId: "schema",
  // A VcsProvider's name links the connector to it (and orders the create after it).
  vcsProvider: gitlab.name,
  // The repository's path at the Git provider; the console looks it up with the provider's token.
  repository: cfg.require("repository"),
  // Changes merged into this branch become Bytebase issues; branch, baseDirectory and databaseGroup update in place.
  branch: cfg.get("branch") ?? "main",
  // Bytebase 3.x requires a base directory starting with "/"; 2.15 takes it too.
  baseDirectory: cfg.get("baseDirectory") ?? "/bytebase",
});

/** The providers' names in the console, `vcsProviders/<resourceId>`. */
export const providers = [gitlab.name, github.name];
/** What each token check told (scopes, expiry), never the token. */
export const verification = { gitlab: gitlab.verification, github: github.verification };
/** The connector, `projects/<project>/vcsConnectors/schema`, and the repository it watches. */
export const connectorName = connector.name;
export const repositoryUrl = connector.webUrl;
