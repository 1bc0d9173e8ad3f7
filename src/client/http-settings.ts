// The console client's reliability settings: timeouts, retries and requests in flight, with their defaults and
// the environment variables that change them (BYTEBASE_GITOPS_*), validated with a message naming the variable.

export interface HttpOptions {
  /** Longest wait for one answer (headers and body), per attempt. */
  readonly timeoutMs: number;
  /** Attempts per request, the first included (1 = never retry). */
  readonly maxAttempts: number;
  /** Longest time one request may take across all its attempts and waits; no retry starts past it. */
  readonly retryBudgetMs: number;
  /** First backoff; each retry doubles it, up to maxDelayMs, with equal jitter (half fixed, half random). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Requests in flight to one console from this process (Pulumi runs resource operations in parallel). */
  readonly maxInFlight: number;
}

const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  timeoutMs: 30_000,
  maxAttempts: 5,
  retryBudgetMs: 60_000,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxInFlight: 8,
};

/** Each setting's environment variable. */
export const SETTING_ENV: Record<keyof HttpOptions, string> = {
  timeoutMs: "BYTEBASE_GITOPS_TIMEOUT_MS",
  maxAttempts: "BYTEBASE_GITOPS_MAX_ATTEMPTS",
  retryBudgetMs: "BYTEBASE_GITOPS_RETRY_BUDGET_MS",
  baseDelayMs: "BYTEBASE_GITOPS_RETRY_DELAY_MS",
  maxDelayMs: "BYTEBASE_GITOPS_RETRY_MAX_DELAY_MS",
  maxInFlight: "BYTEBASE_GITOPS_MAX_IN_FLIGHT",
};

/** The defaults, overridden by whatever BYTEBASE_GITOPS_* variables are set; throws on a malformed one. */
export function httpOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpOptions {
  const options: Record<string, number> = { ...DEFAULT_HTTP_OPTIONS };
  for (const [key, name] of Object.entries(SETTING_ENV)) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    const min = key === "baseDelayMs" || key === "maxDelayMs" ? 0 : 1;
    if (!Number.isInteger(value) || value < min)
      throw new Error(
        `${name}="${raw}" is not valid: set a whole number of at least ${min}, or unset it for the default ${
          DEFAULT_HTTP_OPTIONS[key as keyof HttpOptions]
        }`,
      );
    options[key] = value;
  }
  return options as unknown as HttpOptions;
}
