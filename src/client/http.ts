// One JSON request to the console over undici, with a timeout and bounded retries for answers that say "later".
import type { Dispatcher } from "undici";
import { ConsoleError, ConsoleUnreachableError, describeNetworkError } from "./errors";

export interface JsonRequest {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  readonly path: string;
  readonly body?: unknown;
  readonly token?: string;
  /** What the caller is doing, in words, for error messages: `Creating Git provider "GitHub.com"`. */
  readonly operation: string;
  /**
   * Whether a request that may have reached the console can be sent again: true for reads, updates and deletes;
   * false for a create, which the console does not deduplicate.
   */
  readonly idempotent: boolean;
}

export interface HttpOptions {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** Longest wait honoured from a Retry-After header. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  timeoutMs: 30_000,
  maxRetries: 3,
  maxRetryAfterMs: 10_000,
};

// undici loads on first use: `check` and `diff` (every preview) never need it.
let http: Promise<{ request: typeof import("undici").request; agent: Dispatcher }> | undefined;
function undici() {
  http ??= import("undici").then(({ Agent, request }) => ({
    request,
    agent: new Agent({ keepAliveTimeout: 10_000, connections: 8 }),
  }));
  return http;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** Sends one request; resolves to the parsed JSON body of a 2xx answer, else throws a ConsoleError. */
export async function sendJson<T>(baseUrl: string, req: JsonRequest, options: HttpOptions): Promise<T> {
  const { request, agent } = await undici();
  for (let attempt = 0; ; attempt++) {
    let answer: Dispatcher.ResponseData;
    try {
      answer = await request(new URL(req.path, `${baseUrl}/`), {
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
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      if (req.idempotent && attempt < options.maxRetries) {
        await sleep(backoffMs(attempt));
        continue;
      }
      throw new ConsoleUnreachableError(req.operation, baseUrl, describeNetworkError(error));
    }
    const text = await answer.body.text().catch(() => "");
    if (answer.statusCode >= 200 && answer.statusCode < 300) return (text ? JSON.parse(text) : {}) as T;
    if (RETRYABLE_STATUS.has(answer.statusCode) && attempt < options.maxRetries) {
      const wait = retryAfterMs(answer.headers["retry-after"]) ?? backoffMs(attempt);
      if (wait <= options.maxRetryAfterMs) {
        await sleep(wait);
        continue;
      }
    }
    const { code, message } = parseErrorBody(text);
    throw new ConsoleError(req.operation, answer.statusCode, code, message || `HTTP ${answer.statusCode}`);
  }
}

function parseErrorBody(text: string): { code?: number; message?: string } {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    return {
      code: typeof body.code === "number" ? body.code : undefined,
      message: typeof body.message === "string" ? body.message : undefined,
    };
  } catch {
    return { message: text.slice(0, 300).trim() || undefined };
  }
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const backoffMs = (attempt: number) => 200 * 2 ** attempt;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
