// Login (users and `bbs_` service accounts), HS256 bearer/cookie authentication, then the version's ACL check.
import { checkAcl } from "./acl";
import { Code, GrpcError } from "./errors";
import type { Req } from "./http";
import { signHs256, verifyHs256 } from "./jwt";
import { ALNUM, chars, cryptoRng } from "./oauth-fakes/credentials";
import type { Store } from "./state";
import type { Account } from "./state-data";
import type { VersionProfile } from "./versions";

export const SERVICE_ACCOUNT_DOMAIN = "@service.bytebase.com";
const SERVICE_TOKEN_SECONDS = 60 * 60;
const USER_TOKEN_SECONDS = 7 * 24 * 60 * 60;

/** A new service key: `bbs_` and 20 letters and digits. */
export function newServiceKey(): string {
  return `bbs_${chars(cryptoRng, ALNUM, 20)}`;
}

export class Auth {
  constructor(
    private readonly store: Store,
    private readonly nowMs: () => number,
    private readonly profile: VersionProfile,
  ) {}

  /** `POST /v1/auth/login`: a token for a user (password) or a service account (its `bbs_` key). */
  login(email: unknown, password: unknown): { token: string; expiresAt: number } {
    const account = typeof email === "string" ? this.store.account(email.trim()) : undefined;
    const ok =
      account !== undefined &&
      typeof password === "string" &&
      password === account.secret &&
      (account.kind === "user" || password.startsWith("bbs_"));
    if (!ok) throw new GrpcError(Code.Unauthenticated, "The email or password is not valid.");
    return this.issue(account, account.kind === "service" ? SERVICE_TOKEN_SECONDS : USER_TOKEN_SECONDS);
  }

  /** An access token of `account`, valid for `seconds` (login; 3.x's auth:exchangeToken, one hour). */
  issue(account: Account, seconds: number): { token: string; expiresAt: number } {
    const now = Math.floor(this.nowMs() / 1000);
    const exp = now + seconds;
    const claims = {
      name: account.email,
      sub: String(account.id),
      iss: "bytebase",
      aud: ["bb.user.access"],
      iat: now,
      exp,
    };
    return { token: signHs256(claims, this.store.data.jwtSecret), expiresAt: exp };
  }

  /** The caller of a request, from `Authorization: Bearer` or the `access-token` cookie; 401 otherwise. */
  authenticate(req: Req): Account {
    const token = tokenOf(req);
    if (!token) throw new GrpcError(Code.Unauthenticated, "access token not found");
    const verified = verifyHs256(token, this.store.data.jwtSecret, Math.floor(this.nowMs() / 1000));
    if (!verified.ok)
      throw new GrpcError(
        Code.Unauthenticated,
        verified.reason === "expired" ? this.profile.expiredTokenMessage : "failed to parse claim",
      );
    const aud = verified.claims.aud;
    if (!Array.isArray(aud) || !aud.includes("bb.user.access"))
      throw new GrpcError(Code.Unauthenticated, "invalid access token, audience mismatch");
    const account = this.store.data.accounts.find((a) => String(a.id) === verified.claims.sub);
    if (!account)
      throw new GrpcError(
        Code.Unauthenticated,
        `principal ID "${String(verified.claims.sub)}" not exists in the access token`,
      );
    return account;
  }

  /**
   * The request's account, if it may call the gRPC `method`: 401 without a valid token (the auth interceptor), then
   * the version's ACL interceptor (see acl.ts); both run before the handler, after the gateway decoded the body.
   */
  authorize(req: Req, method: string, projects: readonly string[] = []): Account {
    const account = this.authenticate(req);
    checkAcl(this.profile, account, method, projects);
    return account;
  }
}

function tokenOf(req: Req): string {
  const header = req.headers.authorization;
  if (header) {
    const parts = header.trim().split(/\s+/);
    if (parts.length !== 2 || parts[0]!.toLowerCase() !== "bearer")
      throw new GrpcError(Code.Unauthenticated, "authorization header format must be Bearer {token}");
    return parts[1]!;
  }
  for (const cookie of (req.headers.cookie ?? "").split(";")) {
    const [name, ...value] = cookie.trim().split("=");
    if (name === "access-token") return value.join("=");
  }
  return "";
}
