// Which test files belong to which tier (docs/development.md "Test tiers"). `npm test` runs every file but the real
// tiers; `npm run test:real` runs the real tiers (the real Pulumi CLI on PATH; real Bytebase servers where built);
// `npm run test:quick` is the inner loop.
export const REAL_TIERS = [
  "test/program/real-cli*.test.ts", // the examples and README lines on the real CLI and on the stand-in
  "test/ci/pulumi-steps.test.ts", // the CI templates' pulumi steps on both
  "test/real-bytebase/**/*.test.ts", // real Bytebase servers
];

export const QUICK = [
  "test/policy/**/*.test.ts",
  "test/local-console/**/*.test.ts",
  "test/reliability/client-answers.test.ts",
  "test/reliability/fuzz.test.ts",
  "test/reliability/pace.test.ts",
  "test/provider/check.test.ts",
  "test/docs/**/*.test.ts",
  "test/setup/**/*.test.ts",
];
