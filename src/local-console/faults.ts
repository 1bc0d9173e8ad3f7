// Fault injection: per-route error statuses (with Retry-After), Bytebase's timeout, latency and dropped connections, counted.
import type { GitProviderType } from "../catalog";

/** Where a fault applies: the console, or one of the fake Git providers. */
export type FaultTarget = "console" | GitProviderType;

export interface Fault {
  target?: FaultTarget;
  method?: string;
  /** A string matches the request path (without query) exactly, raw or percent-decoded; a RegExp is tested on it. */
  path: string | RegExp;
  /** Answer with this status (and the console's or provider's error body, unless `body` is set). */
  status?: number;
  /**
   * Answer with this raw text as the body, `content-type: application/json` whatever it holds (invalid JSON,
   * an empty string, a huge string), with `status` or 200, instead of the real answer; the request is not
   * processed. Lets tests feed a client malformed answers.
   */
  body?: string;
  /** The content-type of an injected `body` (default application/json), e.g. a proxy's HTML page. */
  contentType?: string;
  retryAfter?: number;
  latencyMs?: number;
  /**
   * Answer as Bytebase's 30 s timeout does (without waiting 30 s): 503 with http.TimeoutHandler's HTML body, and the
   * request is still processed after the 503 is sent (a create still creates). Console only.
   */
  timeout?: boolean;
  drop?: "before" | "after";
  /** How many matching requests the fault applies to; absent = until removed. */
  times?: number;
}

/**
 * The body of Bytebase's timeout answer (503, text/html): echo's TimeoutWithConfig with no ErrorMessage
 * (backend/server/routers.go@2.14.0) passes "" to Go's http.TimeoutHandler, which then writes this default page.
 */
export const ECHO_TIMEOUT_BODY =
  "<html><head><title>Timeout</title></head><body><h1>Timeout</h1></body></html>";

interface Entry {
  readonly fault: Fault;
  remaining: number | undefined;
}

export class FaultRegistry {
  private entries: Entry[] = [];

  inject(fault: Fault): () => void {
    if (fault.times !== undefined && fault.times <= 0) return () => undefined;
    const entry: Entry = { fault, remaining: fault.times };
    this.entries.push(entry);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  clear(): void {
    this.entries = [];
  }

  /** The first fault matching the request, counted as used (and removed when its `times` run out). */
  take(target: FaultTarget, method: string, rawPath: string, decodedPath: string): Fault | undefined {
    const entry = this.entries.find((e) => matches(e.fault, target, method, rawPath, decodedPath));
    if (!entry) return undefined;
    if (entry.remaining !== undefined && --entry.remaining <= 0)
      this.entries = this.entries.filter((e) => e !== entry);
    return entry.fault;
  }
}

function matches(
  fault: Fault,
  target: FaultTarget,
  method: string,
  rawPath: string,
  decodedPath: string,
): boolean {
  if ((fault.target ?? "console") !== target) return false;
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  if (typeof fault.path === "string") return fault.path === rawPath || fault.path === decodedPath;
  const re = fault.path;
  const test = (s: string) => {
    re.lastIndex = 0;
    return re.test(s);
  };
  return test(rawPath) || test(decodedPath);
}
