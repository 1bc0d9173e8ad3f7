// What the access-token era of Bytebase (2.15 - 3.4 `vcsProviders`) asks of a Git provider's token: the helpers each
// Git provider's catalog file uses to tell what a token is and may do (their shapes are in types.ts). No HTTP here:
// the verification module sends the requests a catalog file asks for and hands it the answers.
import type { GitApiAnswer, TokenFinding } from "./types";

/** An answer, or undefined after recording "could not verify" for an unreachable Git provider. */
export function answered(
  result: GitApiAnswer | { readonly unreachable: string },
  label: string,
  findings: TokenFinding[],
  check = "token",
): GitApiAnswer | undefined {
  if ("status" in result) return result;
  findings.push({
    check,
    outcome: "unverifiable",
    detail: `could not verify: ${label} did not answer (${result.unreachable})`,
  });
  return undefined;
}

/**
 * The Git provider's first answer about the token, read as every catalog reads it: a 200 goes on (returned); no
 * answer or any other status is "could not verify" (`request` and `why` say what was asked), a 401 is a refusal that
 * says where to make a new token. Undefined when the inspection stops here.
 */
export function tokenAnswer(
  result: GitApiAnswer | { readonly unreachable: string },
  label: string,
  findings: TokenFinding[],
  where: { request: string; whereToMake: string; why?: string },
): GitApiAnswer | undefined {
  const answer = answered(result, label, findings);
  if (!answer || answer.status === 200) return answer;
  findings.push(
    answer.status === 401
      ? {
          check: "token",
          outcome: "failed",
          detail: `${label} refused the token (401 "${messageOf(answer.body)}"): it is wrong, revoked or expired; make a new one in ${where.whereToMake}`,
        }
      : {
          check: "token",
          outcome: "unverifiable",
          detail: `could not verify: ${label} answered ${answer.status} to GET ${where.request}${where.why ? ` (${where.why})` : ""}`,
        },
  );
  return undefined;
}

/** An ISO date's finding: failed when past, verified otherwise; `what` names the token in the provider's words. */
export function expiryFinding(expiresAtMs: number, nowMs: number, what: string, renew: string): TokenFinding {
  const at = new Date(expiresAtMs).toISOString();
  if (expiresAtMs <= nowMs)
    return { check: "expiry", outcome: "failed", detail: `the ${what} expired at ${at}; ${renew}` };
  const days = Math.floor((expiresAtMs - nowMs) / 86_400_000);
  return { check: "expiry", outcome: "verified", detail: `the ${what} expires at ${at} (${days} days left)` };
}

/** A short, single-line excerpt of an answer's message for error details (bodies never hold the token). */
export function messageOf(body: unknown): string {
  const o = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const m =
    o.message ?? o.error_description ?? (o.error as { message?: unknown } | undefined)?.message ?? o.error;
  return typeof m === "string" ? m.slice(0, 200) : "";
}
