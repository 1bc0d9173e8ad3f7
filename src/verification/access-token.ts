// Verifying a Git provider's access token before the console is touched (Bytebase 2.15 - 3.4): asks the Git
// provider what the token is and may do, as the Git provider's catalog file says, and reports each finding.
import {
  describePermission,
  expandPermissions,
  readPermissions,
  withArticle,
  type GitApiAnswer,
  type GitProviderSpec,
} from "../catalog";
import type { TokenFinding } from "../catalog";
import { networkFailure, redact } from "../client/errors";
import { undici } from "../client/http";
import type { VerificationCheck } from "./index";

const TIMEOUT_MS = 10_000;

export interface TokenVerification {
  readonly verifiedAt: string;
  readonly checks: VerificationCheck[];
  /** When the token stops working (ISO 8601), where the Git provider tells. */
  readonly tokenExpiresAt?: string;
}

/**
 * The URL a request for the Git provider's API goes to. `BYTEBASE_GITOPS_API_URL_<TYPE>` (e.g.
 * `BYTEBASE_GITOPS_API_URL_GITHUB`) replaces the scheme, host and port, keeping the path: for a proxy, or the local
 * console's fake Git providers.
 */
export function gitApiUrlFor(spec: GitProviderSpec, url: string): string {
  const override = process.env[`BYTEBASE_GITOPS_API_URL_${spec.type}`]?.trim();
  if (!override) return url;
  const target = new URL(url);
  return new URL(`${target.pathname}${target.search}`, new URL(override).origin).href;
}

/**
 * Every finding about the token; never throws for what the Git provider answers, never quotes the token. With
 * `declared` permissions: where the Git provider tells what the token grants, a declared one it lacks fails; where it
 * does not (a GitHub fine-grained token, Azure DevOps), a declaration that lacks what Bytebase needs fails.
 */
export async function verifyAccessToken(
  spec: GitProviderSpec,
  instanceUrl: string,
  token: string,
  now: () => number = Date.now,
  declared?: readonly string[],
): Promise<TokenVerification> {
  const authorization = spec.accessToken.authorization(token);
  const ask = (url: string) => getJson(gitApiUrlFor(spec, url), authorization);
  const { findings, expiresAt, granted, grantedKind } = await spec.accessToken.inspect(
    token,
    instanceUrl,
    ask,
    now(),
  );
  if (declared?.length)
    findings.push(
      ...(granted
        ? declarationFindings(spec, declared, granted, grantedKind)
        : declaredNeedsFindings(spec, declared)),
    );
  return {
    verifiedAt: new Date(now()).toISOString(),
    checks: findings.map((f) => ({
      check: f.check,
      outcome: f.outcome,
      detail: redact(f.detail, [token, ...token.split(":")]),
    })),
    ...(expiresAt ? { tokenExpiresAt: expiresAt } : {}),
  };
}

/** The failed findings as one message naming the Git provider, or undefined when none failed. */
export function tokenFailureMessage(spec: GitProviderSpec, v: TokenVerification): string | undefined {
  const failed = v.checks.filter((c) => c.outcome === "failed");
  if (!failed.length) return undefined;
  return `The ${spec.label} ${spec.accessToken.term} did not pass verification, so the console was not touched: ${failed
    .map((c) => `${c.check}: ${c.detail}`)
    .join("; ")} (set verifyToken: false to skip this check)`;
}

/** Declared permissions the Git provider says the token does not grant (the declaration the policies trust is false). */
function declarationFindings(
  spec: GitProviderSpec,
  declared: readonly string[],
  granted: readonly string[],
  grantedKind: string | undefined,
): TokenFinding[] {
  const { kinds } = spec.accessToken;
  const kind = kinds.find((k) => k.kind === grantedKind) ?? readPermissions(kinds, granted).kind;
  const have = expandPermissions(kind.known, granted);
  const untrue = declared.filter((name) => !have.has(name));
  if (!untrue.length) return [];
  return [
    {
      check: "permissions",
      outcome: "failed",
      detail:
        `'permissions' declares ${untrue.join(", ")}, which the ${kind.kind} does not grant (${spec.label} says it grants ` +
        `${granted.join(", ") || "nothing"}); declare what the token grants, or make one that grants what is declared in ${kind.where}`,
    },
  ];
}

/** Where the Git provider does not tell the grants: what the declaration itself says is missing. */
function declaredNeedsFindings(spec: GitProviderSpec, declared: readonly string[]): TokenFinding[] {
  const { kind, missing } = readPermissions(spec.accessToken.kinds, declared);
  if (!missing.length) return [];
  const words = missing.map((n) => describePermission(kind, n)).join(", ");
  return [
    {
      check: "permissions",
      outcome: "failed",
      detail:
        `${spec.label} does not tell what the token grants, and 'permissions' declares ${withArticle(kind.kind)} without ${words}, ` +
        `which Bytebase needs; grant ${missing.length > 1 ? "them" : "it"} in ${kind.where} and add ${missing.join(", ")} to 'permissions'`,
    },
  ];
}

async function getJson(url: string, authorization: string): Promise<GitApiAnswer | { unreachable: string }> {
  const { request, agent } = await undici();
  try {
    const answer = await request(url, {
      method: "GET",
      dispatcher: agent,
      headers: { authorization, accept: "application/json", "user-agent": "pulumi-bytebase-gitops" },
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    const text = await answer.body.text();
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(answer.headers))
      if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    let body: unknown = undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: answer.statusCode, headers, body };
  } catch (error) {
    return { unreachable: `${new URL(url).host}: ${networkFailure(error).detail}` };
  }
}
