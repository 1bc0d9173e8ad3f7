// The gate every console request of the process passes, one per console: a limit on requests in flight, and a pace
// learned from the console's 429s. Bytebase 2.x limits each client IP to 30 requests/s with a burst of 60
// (backend/server/routers.go@2.14.0, server.go@2.5.0) and every process behind that IP shares it (several stacks on
// one CI runner; Pulumi runs 4 x CPUs operations at once), so the pace is measured, not assumed.

/** Pace below the learned rate by this factor, so that timer jitter still finds a token in the console's bucket. */
const MARGIN = 0.95;
/** A rate measured over less than this, or from fewer accepted answers, is too coarse to use. */
const MIN_SPAN_MS = 250;
const MIN_SAMPLE = 3;
/** 429s older than this no longer measure the rate (the console's bucket may have refilled since). */
const WINDOW_MS = 3_000;
/** After this long without a 429 the pace grows, to find capacity another client freed... */
const QUIET_MS = 1_000;
/** ...by this fraction per second. */
const GROWTH_PER_S = 0.25;
/** The first guess never starts below this, nor a measurement below MIN_RATE (requests per second). */
const MIN_GUESS = 10;
const MIN_RATE = 1;
/** Turns a late timer (a busy event loop) may catch up on at once: the console's bucket refilled meanwhile. */
const CATCH_UP = 3;
/** Above this the pace is dropped: the console is not limiting us. */
const UNLIMITED = 10_000;

/**
 * An adaptive token bucket of burst 1. Unlimited until the console first answers 429. A 429 means the console's bucket
 * is empty at that moment, so between two 429s the requests it accepted are exactly what it refilled: their count
 * over the time between (oldest 429 in the last WINDOW_MS, at least MIN_SPAN_MS back) is the rate it grants us. The
 * first 429 of an episode has no earlier one: the rate is guessed from the answers of the last second (what just
 * emptied the bucket), then measured at the next 429. Quiet for QUIET_MS, the pace grows, and the next 429 measures
 * it again.
 */
export class Pace {
  /** Requests per second; Infinity = not pacing. */
  private rate = Infinity;
  private nextAt = 0;
  private accepted = 0;
  /** Times of the accepted answers from `head` on: those of the last second (for the first guess). */
  private recent: number[] = [];
  private head = 0;
  /** The recent 429s: when, and how many answers had been accepted by then. */
  private marks: Array<{ at: number; accepted: number }> = [];
  private lastLimited = -Infinity;
  private grownAt = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The current pace in requests per second (Infinity = none); for tests and the benchmark. */
  get perSecond(): number {
    return this.rate;
  }

  /** Resolves when a request may be sent. */
  async turn(): Promise<void> {
    const now = this.now();
    this.grow(now);
    if (this.rate === Infinity) return;
    const interval = 1000 / (this.rate * MARGIN);
    const at = Math.max(now, this.nextAt);
    // One interval per turn, on a schedule that may fall up to CATCH_UP turns behind the clock (then caught up).
    this.nextAt = Math.max(this.nextAt, now - (CATCH_UP - 1) * interval) + interval;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }

  /** Learns from an answer: `limited` when it was a 429. */
  answered(limited: boolean): void {
    const now = this.now();
    if (!limited) {
      this.accepted++;
      this.recent.push(now);
      this.forget(now);
      return;
    }
    this.marks = this.marks.filter((m) => now - m.at <= WINDOW_MS);
    const from = this.marks.find(
      (m) => now - m.at >= MIN_SPAN_MS && this.accepted - m.accepted >= MIN_SAMPLE,
    );
    if (from) this.rate = Math.max(MIN_RATE, ((this.accepted - from.accepted) * 1000) / (now - from.at));
    else if (!this.marks.length) this.rate = Math.max(MIN_GUESS, this.forget(now));
    this.marks.push({ at: now, accepted: this.accepted });
    this.lastLimited = this.grownAt = now;
    // The console's bucket is empty now: the next request waits for one token.
    this.nextAt = Math.max(this.nextAt, now + 1000 / (this.rate * MARGIN));
  }

  /** Drops the accepted answers older than a second; returns how many are left. */
  private forget(now: number): number {
    while (this.head < this.recent.length && this.recent[this.head]! < now - 1000) this.head++;
    if (this.head > 1024 && this.head * 2 > this.recent.length) {
      this.recent = this.recent.slice(this.head);
      this.head = 0;
    }
    return this.recent.length - this.head;
  }

  private grow(now: number): void {
    if (this.rate === Infinity || now - this.lastLimited < QUIET_MS) return;
    const from = Math.max(this.grownAt, this.lastLimited + QUIET_MS);
    this.rate *= (1 + GROWTH_PER_S) ** ((now - from) / 1000);
    this.grownAt = now;
    if (this.rate > UNLIMITED) this.rate = Infinity;
  }
}

export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  readonly pace: Pace;

  constructor(
    readonly size: number,
    now?: () => number,
  ) {
    this.pace = new Pace(now);
  }

  /** Runs one attempt when a slot is free and the pace allows; callers queue in order. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      await this.pace.turn();
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
