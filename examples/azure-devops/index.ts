// Azure DevOps as a Git provider of a Bytebase console: the OAuth app registered at
// https://app.vsaex.visualstudio.com, declared with what the setup wizard asks for (Settings > GitOps >
// Add a Git provider > Azure DevOps). Before writing anything, the provider checks the declared callback against
// the console's, and the App ID and Client Secret against Azure DevOps.
//
// The console itself comes from the stack config `bytebase:url`, `bytebase:serviceAccount` and
// `bytebase:serviceKey` (or the environment: BYTEBASE_URL, BYTEBASE_SERVICE_ACCOUNT, BYTEBASE_SERVICE_KEY).
import * as pulumi from "@pulumi/pulumi";
import { GitOpsProvider } from "pulumi-bytebase-gitops";

const cfg = new pulumi.Config();

const azure = new GitOpsProvider("azure-devops", {
  type: "AZURE_DEVOPS",
  // Step 2.2 of the wizard: "Application ID" and "Secret".
  applicationId: cfg.require("appId"),
  secret: cfg.requireSecret("clientSecret"),
  title: cfg.get("title") ?? "Azure DevOps",
  // instanceUrl defaults to https://dev.azure.com, the only Azure DevOps instance the console supports.
  // What the app was registered with (step 2.1): its "Authorization callback URL" ...
  callbackUrl: cfg.require("callbackUrl"),
  // ... and its "Authorized scopes": Code (full), Identity (read), Project and team (read),
  // Build (read and execute). A missing one fails `pulumi preview` and names the checkbox to tick.
  scopes: cfg.getObject<string[]>("scopes") ?? [
    "vso.code_full",
    "vso.identity",
    "vso.project",
    "vso.build_execute",
  ],
  // To adopt a provider that already exists in the console instead of creating a second one, set its id
  // (`pulumi config set importId 101`): on create its title, id and secret are set to these. The `import` resource
  // option cannot do this for a dynamic resource (pulumi/pulumi#16175).
  importId: cfg.get("importId"),
});

/** The callback to register in the OAuth app: the console's `<external URL>/oauth/callback`. */
export const callbackUrl = azure.callbackUrl;
/** The provider's resource name in the console, `externalVersionControls/<id>`. */
export const name = azure.name;
export const apiUrl = azure.apiUrl;
/** What was verified (callback, secret expiry, credentials) and how it went. */
export const verification = azure.verification;
