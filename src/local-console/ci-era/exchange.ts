// `POST /v1/auth:exchangeToken` (3.15 - 3.21): a CI job's OIDC token for a one-hour Bytebase token of the workload
// identity it names. Follows AuthService.ExchangeToken (backend/api/v1/auth_service.go@3.21.1) and
// backend/plugin/idp/wif/{wif,jwks}.go@3.21.1 (unchanged since 3.13.0). The issuers of GitHub Actions and GitLab
// are answered by the console's fake issuer (./oidc-issuer.ts), as the OAuth fakes answer github.com: a real
// Bytebase fetches their JWKS and refuses loopback issuers, so the exchange is exercised on this console only.
import { matchAudience, matchSubjectPattern } from "../../ci/subject-match";
import { Code, GrpcError } from "../errors";
import type { Reply, Req } from "../http";
import { jsonBody, type RouteContext } from "../routes/context";
import type { Store } from "../state";
import { EMAIL } from "./account-kinds";
import { CI_ISSUERS, FakeOidcIssuer, verifyJwt } from "./oidc-issuer";
import { decode } from "./protojson";
import { ciState } from "./state";

const issuers = new WeakMap<Store, FakeOidcIssuer>();

/** The console's fake issuer (one key per console). */
export function fakeIssuer(ctx: Pick<RouteContext, "store" | "nowMs">): FakeOidcIssuer {
  let issuer = issuers.get(ctx.store);
  if (!issuer) issuers.set(ctx.store, (issuer = new FakeOidcIssuer(ctx.nowMs)));
  return issuer;
}

/** jwks.go@3.21.1 validateIssuerURL: https, a host, and no loopback or private (10., 172., 192.168.) host. */
function issuerProblem(issuerUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuerUrl);
  } catch {
    return `invalid issuer URL: parse ${JSON.stringify(issuerUrl)}`;
  }
  if (url.protocol !== "https:") return `issuer URL must use HTTPS: ${issuerUrl}`;
  if (!url.hostname) return `issuer URL must have a host: ${issuerUrl}`;
  const host = url.hostname.toLowerCase();
  if (host === "localhost" || ["127.", "10.", "192.168.", "172."].some((p) => host.startsWith(p)))
    return `issuer URL cannot be a private address: ${issuerUrl}`;
  return undefined;
}

async function fetchJwks(ctx: RouteContext, issuerUrl: string) {
  const problem = issuerProblem(issuerUrl);
  if (problem) throw new Error(`failed to fetch JWKS: ${problem}`);
  if (Object.values(CI_ISSUERS).includes(issuerUrl as never)) return fakeIssuer(ctx).jwks;
  const configUrl = `${issuerUrl}/.well-known/openid-configuration`;
  try {
    const config = (await (await fetch(configUrl, { signal: AbortSignal.timeout(10_000) })).json()) as {
      jwks_uri?: string;
    };
    return (await (await fetch(config.jwks_uri ?? "", { signal: AbortSignal.timeout(10_000) })).json()) as {
      keys: Array<Record<string, unknown>>;
    };
  } catch (error) {
    throw new Error(
      `failed to fetch JWKS: failed to fetch OIDC config from ${configUrl}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

const EXCHANGE_REQUEST = {
  fullName: "bytebase.v1.ExchangeTokenRequest",
  fields: { token: "string", email: "string" },
} as const;

export async function exchangeToken(ctx: RouteContext, req: Req): Promise<Reply> {
  const body = decode(ctx.profile, req.body, EXCHANGE_REQUEST, jsonBody(req), true);
  const token = (body.token as string | undefined) ?? "";
  const email = (body.email as string | undefined) ?? "";
  if (token === "") throw new GrpcError(Code.InvalidArgument, "token is required");
  if (email === "") throw new GrpcError(Code.InvalidArgument, "email is required");
  if (
    ctx.profile.ciEra?.validatesEmails &&
    (!EMAIL.test(email) || !/(@|\.)workload\.bytebase\.com$/.test(email))
  )
    throw new GrpcError(
      Code.InvalidArgument,
      `invalid workload identity email ${JSON.stringify(email)}: ${EMAIL.test(email) ? "email must end with workload.bytebase.com" : "invalid email address"}`,
    );
  const wi = ciState(ctx).accounts.find((a) => a.kind === "workloadIdentity" && a.email === email);
  if (!wi) throw new GrpcError(Code.NotFound, `workload identity ${JSON.stringify(email)} not found`);
  if (wi.deleted) throw new GrpcError(Code.Unauthenticated, "workload identity has been deactivated");
  if (!wi.config) throw new GrpcError(Code.Internal, "workload identity config not found");
  const refuse = (why: string): never => {
    throw new GrpcError(Code.Unauthenticated, `token validation failed: ${why}`);
  };
  // wif.go ValidateToken, in its order: parse, JWKS, signature, issuer, audience, subject, expiry.
  if (token.split(".").length !== 3)
    refuse("failed to parse token: go-jose/go-jose: compact JWS format must have three parts");
  let jwks: Awaited<ReturnType<typeof fetchJwks>>;
  try {
    jwks = await fetchJwks(ctx, wi.config.issuerUrl);
  } catch (error) {
    return refuse((error as Error).message);
  }
  const verified = verifyJwt(token, jwks);
  if (!verified.ok) return refuse(verified.reason);
  const { iss, sub, aud, exp } = verified.claims;
  if (iss !== wi.config.issuerUrl)
    refuse(
      `issuer mismatch: expected ${JSON.stringify(wi.config.issuerUrl)}, got ${JSON.stringify(iss ?? "")}`,
    );
  const audiences = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud.map(String) : [];
  if (!matchAudience(audiences, wi.config.allowedAudiences))
    refuse(
      `audience mismatch: token has [${audiences.join(" ")}], allowed [${wi.config.allowedAudiences.join(" ")}]`,
    );
  const subject = typeof sub === "string" ? sub : "";
  if (!matchSubjectPattern(subject, wi.config.subjectPattern))
    refuse(
      `subject mismatch: expected pattern ${JSON.stringify(wi.config.subjectPattern)}, got ${JSON.stringify(subject)}`,
    );
  if (Math.floor(ctx.nowMs() / 1000) > (typeof exp === "number" ? exp : 0)) refuse("token has expired");
  // auth.GenerateAPIToken: a one-hour token of the identity; here an account of the console's with no role of its own.
  const account = ctx.store.account(email) ?? ctx.store.upsertAccount(email, "service", "member", "");
  return { status: 200, body: { accessToken: ctx.auth.issue(account, 60 * 60).token } };
}
