// The output: a table of comparisons (medians, p90s, ratio and its spread across rounds), the `__provider` size
// against its budget, and the same as JSON under .cache/bench/results.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { repoRoot } from "./package";
import type { Comparison } from "./stats";

export interface Size {
  readonly bytes: number;
  readonly budget: number;
}

const time = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);
const x = (ratio: number) => `${ratio.toFixed(2)}x`;

export function table(results: readonly Comparison[]): string {
  const head = ["benchmark", "median", "p90", "floor median", "floor p90", "ratio", "ratio p10-p90", "floor"];
  const rows = results.map((r) => [
    r.name,
    time(r.subject.median),
    time(r.subject.p90),
    time(r.floor.median),
    time(r.floor.p90),
    x(r.ratio),
    `${x(r.ratioSpread[0])}-${x(r.ratioSpread[1])}`,
    r.floorName,
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 || c === 7 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function notes(results: readonly Comparison[]): string {
  return results.flatMap((r) => (r.note ? [`${r.name}: ${r.note}`] : [])).join("\n");
}

export function sizeLine(size: Size): string {
  const verdict = size.bytes <= size.budget ? "within" : "OVER";
  return `__provider per resource: ${size.bytes} bytes (${verdict} the ${size.budget}-byte budget)`;
}

/** Writes the run's figures; returns the file's path. */
export function writeResults(results: readonly Comparison[], size: Size, seconds: number): string {
  const file = join(repoRoot, ".cache", "bench", "results.json");
  mkdirSync(dirname(file), { recursive: true });
  const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, loadavg: loadavg() };
  const body = {
    date: new Date().toISOString(),
    seconds,
    machine,
    unit: "ms per op",
    results,
    providerSize: size,
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
