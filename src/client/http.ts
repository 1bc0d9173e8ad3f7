// One JSON request to the console over undici: a timeout per attempt, the process-wide gate per console (requests in
// flight, and the pace learned from 429s: limiter.ts), and retries with exponential backoff and jitter for what is
// safe to send again (see http-settings.ts). A 429 is retried at the learned pace for as long as the retry budget lasts.
import type { Dispatcher } from "undici";
import {
  redact,
  ConsoleAnswerError,
  ConsoleError,
  ConsoleUnreachableError,
  networkFailure,
  type NetworkFailure,
} from "./errors";
import { limiterFor } from "./limiter";
import { SETTING_ENV, type HttpOptions } from "./http-settings";

export interface JsonRequest {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  readonly path: string;
  readonly body?: unknown;
  readonly token?: string;
  /** What the caller is doing, in words, for error messages: `Creating Git provider "GitHub.com"`. */
  readonly operation: string;
  /**
   * Whether a request that may have reached the console can be sent again: true for reads, updates, deletes and
   * logins; false for a create, which the console does not deduplicate (it is resent only when it surely was not
   * processed: connection refused, or an answer 429).
   */
  readonly idempotent: boolean;
  /** Values never to quote from an answer (the service key, the token, an OAuth secret sent in the body). */
  readonly secrets?: readonly string[];
  /** The Bytebase releases whose API this is, e.g. "2.15 to 3.4", for a 2xx answer that does not fit. */
  readonly versions?: string;
}

/** Checks a 2xx answer's parsed body and returns it typed; throws a message (no values) when it does not fit. */
export type AnswerParser<T> = (body: unknown) => T;

// undici loads on first use: `check` and `diff` (every preview) never need it.
let http: Promise<{ request: typeof import("undici").request; agent: Dispatcher }> | undefined;
/** undici's `request` and the keep-alive agent for console and Git provider requests, loaded once. */
export function undici() {
  http ??= import("undici").then(({ Agent, request }) => ({
    request,
    agent: new Agent({ keepAliveTimeout: 10_000, connections: 16 }),
  }));
  return http;
}

/** Answers that mean "not now, try later". 502/504 come from a proxy whose upstream may have processed the call. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/**
 * Answers that mean the call was not processed: a create may be resent after them. Only 429: Bytebase's rate
 * limiter answers it before any handler runs (echo RateLimiterWithConfig in backend/server/routers.go@2.14.0,
 * backend/server/server.go@2.5.0). A 503 is not one: echo's TimeoutWithConfig{Timeout: 30s} (same files) wraps Go's
 * http.TimeoutHandler, which answers 503 with an HTML page while the handler goes on and may still commit; a
 * create answered 503 is looked for before it is sent again (runtime/gitops-provider/create.ts).
 */
const NOT_PROCESSED_STATUS = new Set([429]);

type Attempt =
  | { kind: "answer"; status: number; text: string; retryAfter?: number }
  | { kind: "network"; failure: NetworkFailure; detail: string };

/** Sends a request, retrying as the settings allow; resolves to the parsed 2xx answer, else throws a console error. */
export async function sendJson<T>(
  baseUrl: string,
  req: JsonRequest,
  options: HttpOptions,
  parse: AnswerParser<T> = (body) => body as T,
): Promise<T> {
  const limiter = limiterFor(baseUrl, options.maxInFlight);
  const started = Date.now();
  let limited = 0;
  for (let attempt = 1; ; attempt++) {
    const result = await limiter.run(() => sendOnce(baseUrl, req, options));
    // The pace learns from Bytebase's 429s, which name no time; a Retry-After is obeyed for its request instead.
    if (result.kind === "answer" && !(result.status === 429 && result.retryAfter !== undefined))
      limiter.pace.answered(result.status === 429);
    if (result.kind === "answer" && result.status >= 200 && result.status < 300)
      return parseAnswer(req, result.text, parse);
    const retry = retryable(req, result);
    const wait = retry ? (result.kind === "answer" ? result.retryAfter : undefined) : undefined;
    // Bytebase's 429 (`null`, no Retry-After) comes from its limiter before any handler: not processed, so any
    // request is sent again, as soon as the pace allows, and it does not count as one of maxAttempts.
    const rateLimited = retry && result.kind === "answer" && result.status === 429;
    if (rateLimited) limited++;
    const delay = wait ?? (rateLimited ? 0 : backoffMs(attempt - limited, options));
    const elapsed = Date.now() - started;
    const gaveUp = retry
      ? giveUpReason(attempt, elapsed, delay, wait !== undefined, options, limited)
      : undefined;
    if (retry && !gaveUp) {
      await sleep(delay);
      continue;
    }
    throw failure(baseUrl, req, result, gaveUp);
  }
}

