// What Bytebase 2.15 - 3.4 asks the Git provider for a connector: a branch (checkBranchExistence), a webhook added
// on create (createVCSWebhook) and removed on delete, with each type's request and failure words as
// backend/plugin/vcs/<type>/<type>.go@2.15.0 GetBranch, CreateWebhook, DeleteWebhook send and word them
// (unchanged at 3.4.1), and backend/api/v1/vcs_connector_service.go@2.15.0 / @3.4.1 builds the hook bodies.
import type { GitProviderType } from "../../catalog";
import type { TokenEraRules } from "../versions";
import type { RouteContext } from "./context";
import type { VcsProviderRecord } from "../types";
import { AUTHORIZATION, local } from "./vcs-token-check";

type Answer = { status: number; body: string };

async function send(
  ctx: RouteContext,
  p: VcsProviderRecord,
  method: string,
  url: string,
  body?: unknown,
): Promise<Answer> {
  try {
    const answer = await fetch(local(ctx, p.type, url), {
      method,
      headers: { "content-type": "application/json", authorization: AUTHORIZATION[p.type](p.accessToken) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: answer.status, body: await answer.text() };
  } catch (error) {
    throw new Error(`${method} ${url}: ${(error as Error).message}`, { cause: error });
  }
}

/** Each plugin's APIURL(instanceURL) (gitlab.go, github.go, bitbucket.go, azure.go@2.15.0). */
const API_URL: Record<GitProviderType, (url: string) => string> = {
  GITLAB: (url) => `${url}/api/v4`,
  GITHUB: (url) => (url === "https://github.com" ? "https://api.github.com" : `${url}/api/v3`),
  BITBUCKET: (url) => (url === "https://bitbucket.org" ? "https://api.bitbucket.org/2.0" : `${url}/2.0`),
  AZURE_DEVOPS: (url) => url,
};

/** azure.go@2.15.0: repository ids are `<organization>/<project id>/<repository id>`. */
function azureParts(id: string): [string, string, string] {
  const parts = id.split("/");
  if (parts.length !== 3) throw new Error(`invalid repository ID ${JSON.stringify(id)}`);
  return parts as [string, string, string];
}

/** A Git provider's NotFound (common.NotFound in Bytebase): checkBranchExistence turns it into "branch ... not found". */
export class GitNotFound extends Error {}

/** GetBranch; throws GitNotFound for a missing branch (not Azure DevOps: its plugin has no NotFound case). */
export async function getBranch(
  ctx: RouteContext,
  p: VcsProviderRecord,
  repo: string,
  branch: string,
): Promise<void> {
  const api = API_URL[p.type](p.url);
  let url: string;
  if (p.type === "AZURE_DEVOPS") {
    const [org, project, id] = azureParts(repo);
    const query = new URLSearchParams({ "api-version": "7.0", name: branch }).toString();
    url = `${api}/${encodeURIComponent(org)}/${encodeURIComponent(project)}/_apis/git/repositories/${encodeURIComponent(id)}/stats/branches?${query}`;
    const r = await send(ctx, p, "GET", url);
    if (r.status >= 300)
      throw new Error(`non-200 GET ${url} status code ${r.status} with body ${JSON.stringify(r.body)}`);
    return;
  }
  const path = {
    GITLAB: `projects/${repo}/repository/branches/${branch}`,
    GITHUB: `repos/${repo}/git/ref/heads/${branch}`,
    BITBUCKET: `repositories/${repo}/refs/branches/${branch}`,
  }[p.type];
  url = `${api}/${path}`;
  const r = await send(ctx, p, "GET", url);
  if (r.status === 404) throw new GitNotFound(`failed to get branch from URL ${url}`);
  if (r.status >= 300)
    throw new Error(`failed to get branch from URL ${url}, status code: ${r.status}, body: ${r.body}`);
}

/** createVCSWebhook's bodies: one per type; Azure DevOps from 2.23.0 one per pull-request event (created, updated, merged). */
export function webhookBodies(
  type: GitProviderType,
  rules: TokenEraRules,
  url: string,
  secret: string,
  externalId: string,
): unknown[] {
  if (type === "GITLAB")
    return [
      {
        url,
        token: secret,
        push_events: false,
        note_events: true,
        merge_requests_events: true,
        enable_ssl_verification: false,
      },
    ];
  if (type === "GITHUB")
    return [
      {
        config: { url, content_type: "json", secret, insecure_ssl: 1 },
        events: ["pull_request", "pull_request_review_comment"],
      },
    ];
  if (type === "BITBUCKET")
    return [
      {
        description: "Bytebase GitOps",
        url,
        active: true,
        events: [
          "pullrequest:created",
          "pullrequest:updated",
          "pullrequest:fulfilled",
          "pullrequest:comment_created",
        ],
      },
    ];
  const parts = externalId.split("/");
  if (parts.length !== 3) throw new Error(`invalid external repo id ${JSON.stringify(externalId)}`);
  return rules.azureDevOpsWebhookEvents.map((eventType) => ({
    consumerActionId: "httpRequest",
    consumerId: "webHooks",
    consumerInputs: { url, acceptUntrustedCerts: true, httpHeaders: `X-Azure-Token: ${secret}` },
    eventType,
    publisherId: "tfs",
    publisherInputs: {
      repository: parts[2],
      branch: "",
      projectId: parts[1],
      ...(eventType === "git.pullrequest.merged" ? { mergeResult: "Succeeded" } : {}),
    },
  }));
}

/** CreateWebhook: the new hook's id (Azure DevOps: `<organization>/<subscription id>`). */
export async function createWebhook(
  ctx: RouteContext,
  p: VcsProviderRecord,
  repo: string,
  body: unknown,
): Promise<string> {
  const api = API_URL[p.type](p.url);
  if (p.type === "AZURE_DEVOPS") {
    const [org] = azureParts(repo);
    const url = `${api}/${encodeURIComponent(org)}/_apis/hooks/subscriptions?api-version=7.0`;
    const r = await send(ctx, p, "POST", url, body);
    if (r.status >= 300) throw new Error(`failed to create webhook, code: ${r.status}, body: ${r.body}`);
    return `${org}/${(JSON.parse(r.body) as { id: string }).id}`;
  }
  const path = {
    GITLAB: `projects/${repo}/hooks`,
    GITHUB: `repos/${repo}/hooks`,
    BITBUCKET: `repositories/${repo}/hooks`,
  }[p.type];
  const url = `${api}/${path}`;
  const r = await send(ctx, p, "POST", url, body);
  if (r.status === 404) throw new Error(`failed to create webhook through URL ${url}`);
  if (r.status !== 201) {
    let reason = `failed to create webhook through URL ${url}, status code: ${r.status}, body: ${r.body}`;
    // gitlab.go@2.15.0: the tip for 422 (bytebase/bytebase#101).
    if (p.type === "GITLAB" && r.status === 422)
      reason +=
        ".\n\nIf GitLab and Bytebase are in the same private network, please follow the instructions in https://docs.gitlab.com/ee/security/webhooks.html";
    throw new Error(reason);
  }
  const made = JSON.parse(r.body) as { id?: number; uuid?: string };
  return p.type === "BITBUCKET" ? String(made.uuid) : String(made.id);
}

/** DeleteWebhook; the console fails open (logs and goes on), so failures are swallowed here too. */
export async function deleteWebhook(
  ctx: RouteContext,
  p: VcsProviderRecord,
  repo: string,
  hookId: string,
): Promise<void> {
  const api = API_URL[p.type](p.url);
  let url: string;
  if (p.type === "AZURE_DEVOPS") {
    const [org, id] = hookId.split("/");
    if (!org || !id) return;
    url = `${api}/${encodeURIComponent(org)}/_apis/hooks/subscriptions/${encodeURIComponent(id)}?api-version=7.0`;
  } else {
    const path = {
      GITLAB: `projects/${repo}/hooks`,
      GITHUB: `repos/${repo}/hooks`,
      BITBUCKET: `repositories/${repo}/hooks`,
    }[p.type];
    url = `${api}/${path}/${hookId}`;
  }
  await send(ctx, p, "DELETE", url).catch(() => undefined);
}
