// The ready pack as a user installs it: examples/policy-pack copied out of the repository, only its declared
// dependencies installed (the package from `npm pack` instead of `file:../..`), started the way the Node language
// host starts it (run-policy-pack resolved from the pack's directory) and driven over gRPC.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/demo/examples";
import { startPolicyPack, type PolicyPack } from "../engine";
import { installPackOutside, PACKAGE } from "../harness/pack-outside";
import { azureSecret, provider } from "./fixtures";
import { asAnalyzed } from "./harness";

const SUBPATHS = ["policy", "runtime", "local-console"];

let work: string;
let packDir: string;
let pack: PolicyPack | undefined;

beforeAll(async () => {
  ({ work, packDir } = installPackOutside());
  pack = await startPolicyPack({ dir: packDir });
}, 600_000);

afterAll(() => {
  pack?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("examples/policy-pack outside the repository", () => {
  it("runs on what it declares: the SDK and the TypeScript compiler come from its own node_modules", () => {
    expect(relative(repoRoot, packDir).startsWith("..")).toBe(true);
    // As the language host's locateModule does: `node -e require.resolve(...)` in the pack's directory.
    const fromPack = (id: string, from = packDir) =>
      execFileSync(process.execPath, ["-p", `require.resolve(${JSON.stringify(id)})`], {
        cwd: from,
        encoding: "utf8",
      }).trim();
    expect(fromPack("@pulumi/pulumi/cmd/run-policy-pack").startsWith(join(packDir, "node_modules"))).toBe(
      true,
    );
    // run-policy-pack compiles index.ts with the `typescript` its own copy of @pulumi/pulumi can require.
    const sdk = dirname(fromPack("@pulumi/pulumi/package.json"));
    expect(fromPack("typescript", sdk).startsWith(join(packDir, "node_modules"))).toBe(true);
    expect(fromPack(`${PACKAGE}/policy`)).toBe(
      join(packDir, "node_modules", PACKAGE, "dist/policy/index.js"),
    );
  });

  it("reports violations over gRPC, with its defaults and with policy-config.json", async () => {
    expect(pack!.name).toBe("gitops-guard");
    const github = asAnalyzed(provider("GITHUB", { scopes: ["repo", "workflow", "read:org"] }));
    expect((await pack!.analyze(github)).map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["gitops-least-privilege", "advisory"],
    ]);
    await pack!.configure(JSON.parse(readFileSync(join(packDir, "policy-config.json"), "utf8")) as never);
    const azure = await pack!.analyze(asAnalyzed(provider("AZURE_DEVOPS", { secret: azureSecret(18) })));
    expect(azure.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["gitops-secret-expiry", "mandatory"],
    ]);
  });

  it("resolves the package's subpaths with the TypeScript 3.8 that @pulumi/pulumi vendors (node10 resolution)", () => {
    // The compiler run-policy-pack falls back to when the pack has no `typescript` (tsutils.typeScriptRequireStrings).
    const sdk = dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [packDir] }));
    const ts = createRequire(__filename)(
      join(sdk, "vendor/typescript@3.8.3/typescript.js"),
    ) as typeof import("typescript");
    expect(ts.version).toBe("3.8.3");
    const options = { moduleResolution: ts.ModuleResolutionKind.NodeJs };
    const resolved = (id: string) =>
      ts.resolveModuleName(id, join(packDir, "index.ts"), options, ts.sys).resolvedModule?.resolvedFileName;
    expect(resolved(PACKAGE)).toBe(join(packDir, "node_modules", PACKAGE, "dist/index.d.ts"));
    for (const sub of SUBPATHS)
      expect(resolved(`${PACKAGE}/${sub}`), sub).toBe(
        join(packDir, "node_modules", PACKAGE, `dist/${sub}/index.d.ts`),
      );
  });
});
