// The output: one row per benchmark (ours beside its floor or reference, the ratio, the goal and whether it was
// met) printed as a table and written, with the machine's description, to .cache/bench/results.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { repoRoot } from "./package";
import type { Comparison } from "./stats";

export interface Figure {
  readonly median: number;
  readonly p90?: number;
  readonly samples?: number;
}

export interface Goal {
  /** The goal in words, e.g. `<= 102 requests`. */
  readonly text: string;
  readonly met: boolean;
  /** Missing it fails the run (request counts only: they do not depend on the machine). */
  readonly gate?: boolean;
}

export interface Row {
  readonly id: string;
  readonly name: string;
  /** What the figures count: bytes, console requests, milliseconds per item, or seconds for a whole batch (B5). */
  readonly unit: "bytes" | "requests" | "ms" | "s";
  readonly subject: Figure;
  readonly floor: Figure;
  readonly floorName: string;
  /** subject / floor (medians). */
  readonly ratio: number;
  /** p10 and p90 of the per-round ratios (timed rows). */
  readonly ratioSpread?: readonly [number, number];
  readonly goal?: Goal;
  readonly note?: string;
}

/** A timed comparison as a row (its figures already per item: the ops divide by what they process). */
export function timedRow(id: string, c: Comparison, goal?: Goal): Row {
  return { id, unit: "ms", ...c, ...(goal ? { goal } : {}) };
}

const x = (ratio: number) => (Number.isNaN(ratio) ? "skipped" : `${ratio.toFixed(2)}x`);

function show(unit: Row["unit"], value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "-";
  if (unit === "bytes") return `${value} B`;
  if (unit === "requests") return String(value);
  if (unit === "s") return `${value.toFixed(2)} s`;
  return value >= 1 ? `${value.toFixed(2)} ms` : `${(value * 1000).toFixed(1)} µs`;
}

export function table(rows: readonly Row[]): string {
  const head = [
    "",
    "benchmark",
    "ours",
    "p90",
    "floor",
    "floor p90",
    "ratio",
    "ratio p10-p90",
    "goal",
    "met",
  ];
  const cells = rows.map((r) => [
    r.id,
    r.name,
    show(r.unit, r.subject.median),
    show(r.unit, r.subject.p90),
    show(r.unit, r.floor.median),
    show(r.unit, r.floor.p90),
    x(r.ratio),
    r.ratioSpread ? `${x(r.ratioSpread[0])}-${x(r.ratioSpread[1])}` : "-",
    r.goal?.text ?? "-",
    r.goal ? (r.goal.met ? "yes" : "NO") : "-",
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const left = new Set([0, 1, 8]);
  const line = (row: string[]) =>
    row.map((cell, c) => (left.has(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

/** What each row's floor is, and its notes. */
export function legend(rows: readonly Row[]): string {
  return rows
    .map((r) => `${r.id} ${r.name}: floor = ${r.floorName}${r.note ? `; ${r.note}` : ""}`)
    .join("\n");
}

/** Writes the run's figures; returns the file's path. */
export function writeResults(rows: readonly Row[], seconds: number): string {
  const file = join(repoRoot, ".cache", "bench", "results.json");
  mkdirSync(dirname(file), { recursive: true });
  const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, loadavg: loadavg() };
  const body = { date: new Date().toISOString(), seconds, machine, results: rows };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

/** A console request as `METHOD path`, numeric ids folded to `{id}`. */
export const callOf = (r: { method: string; path: string }) =>
  `${r.method} ${r.path.replace(/\/\d+$/, "/{id}")}`;

/** `n x <request>` per distinct request, most frequent first; with `per`, counts are divided by it. */
export function tally(requests: readonly string[], per = 1): string {
  const counts = new Map<string, number>();
  for (const r of requests) counts.set(r, (counts.get(r) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  return sorted.map(([r, n]) => `${n / per} x ${r}`).join(", ") || "none";
}
