// Bitbucket.org as a Git provider of a Bytebase console: a workspace-wide OAuth consumer (Workspace settings >
// OAuth consumers > Add consumer), declared with what the setup wizard asks for (Settings > GitOps >
// Add a Git provider > Bitbucket.org). Before writing anything, the provider checks the declared callback against
// the console's, the Key and Secret against Bitbucket, and (for a private consumer) the permissions it grants.
import * as pulumi from "@pulumi/pulumi";
import { GitOpsProvider } from "pulumi-bytebase-gitops";

const cfg = new pulumi.Config();
const bytebase = new pulumi.Config("bytebase");

const bitbucket = new GitOpsProvider("bitbucket", {
  type: "BITBUCKET",
  // Step 2.2 of the wizard: the consumer's Key is the "Application ID", its Secret the "Secret".
  applicationId: cfg.require("key"),
  secret: cfg.requireSecret("secret"),
  title: cfg.get("title") ?? "Bitbucket.org",
  // instanceUrl defaults to https://bitbucket.org, the only Bitbucket the console supports.
  // What the consumer was registered with (step 2.1): its "Callback URL" ...
  callbackUrl: cfg.require("callbackUrl"),
  // ... and its Permissions: Account > Read, Webhooks > Read and write, Repositories > Write.
  // A missing one fails `pulumi preview` and names the checkbox to tick.
  scopes: cfg.getObject<string[]>("scopes") ?? ["account", "webhook", "repository:write"],
  // To adopt a provider that already exists in the console instead of creating a second one, set its id
  // (`pulumi config set importId 101`): on create its title, id and secret are set to these. The `import` resource
  // option cannot do this for a dynamic resource (pulumi/pulumi#16175).
  importId: cfg.get("importId"),
  // Optional: the console to manage, spelled out. Without it the provider reads the same stack config
  // (bytebase:url, bytebase:serviceAccount, bytebase:serviceKey) or BYTEBASE_* environment variables; with it,
  // one program can manage several consoles. Stored in the state as a secret.
  connection: {
    url: bytebase.require("url"),
    serviceAccount: bytebase.require("serviceAccount"),
    serviceKey: bytebase.requireSecret("serviceKey"),
  },
});

/** The callback to register in the consumer: the console's `<external URL>/oauth/callback`. */
export const callbackUrl = bitbucket.callbackUrl;
/** The provider's resource name in the console, `externalVersionControls/<id>`. */
export const name = bitbucket.name;
/** Where the console calls Bitbucket: https://api.bitbucket.org/2.0. */
export const apiUrl = bitbucket.apiUrl;
/** What was verified (callback, credentials, granted permissions) and how it went. */
export const verification = bitbucket.verification;
