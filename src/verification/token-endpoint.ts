// Talking to a Git provider's OAuth token endpoint: where it is (with the documented override for proxies and
// the local console's fake providers) and one form POST with a timeout.
import type { GitProviderSpec, TokenRequest } from "../catalog";
import { networkFailure } from "../client/errors";
import { undici } from "../client/http";

const TIMEOUT_MS = 10_000;

/**
 * The token endpoint for a provider. `BYTEBASE_GITOPS_OAUTH_URL_<TYPE>` (e.g. `BYTEBASE_GITOPS_OAUTH_URL_BITBUCKET`)
 * replaces the scheme, host and port of the endpoint, keeping its path.
 */
export function tokenUrlFor(spec: GitProviderSpec, instanceUrl: string): string {
  const url = new URL(spec.tokenUrl(instanceUrl));
  const override = process.env[`BYTEBASE_GITOPS_OAUTH_URL_${spec.type}`]?.trim();
  if (!override) return url.href;
  const base = new URL(override);
  return new URL(url.pathname, base.origin).href;
}

export type TokenAnswer = { status: number; body: Record<string, unknown> } | { unreachable: string };

export async function askTokenEndpoint(url: string, req: TokenRequest): Promise<TokenAnswer> {
  const { request, agent } = await undici(); // loaded on first use, shared with the console client
  try {
    const answer = await request(url, {
      method: "POST",
      dispatcher: agent,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        ...req.headers,
      },
      body: new URLSearchParams({ ...req.form }).toString(),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    return { status: answer.statusCode, body: parseBody(await answer.body.text()) };
  } catch (error) {
    return { unreachable: networkFailure(error).detail };
  }
}

/** JSON, or the form encoding GitHub uses without an Accept header. */
function parseBody(text: string): Record<string, unknown> {
  try {
    const body = JSON.parse(text) as unknown;
    return body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}
