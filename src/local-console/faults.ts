// Fault injection: per-route error statuses (with Retry-After), Bytebase's timeout, latency and dropped connections, counted.
import type { Fault, FaultTarget } from "./types";

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
