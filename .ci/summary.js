// Prints the plain "N passed, N failed" line CI reads, from vitest's JSON report; exits non-zero on any failure.
const fs = require("node:fs");
const [file, statusText] = process.argv.slice(2);
const status = Number(statusText);
let passed;
let failed;
try {
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
} catch {
  passed = 0;
  failed = 1; // no report: the checks before vitest (tsc, eslint, prettier) failed, or vitest crashed
}
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || status !== 0 ? 1 : 0);
