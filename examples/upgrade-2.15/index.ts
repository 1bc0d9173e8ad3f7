// Step 1 of the upgrade walkthrough (README.md): the stack as it is on a Bytebase 2.14 console, two OAuth-application
// Git providers, GitLab.com and Azure DevOps. After the console's upgrade to 2.15, index-2.15.ts replaces this file.
//
// The console comes from the stack config `bytebase:url`, `bytebase:serviceAccount` and `bytebase:serviceKey`
// (or the environment: BYTEBASE_URL, BYTEBASE_SERVICE_ACCOUNT, BYTEBASE_SERVICE_KEY).
import * as pulumi from "@pulumi/pulumi";
import { GitOpsProvider } from "pulumi-bytebase-gitops";

const cfg = new pulumi.Config();

/** What both OAuth apps were registered with: the console's `<external URL>/oauth/callback`. */
const callbackUrl = cfg.require("callbackUrl");

// A GitLab.com application (User settings > Applications) with the scope api.
const gitlab = new GitOpsProvider("gitlab", {
  type: "GITLAB",
  applicationId: cfg.require("gitlabApplicationId"),
  secret: cfg.requireSecret("gitlabSecret"),
  callbackUrl,
});

// An Azure DevOps OAuth app (app.vsaex.visualstudio.com) with the scopes Bytebase asks for.
const azureDevOps = new GitOpsProvider("azure-devops", {
  type: "AZURE_DEVOPS",
  applicationId: cfg.require("azureAppId"),
  secret: cfg.requireSecret("azureClientSecret"),
  callbackUrl,
});

/** Each provider's name in the 2.14 console: `externalVersionControls/<number>`. */
export const providers = { gitlab: gitlab.name, azureDevOps: azureDevOps.name };
