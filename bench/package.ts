// Where the repository is and how the benchmarks load the package: as a program does, the built dist/ through
// node_modules/pulumi-bytebase-gitops (linked here, as the test setup links it), never a copy of src/.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The nearest ancestor holding this package's package.json (the bench runs compiled under .cache/). */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "pulumi-bytebase-gitops"
    )
      return dir;
    if (dirname(dir) === dir) throw new Error(`no pulumi-bytebase-gitops package.json above ${from}`);
  }
}

export const repoRoot = findRepoRoot(__dirname);

/** `require` relative to the repository root: package names resolve from its node_modules, `./dist/...` to the build. */
export const repoRequire = createRequire(join(repoRoot, "package.json"));

// Run, not required: requiring an ES module needs Node 22.12 or later, and the package supports 22.
execFileSync(process.execPath, [join(repoRoot, "scripts", "link-package.mjs")]);
