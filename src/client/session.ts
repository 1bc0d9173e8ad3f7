// Console sessions: one login per console and service account per process, the token reused until shortly
// before it expires (a service account's lives 1 hour) or until the console refuses it.
import { createHash } from "node:crypto";
import { LoginAnswer, parserOf } from "./answers";
import { sendJson } from "./http";
import type { HttpOptions } from "./settings";

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

const tokens = new Map<string, Promise<CachedToken>>();

const keys = new WeakMap<Credentials, string>();

function cacheKey(creds: Credentials): string {
  let key = keys.get(creds);
  if (key === undefined) {
    // The key itself never sits in the map in plain text.
    const keyHash = createHash("sha256").update(creds.serviceKey).digest("hex");
    keys.set(creds, (key = `${creds.url}\n${creds.serviceAccount}\n${keyHash}`));
  }
  return key;
}

/**
 * A bearer token for these credentials: cached, or from a fresh login. `refused` is a token the console just
 * answered 401 to: it is replaced, once, however many calls saw the same 401 at the same time.
 */
export async function bearerToken(
  creds: Credentials,
  options: HttpOptions,
  now = Date.now,
  refused?: string,
): Promise<string> {
  const key = cacheKey(creds);
  const cached = tokens.get(key);
  const token = await cached?.catch(() => undefined);
  if (token && token.token !== refused && token.expiresAt - RENEW_BEFORE_MS > now()) return token.token;
  // Absent, failed, refused or about to expire: log in, unless a concurrent call has already started a new login.
  let pending = tokens.get(key);
  if (!pending || pending === cached) {
    const login_ = login(creds, options, now);
    login_.catch(() => tokens.get(key) === login_ && tokens.delete(key));
    tokens.set(key, login_);
    pending = login_;
  }
  return (await pending).token;
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
