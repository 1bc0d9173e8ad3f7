// Test helpers: a started console per test file, and JSON calls over real HTTP on loopback.
import {
  startLocalConsole,
  type LocalConsoleOptions,
  type StartedLocalConsole,
} from "../../src/local-console";

export interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function call(
  base: string,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: tests read `text`
  }
  return { status: response.status, headers: response.headers, json, text };
}

export async function login(base: string, email: string, password: string): Promise<string> {
  const answer = await call(base, "POST", "/v1/auth/login", { body: { email, password } });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${answer.text}`);
  return answer.json.token as string;
}

/**
 * A console plus an admin token and a `req` shorthand bound to it. Bytebase's rate limiter is off unless asked for:
 * these tests send more than its burst of 60 and are not about it (rate-limit.test.ts is).
 */
export async function setup(opts: LocalConsoleOptions = {}) {
  const c: StartedLocalConsole = await startLocalConsole({ rateLimit: false, ...opts });
  const token = await login(c.url, c.admin.email, c.admin.key);
  const req = (method: string, path: string, o: CallOptions = {}) =>
    call(c.url, method, path, { token, ...o });
  return { c, token, req };
}

export const provider = (overrides: Record<string, unknown> = {}) => ({
  title: "GitHub.com",
  type: "GITHUB",
  url: "https://github.com",
  applicationId: "Ov23liAbCdEfGhIjKlMn",
  secret: "0123456789abcdef0123456789abcdef01234567",
  ...overrides,
});

/** A fixed, advanceable clock. */
export function fixedClock(start = Date.UTC(2024, 2, 1, 12, 0, 0)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}
