// A self-managed GitLab (CE/EE) as a Git provider of a Bytebase console: an OAuth application registered in that
// GitLab under Admin area > Applications (instance-wide) or User settings > Applications, declared with what the
// setup wizard asks for (Settings > GitOps > Add a Git provider > GitLab, with the URL where the GitLab runs). Before
// writing anything, the provider checks the declared callback against the console's, and the Application ID and
// Secret against that GitLab.
//
// The console itself comes from the stack config `bytebase:url`, `bytebase:serviceAccount` and
// `bytebase:serviceKey` (or the environment: BYTEBASE_URL, BYTEBASE_SERVICE_ACCOUNT, BYTEBASE_SERVICE_KEY).
import * as pulumi from "@pulumi/pulumi";
import { GitOpsProvider } from "pulumi-bytebase-gitops";

const cfg = new pulumi.Config();

const gitlab = new GitOpsProvider("gitlab", {
  type: "GITLAB",
  // Step 1 of the wizard: where the GitLab runs, its bare https origin (https://gitlab.example.com, no path): the
  // host:port of its external_url. The console calls <instanceUrl>/api/v4. Changing it replaces the resource.
  instanceUrl: cfg.require("instanceUrl"),
  // Step 2.2: the application's "Application ID" and "Secret".
  applicationId: cfg.require("applicationId"),
  secret: cfg.requireSecret("secret"),
  // Unset: the wizard's name, "GitLab".
  title: cfg.get("title"),
  // What the application was registered with (step 2.1): its "Redirect URI" (GitLab matches it exactly) ...
  callbackUrl: cfg.require("callbackUrl"),
  // ... and its Scopes checkboxes: api. A missing one fails `pulumi preview` and names the checkbox to tick.
  scopes: cfg.getObject<string[]>("scopes") ?? ["api"],
  // To adopt a provider that already exists in the console instead of creating a second one, set its id
  // (`pulumi config set importId 101`): on create its title, id and secret are set to these. The `import` resource
  // option cannot do this for a dynamic resource (pulumi/pulumi#16175).
  importId: cfg.get("importId"),
});

/** The callback to register in the application: the console's `<external URL>/oauth/callback`. */
export const callbackUrl = gitlab.consoleCallbackUrl;
/** The provider's resource name in the console, `externalVersionControls/<id>`. */
export const name = gitlab.name;
/** Where the console calls the GitLab: <instanceUrl>/api/v4. */
export const apiUrl = gitlab.apiUrl;
/** What was verified (callback, credentials) and how it went. */
export const verification = gitlab.verification;