async function sendOnce(baseUrl: string, req: JsonRequest, options: HttpOptions): Promise<Attempt> {
  const { request, agent } = await undici();
  const attempt = (async (): Promise<Attempt> => {
    try {
      const answer = await request(new URL(req.path, `${baseUrl}/`), {
        method: req.method,
        dispatcher: agent,
        headers: {
          accept: "application/json",
          ...(req.body !== undefined ? { "content-type": "application/json" } : {}),
          ...(req.token ? { authorization: `Bearer ${req.token}` } : {}),
        },
        body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      const text = await answer.body.text();
      return { kind: "answer", status: answer.statusCode, text, retryAfter: retryAfterMs(answer.headers) };
    } catch (error) {
      return { kind: "network", ...networkFailure(error) };
    }
  })();
  // undici's own timeouts end the request, but are only precise to about a second; this timer answers on time
  // (an abort signal would too, at a cost per request measured in `npm run bench`).
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Attempt>((resolve) => {
    timer = setTimeout(
      () => resolve({ kind: "network", failure: "timeout", detail: `${options.timeoutMs}ms` }),
      options.timeoutMs,
    );
  });
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function retryable(req: JsonRequest, result: Attempt): boolean {
  if (result.kind === "network")
    return result.failure === "refused" || (req.idempotent && result.failure !== "unresolvable");
  return (req.idempotent ? RETRYABLE_STATUS : NOT_PROCESSED_STATUS).has(result.status);
}

/** Why no further attempt is made, or undefined to retry. `limited`: attempts answered 429, not counted. */
export function giveUpReason(
  attempt: number,
  elapsedMs: number,
  delayMs: number,
  askedByConsole: boolean,
  options: HttpOptions,
  limited = 0,
): string | undefined {
  const of429 = limited > 1 ? ` (${limited} answered 429)` : "";
  const spent = `gave up after ${attempt} attempt${attempt > 1 ? "s" : ""}${of429} in ${(elapsedMs / 1000).toFixed(1)} s`;
  if (attempt - limited >= options.maxAttempts)
    return `${spent} (${SETTING_ENV.maxAttempts}=${options.maxAttempts})`;
  if (elapsedMs + delayMs > options.retryBudgetMs) {
    const asked = askedByConsole ? `; the console asked to wait ${Math.ceil(delayMs / 1000)} s` : "";
    return `${spent}${asked} (${SETTING_ENV.retryBudgetMs}=${options.retryBudgetMs})`;
  }
  return undefined;
}

function failure(baseUrl: string, req: JsonRequest, result: Attempt, gaveUp?: string): Error {
  if (result.kind === "network")
    return new ConsoleUnreachableError(req.operation, baseUrl, result.failure, result.detail, gaveUp);
  const { code, message } = parseErrorBody(result.text);
  const quoted = redact(message || `HTTP ${result.status}`, req.secrets ?? []);
  const sent = `${req.method} ${new URL(req.path, `${baseUrl}/`).pathname}`;
  return new ConsoleError(req.operation, result.status, code, quoted, gaveUp, sent);
}

function parseAnswer<T>(req: JsonRequest, text: string, parse: AnswerParser<T>): T {
  let body: unknown;
  try {
    body = text.trim() ? JSON.parse(text) : {};
  } catch {
    throw new ConsoleAnswerError(req.operation, `it is not JSON (${text.length} bytes)`, req.versions);
  }
  try {
    return parse(body);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ConsoleAnswerError(req.operation, detail, req.versions);
  }
}

function parseErrorBody(text: string): { code?: number; message?: string } {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown } | null;
    return {
      code: typeof body?.code === "number" ? body.code : undefined,
      message: typeof body?.message === "string" ? body.message.slice(0, 500) : undefined,
    };
  } catch {
    return { message: text.slice(0, 300).trim() || undefined };
  }
}

function retryAfterMs(headers: Record<string, string | string[] | undefined>): number | undefined {
  const header = headers["retry-after"];
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Exponential backoff with "equal jitter": half the step is fixed, half random, so retries spread out. */
export function backoffMs(attempt: number, options: Pick<HttpOptions, "baseDelayMs" | "maxDelayMs">): number {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return step / 2 + Math.random() * (step / 2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
