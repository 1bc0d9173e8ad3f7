// GitHub (GitHub.com, or GitHub Enterprise Server) as a Git provider of a Bytebase console: an OAuth App registered
// under Settings > Developer settings > OAuth Apps (of the organization, or of a user), declared with what the setup
// wizard asks for (Settings > GitOps > Add a Git provider > GitHub.com). Before writing anything, the provider checks
// the declared callback against the console's, and the Client ID and client secret against GitHub.
//
// The console itself comes from the stack config `bytebase:url`, `bytebase:serviceAccount` and
// `bytebase:serviceKey` (or the environment: BYTEBASE_URL, BYTEBASE_SERVICE_ACCOUNT, BYTEBASE_SERVICE_KEY).
import * as pulumi from "@pulumi/pulumi";
import { GitOpsProvider } from "pulumi-bytebase-gitops";

const cfg = new pulumi.Config();

const github = new GitOpsProvider("github", {
  type: "GITHUB",
  // Step 2.2 of the wizard: the OAuth App's Client ID is the "Application ID", its client secret the "Secret".
  // It must be an OAuth App: a GitHub App's client id (it starts with "Iv") fails `pulumi preview`.
  applicationId: cfg.require("clientId"),
  secret: cfg.requireSecret("clientSecret"),
  // Unset: the wizard's name, "GitHub.com".
  title: cfg.get("title"),
  // Unset: https://github.com. For GitHub Enterprise Server, its bare https origin (https://github.example.com); the
  // console then calls <instanceUrl>/api/v3. Changing it replaces the resource.
  instanceUrl: cfg.get("instanceUrl"),
  // What the OAuth App was registered with (step 2.1): its "Authorization callback URL" ...
  callbackUrl: cfg.require("callbackUrl"),
  // ... while its scopes are not registered at all: Bytebase requests them when a user authorizes, and GitHub grants
  // them per user. Declared here (repo, workflow) so that `pulumi preview` and the policies check them: a missing one
  // fails the preview. Add more (e.g. read:org) only if you need them; the least-privilege policy flags extras.
  scopes: cfg.getObject<string[]>("scopes") ?? ["repo", "workflow"],
  // To adopt a provider that already exists in the console instead of creating a second one, set its id
  // (`pulumi config set importId 101`): on create its title, id and secret are set to these. The `import` resource
  // option cannot do this for a dynamic resource (pulumi/pulumi#16175).
  importId: cfg.get("importId"),
});

/** The callback to register in the OAuth App: the console's `<external URL>/oauth/callback`. */
export const callbackUrl = github.consoleCallbackUrl;
/** The provider's resource name in the console, `externalVersionControls/<id>`. */
export const name = github.name;
/** Where the console calls GitHub: https://api.github.com (GitHub Enterprise Server: <instanceUrl>/api/v3). */
export const apiUrl = github.apiUrl;
/** What was verified (callback, credentials) and how it went. */
export const verification = github.verification;
