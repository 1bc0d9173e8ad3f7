// Policy pack config as the CLI reconciles it (ReconcilePolicyPackConfig: schema defaults, the pack's initial config,
// the --policy-pack-config file, `all`), validates it (JSON schema, "validating policy config") and always sends it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LocalStack, startPolicyPack } from ".";
import { locateRunPolicyPack } from "./analyzer";

const cacheDir = join(resolve(__dirname, "../.."), ".cache", "harness-tests");

const PACK = `
const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("cfg-pack", {
  policies: [
    {
      name: "count-limit", description: "count at most maxCount", enforcementLevel: "mandatory",
      configSchema: { properties: { maxCount: { type: "integer", minimum: 1, default: 10 } } },
      validateResource: (args, report) => {
        const { maxCount } = args.getConfig();
        if (args.props.count > maxCount) report("count " + args.props.count + " over " + maxCount);
      },
    },
    {
      name: "min-count", description: "count at least minCount", enforcementLevel: "advisory",
      configSchema: { properties: { minCount: { type: "integer", default: 3 } }, required: ["minCount"] },
      validateResource: (args, report) => {
        const { minCount } = args.getConfig();
        if (args.props.count < minCount) report("count " + args.props.count + " under " + minCount);
      },
    },
  ],
}, { "count-limit": { maxCount: 5 } });
`;

describe("policy pack config as the CLI reconciles and validates it", { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(() => {
    mkdirSync(cacheDir, { recursive: true });
    dir = mkdtempSync(join(cacheDir, "policy-config-"));
    writeFileSync(join(dir, "index.js"), PACK);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "cfg-pack", version: "0.0.1" }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const messages = async (config: Record<string, unknown> | undefined, count: number) => {
    const pack = await startPolicyPack({ dir, config });
    try {
      const ds = await pack.analyze({
        urn: "urn:pulumi:dev::p::t:R::r",
        type: "t:R",
        name: "r",
        properties: { count },
      });
      return ds.map((d) => `${d.policyName} ${d.enforcementLevel}: ${d.message}`).sort();
    } finally {
      pack.close();
    }
  };

  test("without a file: the pack's initial config over the schema defaults, sent with Configure", async () => {
    // The initial config names no level: proto3's 0 is ADVISORY, which the CLI takes as a level
    // (sdk/go/common/resource/plugin/analyzer_plugin.go convertPolicyConfig), so the mandatory policy turns advisory.
    expect(await messages(undefined, 6)).toEqual([
      expect.stringMatching(/^count-limit advisory: [\s\S]*count 6 over 5/),
    ]);
    expect(await messages(undefined, 2)).toEqual([
      expect.stringMatching(/^min-count advisory: [\s\S]*count 2 under 3/),
    ]);
  });

  test("the file's settings and levels win, `all` sets every level", async () => {
    expect(await messages({ "count-limit": { maxCount: 8 } }, 6)).toEqual([]);
    expect(await messages({ "min-count": { enforcementLevel: "mandatory", minCount: 4 } }, 3)).toEqual([
      expect.stringMatching(/^min-count mandatory: [\s\S]*count 3 under 4/),
    ]);
    expect(await messages({ all: "mandatory", "min-count": { minCount: 4 } }, 3)).toEqual([
      expect.stringMatching(/^min-count mandatory: [\s\S]*count 3 under 4/),
    ]);
    expect(await messages({ all: "disabled" }, 100)).toEqual([]);
  });

  test("an invalid setting fails naming the pack, the policy and the setting", async () => {
    await expect(startPolicyPack({ dir, config: { "count-limit": { maxCount: "five" } } })).rejects.toThrow(
      "validating policy config: cfg-pack 0.0.1  count-limit: maxCount: Invalid type. Expected: integer, given: string",
    );
    await expect(startPolicyPack({ dir, config: { "count-limit": { maxCount: 0 } } })).rejects.toThrow(
      "count-limit: maxCount: Must be greater than or equal to 1",
    );
    await expect(startPolicyPack({ dir, config: { "count-limit": "sometimes" } })).rejects.toThrow(
      `parsing enforcement level for "count-limit": "sometimes" is not a valid enforcement level`,
    );
  });

  test("a run with an invalid --policy-pack-config file fails before the program runs", async () => {
    const configFile = join(dir, "policy-config.json");
    writeFileSync(configFile, JSON.stringify({ "min-count": { minCount: "x" } }));
    const stack = new LocalStack({
      programDir: dir,
      project: "p",
      stack: "dev",
      stateFile: join(dir, "state.json"),
      passphrase: "pass",
      policyPacks: [{ dir, configFile }],
    });
    const run = await stack.preview();
    expect(run.ok).toBe(false);
    expect(run.diagnostics).toEqual([
      "error: validating policy config: cfg-pack 0.0.1  min-count: minCount: Invalid type. Expected: integer, given: string",
    ]);
  });

  test("run-policy-pack is resolved from the pack's own directory", () => {
    expect(locateRunPolicyPack(dir)).toContain(
      join("node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"),
    );
    expect(() => locateRunPolicyPack("/")).toThrow(
      "It looks like the Pulumi SDK has not been installed. Have you run npm install in /?",
    );
  });
});
