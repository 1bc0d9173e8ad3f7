// Bytebase's rate limiter, in front of every console route: a token bucket per client IP (30/s, burst 60) that
// answers 429 `null` (no Retry-After) before any handler runs. Follows Bytebase backend/server/server.go@2.5.0
// (`e.Use(middleware.RateLimiterWithConfig(...))`) and backend/server/routers.go@2.14.0 (the same config), with
// echo v4.10.2 (2.5.0's go.mod) / v4.11.4 (2.14.0's) middleware/rate_limiter.go and golang.org/x/time/rate.
import type { IncomingHttpHeaders } from "node:http";
import type { Reply, Req } from "./http";

/** `RateLimiterMemoryStoreConfig{Rate: 30, Burst: 60, ExpiresIn: 3 * time.Minute}` (server.go@2.5.0, routers.go@2.14.0). */
const BYTEBASE_RATE = 30;
const BYTEBASE_BURST = 60;
const EXPIRES_IN_MS = 3 * 60_000;

/**
 * Bytebase's DenyHandler, `context.JSON(http.StatusTooManyRequests, nil)`: echo's `c.JSON` sets
 * `application/json; charset=UTF-8` and its DefaultJSONSerializer (`json.NewEncoder(...).Encode(nil)`) writes
 * `null` and a newline (echo@v4.11.4 context.go, json.go). No Retry-After header.
 */
const rateLimitedReply = (): Reply => ({
  status: 429,
  headers: { "content-type": "application/json; charset=UTF-8" },
  body: "null\n",
});

/**
 * Bytebase's `grpcSkipper`: grpc-web (`/bytebase.v1.`), the SQL editor's websocket (`/v1:adminExecute`), the
 * language server (`/lsp`, 2.14 only; harmless before) and webhooks (`/hook`) are not limited. Everything else is,
 * the grpc-gateway's `/v1/*` included: login, `/v1/actuator/info` and unknown routes alike (echo applies `e.Use`
 * middleware to the not-found handler too).
 */
const SKIPPED = ["/bytebase.v1.", "/v1:adminExecute", "/lsp", "/hook"];

/**
 * echo's `c.RealIP()` without an `IPExtractor` (Bytebase sets none): the first X-Forwarded-For entry, else
 * X-Real-IP, else the peer address (echo@v4.11.4 context.go `RealIP`).
 */
export function realIp(headers: IncomingHttpHeaders, remoteAddress: string): string {
  const xff = headers["x-forwarded-for"];
  const forwarded = Array.isArray(xff) ? xff[0] : xff;
  if (forwarded) {
    const i = forwarded.indexOf(",");
    if (i > 0) return unbracket(forwarded.slice(0, i).trim());
    return forwarded;
  }
  const real = headers["x-real-ip"];
  const realValue = Array.isArray(real) ? real[0] : real;
  if (realValue) return unbracket(realValue);
  return remoteAddress;
}

const unbracket = (ip: string) => ip.replace(/^\[/, "").replace(/\]$/, "");

interface Bucket {
  tokens: number;
  last: number;
  lastSeen: number;
}

/**
 * echo's `RateLimiterMemoryStore`: one `rate.Limiter` per identifier, created full (burst tokens), refilled
 * continuously at `rate` per second up to `burst`; `AllowN(now, 1)` takes a token when one is there and takes
 * nothing when it refuses. Identifiers unseen for ExpiresIn are dropped (so they come back full).
 */
export class RateLimiter {
  private readonly visitors = new Map<string, Bucket>();
  private lastCleanup: number;
  /** Extension: how many requests were answered 429. */
  denied = 0;

  constructor(
    private readonly now: () => number,
    readonly rate = BYTEBASE_RATE,
    readonly burst = BYTEBASE_BURST,
  ) {
    this.lastCleanup = now();
  }

  allow(identifier: string): boolean {
    const now = this.now();
    let bucket = this.visitors.get(identifier);
    if (!bucket) this.visitors.set(identifier, (bucket = { tokens: this.burst, last: now, lastSeen: now }));
    bucket.lastSeen = now;
    if (now - this.lastCleanup > EXPIRES_IN_MS) this.cleanup(now);
    // x/time/rate `advance`: a clock that went back counts from now; tokens never exceed the burst.
    const last = Math.min(bucket.last, now);
    const tokens = Math.min(this.burst, bucket.tokens + ((now - last) / 1000) * this.rate);
    if (tokens < 1) {
      this.denied++;
      return false;
    }
    bucket.tokens = tokens - 1;
    bucket.last = now;
    return true;
  }

  /** The 429 to send for this request, or undefined to let it through to the routes. */
  check(req: Req): Reply | undefined {
    if (SKIPPED.some((prefix) => req.rawPath.startsWith(prefix))) return undefined;
    return this.allow(realIp(req.headers, req.remoteAddress)) ? undefined : rateLimitedReply();
  }

  private cleanup(now: number): void {
    for (const [id, visitor] of this.visitors)
      if (now - visitor.lastSeen > EXPIRES_IN_MS) this.visitors.delete(id);
    this.lastCleanup = now;
  }
}
