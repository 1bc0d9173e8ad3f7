// examples/policy-pack as a user installs it: copied out of the repository, the package from `npm pack` instead of
// `file:../..`, only its declared dependencies installed (npm of the Node running the tests, offline when its cache
// has what is asked). Used by test/policy/pack-out-of-repo.test.ts and the real CLI's scenarios.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { repoRoot } from "../../scripts/demo/examples";

export const PACKAGE = "pulumi-bytebase-gitops";

function npm(args: string[], cwd: string): string {
  const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}` };
  return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline"], {
    cwd,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Installs the pack in a new directory under the system's temp directory; returns it and the pack's directory. */
export function installPackOutside(): { work: string; packDir: string } {
  if (!existsSync(join(repoRoot, "dist/policy/index.js")))
    throw new Error("dist/ is missing: run `npm run build` before this test");
  const work = realpathSync(mkdtempSync(join(tmpdir(), "gitops-pack-")));
  // --ignore-scripts: the built dist/ as it is; prepack's rebuild would delete it under the tests running beside.
  const [packed] = JSON.parse(
    npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], repoRoot),
  ) as [{ filename: string }];
  const packDir = join(work, "policy-pack");
  cpSync(join(repoRoot, "examples/policy-pack"), packDir, {
    recursive: true,
    filter: (src) => !src.includes("node_modules") && !src.endsWith("package-lock.json"),
  });
  const manifestFile = join(packDir, "package.json");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { dependencies: Record<string, string> };
  if (manifest.dependencies[PACKAGE] !== "file:../..")
    throw new Error(`examples/policy-pack/package.json no longer depends on ${PACKAGE} as file:../..`);
  manifest.dependencies[PACKAGE] = `file:${join(work, packed.filename)}`;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  npm(["install"], packDir);
  return { work, packDir };
}
