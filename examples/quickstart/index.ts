// The quickstart: the two Git providers of the console's "Add a Git provider" walkthroughs, Azure DevOps and
// Bitbucket.org, declared with what the wizard asks for (Settings > GitOps > Add a Git provider). Before writing
// anything, each one checks the declared callback against the console's and its credentials against the Git
// provider; a missing scope or permission fails `pulumi preview` and names the checkbox to tick.
//
// The console comes from the stack config `bytebase:url`, `bytebase:serviceAccount` and `bytebase:serviceKey`
// (or the environment: BYTEBASE_URL, BYTEBASE_SERVICE_ACCOUNT, BYTEBASE_SERVICE_KEY).
import * as pulumi from "@pulumi/pulumi";
import { GitOpsProvider } from "pulumi-bytebase-gitops";

const cfg = new pulumi.Config();

/** What both OAuth apps were registered with: the console's `<external URL>/oauth/callback`. */
const callbackUrl = cfg.require("callbackUrl");

// An OAuth app registered at https://app.vsaex.visualstudio.com: its App ID and Client Secret (not the App Secret),
// with the scopes Code (full), Identity (read), Project and team (read), Build (read and execute).
const azureDevOps = new GitOpsProvider("azure-devops", {
  type: "AZURE_DEVOPS",
  applicationId: cfg.require("azureAppId"),
  secret: cfg.requireSecret("azureClientSecret"),
  title: cfg.get("azureTitle"), // unset: "Azure DevOps"
  callbackUrl,
  scopes: cfg.getObject<string[]>("azureScopes") ?? [
    "vso.code_full",
    "vso.identity",
    "vso.project",
    "vso.build_execute",
  ],
});

// A workspace OAuth consumer (Workspace settings > OAuth consumers > Add consumer): its Key and Secret, with the
// permissions Account > Read, Webhooks > Read and write, Repositories > Write.
const bitbucket = new GitOpsProvider("bitbucket", {
  type: "BITBUCKET",
  applicationId: cfg.require("bitbucketKey"),
  secret: cfg.requireSecret("bitbucketSecret"),
  title: cfg.get("bitbucketTitle"), // unset: "Bitbucket.org"
  callbackUrl,
  scopes: cfg.getObject<string[]>("bitbucketScopes") ?? ["account", "webhook", "repository:write"],
});

/** The console's OAuth callback, as the console itself reports it. */
export const consoleCallbackUrl = azureDevOps.consoleCallbackUrl;
/** Each provider's name in the console (`externalVersionControls/<id>`), API URL and what was verified. */
export const providers = {
  azureDevOps: { name: azureDevOps.name, apiUrl: azureDevOps.apiUrl, verification: azureDevOps.verification },
  bitbucket: { name: bitbucket.name, apiUrl: bitbucket.apiUrl, verification: bitbucket.verification },
};
