// Entry of `npm run bench`: runs B1-B6 (or those named on the command line; `--quick` for fewer rounds), prints
// the table and writes .cache/bench/results.json; exits non-zero only when a request-count goal is missed.
import { repoRoot } from "./package"; // first: links the package before anything loads it by name
import { cliBench } from "./cli.bench";
import { policyBench } from "./policy.bench";
import { rateLimitBench } from "./ratelimit.bench";
import { legend, table, writeResults, type Row } from "./report";
import { requestsBench } from "./requests.bench";
import { runtimeBench } from "./runtime.bench";
import { sizeBench } from "./size.bench";

const BENCHES: Record<string, (quick: boolean) => Promise<Row[]>> = {
  size: sizeBench,
  requests: requestsBench,
  runtime: runtimeBench,
  policy: policyBench,
  ratelimit: rateLimitBench,
  cli: cliBench,
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
  const rows: Row[] = [];
  for (const name of names.length ? names : Object.keys(BENCHES)) {
    const t = Date.now();
    rows.push(...(await BENCHES[name]!(quick)));
    console.error(`  ${name}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const seconds = (Date.now() - started) / 1000;

  console.log(`\n${table(rows)}\n\n${legend(rows)}`);
  const file = writeResults(rows, seconds);
  console.log(`\n${seconds.toFixed(0)} s; figures in ${file.slice(repoRoot.length + 1)}`);
  const missed = rows.filter((r) => r.goal?.gate && !r.goal.met);
  if (missed.length) {
    console.error(`\nrequest-count goal missed: ${missed.map((r) => r.id).join(", ")}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
