// One limit on requests in flight per console per process: Pulumi runs many resource operations at once, and a
// console (or the proxy in front of it) rate-limits bursts. Callers queue in order; a slot is held for one attempt.

export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

const limiters = new Map<string, Limiter>();

/** The process-wide limiter of the console at `baseUrl` (its size fixed by the first caller). */
export function limiterFor(baseUrl: string, size: number): Limiter {
  let limiter = limiters.get(baseUrl);
  if (!limiter) limiters.set(baseUrl, (limiter = new Limiter(size)));
  return limiter;
}
