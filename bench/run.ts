// Entry of `npm run bench`: runs every benchmark (or those named on the command line; `--quick` for fewer rounds),
// prints the table and writes .cache/bench/results.json.
import { repoRoot } from "./package"; // first: links the package before anything loads it by name
import { checkBenches } from "./check.bench";
import { clientRead } from "./client.bench";
import { ourProvider } from "./host";
import { lifecycle } from "./lifecycle.bench";
import { policyBench } from "./policy.bench";
import { notes, sizeLine, table, writeResults, type Size } from "./report";
import type { Comparison } from "./stats";

const BENCHES: Record<string, (quick: boolean) => Promise<Comparison[]>> = {
  client: clientRead,
  check: checkBenches,
  lifecycle,
  policy: policyBench,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const names = args.filter((a) => !a.startsWith("--"));
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length)
    throw new Error(`unknown benchmark(s) ${unknown.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}`);
  if (!(globalThis as { gc?: unknown }).gc) console.warn("(run node with --expose-gc for steadier figures)");

  const started = Date.now();
  const results: Comparison[] = [];
  for (const name of names.length ? names : Object.keys(BENCHES)) {
    const t = Date.now();
    results.push(...(await BENCHES[name]!(quick)));
    console.error(`  ${name}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const size: Size = { bytes: Buffer.byteLength(await ourProvider()), budget: 2048 };
  const seconds = (Date.now() - started) / 1000;

  console.log(`\n${table(results)}\n\n${sizeLine(size)}`);
  const extra = notes(results);
  if (extra) console.log(`\n${extra}`);
  const file = writeResults(results, size, seconds);
  console.log(`\n${seconds.toFixed(0)} s; figures in ${file.slice(repoRoot.length + 1)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
