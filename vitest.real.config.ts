// Test runner settings for `npm run test:real`: the real Pulumi CLI tier and the real Bytebase tier
// (vitest.tiers.ts). Two files at a time: each real `pulumi` run starts the CLI, the language host, the program and
// the provider host.
import { defineConfig } from "vitest/config";
import { REAL_TIERS } from "./vitest.tiers";

export default defineConfig({
  test: {
    include: REAL_TIERS,
    environment: "node",
    globalSetup: ["test/setup/link-package.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: ".cache/vitest-real.json" },
  },
});
