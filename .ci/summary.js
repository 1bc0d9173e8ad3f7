// Prints the plain "N passed, N failed" line CI reads, from vitest's JSON reports (one per tier run: `npm test`,
// `npm run test:real`), each given with the exit status of its run; exits non-zero on any failure.
//   node .ci/summary.js REPORT STATUS [REPORT STATUS ...]
const fs = require("node:fs");
const args = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (let i = 0; i < args.length; i += 2) {
  const [file, status] = [args[i], Number(args[i + 1])];
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    report = undefined; // no report: the checks before vitest (tsc, eslint, prettier) failed, or vitest crashed
  }
  passed += report?.numPassedTests ?? 0;
  const fileFailed = report?.numFailedTests ?? 1;
  failed += status !== 0 && fileFailed === 0 ? 1 : fileFailed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
