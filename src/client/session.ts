// A console session: one login per connection (the runtime keeps one connection per console and service account per
// process, shared by every API client), the token reused until shortly before it expires (a service account's lives
// 1 hour) or until the console refuses it.
import { LoginAnswer, parserOf } from "./answers";
import { sendJson } from "./http";
import type { HttpOptions } from "./http-settings";

export interface Credentials {
  readonly url: string;
  readonly serviceAccount: string;
  readonly serviceKey: string;
}

/** Renew this long before the token's own expiry. */
const RENEW_BEFORE_MS = 5 * 60_000;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

export class Session {
  private current: Promise<CachedToken> | undefined;

  constructor(
    private readonly creds: Credentials,
    private readonly options: HttpOptions,
    private readonly now: () => number,
  ) {}

  /**
   * A bearer token: cached, or from a fresh login. `refused` is a token the console just answered 401 to: it is
   * replaced, once, however many calls saw the same 401 at the same time.
   */
  async token(refused?: string): Promise<string> {
    const cached = this.current;
    const token = await cached?.catch(() => undefined);
    if (token && token.token !== refused && token.expiresAt - RENEW_BEFORE_MS > this.now())
      return token.token;
    // Absent, failed, refused or about to expire: log in, unless a concurrent call has already started a new login.
    if (!this.current || this.current === cached) {
      const fresh = login(this.creds, this.options, this.now);
      fresh.catch(() => this.current === fresh && (this.current = undefined));
      this.current = fresh;
    }
    return (await this.current!).token;
  }
}

async function login(creds: Credentials, options: HttpOptions, now: () => number): Promise<CachedToken> {
  const { token } = await sendJson(
    creds.url,
    {
      method: "POST",
      path: "v1/auth/login",
      body: { email: creds.serviceAccount, password: creds.serviceKey },
      operation: `Logging in to the console as ${creds.serviceAccount}`,
      secrets: [creds.serviceKey],
      idempotent: true,
    },
    options,
    parserOf(LoginAnswer),
  );
  return { token, expiresAt: jwtExpiry(token) ?? now() + 60 * 60_000 };
}

/** The `exp` claim of a JWT in milliseconds, without verifying it. */
function jwtExpiry(token: string): number | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      exp?: unknown;
    };
    return typeof claims.exp === "number" ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
