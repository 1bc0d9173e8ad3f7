// Test runner settings for `npm test` and `npm run test:quick` (vitest.tiers.ts says which files each runs): node
// environment, generous timeouts for tests that start child processes.
import { defineConfig } from "vitest/config";
import { QUICK, REAL_TIERS } from "./vitest.tiers";

const quick = process.env.TEST_TIER === "quick";

export default defineConfig({
  test: {
    include: quick ? QUICK : ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...REAL_TIERS],
    environment: "node",
    globalSetup: ["test/setup/link-package.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most tests wait on child processes and loopback HTTP, not on the CPU: three files at a time keep two cores
    // busy (vitest's default on two cores is one).
    maxWorkers: 3,
    env: {
      // The programs these tests run through the test engine are type-checked by `tsc --noEmit` before vitest
      // (tsconfig.json includes examples/ and test/); ts-node need not check them again on every run
      // (@pulumi/pulumi cmd/run: PULUMI_NODEJS_TRANSPILE_ONLY). The real-CLI tier leaves checking on.
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    },
    reporters: ["default", "json"],
    outputFile: { json: quick ? ".cache/vitest-quick.json" : ".cache/vitest.json" },
  },
});
