// The measuring core: a subject and its floor run interleaved in rounds (sharing the machine's noise), each sample
// timed with hrtime; median, p90 and the ratio of medians, with the spread of the per-round ratios.

export type Op = () => unknown;

export interface Summary {
  /** Milliseconds per operation. */
  readonly median: number;
  readonly p90: number;
  readonly samples: number;
}

export interface Comparison {
  readonly name: string;
  readonly subject: Summary;
  readonly floor: Summary;
  readonly floorName: string;
  /** subject median / floor median. */
  readonly ratio: number;
  /** p10 and p90 of the per-round ratios: how much the ratio moved during the run. */
  readonly ratioSpread: readonly [number, number];
  readonly note?: string;
}

export interface Plan {
  /** Untimed runs of each side first (JIT, connection pools, caches). */
  readonly warmup: number;
  readonly rounds: number;
  /** Samples per side per round. */
  readonly perRound: number;
  /** Calls per sample, for operations too short to time one by one (the sample is the mean per call). */
  readonly batch?: number;
  /** The ops time themselves: each returns its own milliseconds (for work around a setup that is not measured). */
  readonly selfTimed?: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const summarize = (samples: number[]): Summary => ({
  median: quantile(samples, 0.5),
  p90: quantile(samples, 0.9),
  samples: samples.length,
});

async function sample(op: Op, batch: number, selfTimed: boolean): Promise<number> {
  if (selfTimed) return Number(await op());
  const start = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) await op();
  return Number(process.hrtime.bigint() - start) / 1e6 / batch;
}

/** Runs `subject` and `floor` in alternating order (ABBA across rounds), `perRound` samples each per round. */
export async function compare(
  name: string,
  sides: { subject: Op; floor: Op; floorName: string; note?: string },
  plan: Plan,
): Promise<Comparison> {
  const batch = plan.batch ?? 1;
  for (let i = 0; i < plan.warmup; i++) {
    await sides.floor();
    await sides.subject();
  }
  const all = { subject: [] as number[], floor: [] as number[] };
  const roundRatios: number[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    gc();
    const order = round % 2 === 0 ? (["floor", "subject"] as const) : (["subject", "floor"] as const);
    const mine = { subject: [] as number[], floor: [] as number[] };
    for (const side of order)
      for (let i = 0; i < plan.perRound; i++)
        mine[side].push(await sample(sides[side], batch, plan.selfTimed ?? false));
    all.subject.push(...mine.subject);
    all.floor.push(...mine.floor);
    roundRatios.push(quantile(mine.subject, 0.5) / quantile(mine.floor, 0.5));
  }
  const subject = summarize(all.subject);
  const floor = summarize(all.floor);
  return {
    name,
    subject,
    floor,
    floorName: sides.floorName,
    ratio: subject.median / floor.median,
    ratioSpread: [quantile(roundRatios, 0.1), quantile(roundRatios, 0.9)],
    ...(sides.note ? { note: sides.note } : {}),
  };
}
