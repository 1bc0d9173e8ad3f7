// What `npm pack` (and so `npm publish`) ships from a clean checkout: `prepack` builds dist/, and the tarball holds
// exactly the built code of every source file, README, LICENSE, CHANGELOG and package.json. Run in a copy of the
// files a clone has (tracked, and new ones not ignored), with its own node_modules of links to this one's, so that
// its build never touches this checkout's dist/.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newStackDir, repoRoot } from "../../scripts/demo/examples";

/** Every .ts file under dir, relative to it. */
function sources(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name), base)
      : e.name.endsWith(".ts")
        ? [relative(base, join(dir, e.name))]
        : [],
  );
}

describe("npm pack from a clean checkout", { timeout: 300_000 }, () => {
  let copy: string;
  let packed: { path: string }[];

  beforeAll(() => {
    copy = join(newStackDir("pack"), "checkout");
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
      cwd: repoRoot,
      encoding: "utf8",
    })
      .split("\n")
      .filter((f) => f && existsSync(join(repoRoot, f)));
    for (const file of files) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      copyFileSync(join(repoRoot, file), join(copy, file));
    }
    expect(existsSync(join(copy, "dist"))).toBe(false);
    mkdirSync(join(copy, "node_modules"));
    for (const entry of readdirSync(join(repoRoot, "node_modules")))
      if (entry !== "pulumi-bytebase-gitops")
        symlinkSync(join(repoRoot, "node_modules", entry), join(copy, "node_modules", entry));
    const out = execFileSync("npm", ["pack", "--dry-run", "--json"], {
      cwd: copy,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    packed = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files;
  });
  afterAll(() => {
    if (copy) rmSync(dirname(copy), { recursive: true, force: true });
  });

  it("builds dist/ first (prepack)", () => {
    expect(existsSync(join(copy, "dist/index.js"))).toBe(true);
  });

  it("ships exactly the built code, its types, README, LICENSE, CHANGELOG and package.json", () => {
    const built = sources(join(repoRoot, "src")).flatMap((f) => {
      const base = `dist/${f.replace(/\.ts$/, "")}`;
      return [`${base}.js`, `${base}.d.ts`];
    });
    expect(packed.map((f) => f.path).sort()).toEqual(
      [...built, "CHANGELOG.md", "LICENSE", "README.md", "package.json"].sort(),
    );
  });
});

describe("the peer ranges", () => {
  it("start at the versions the lockfile installs, which CI tests (npm ci)", () => {
    const json = (file: string) => JSON.parse(readFileSync(join(repoRoot, file), "utf8"));
    const { peerDependencies } = json("package.json") as { peerDependencies: Record<string, string> };
    const lock = json("package-lock.json") as { packages: Record<string, { version: string }> };
    for (const [name, range] of Object.entries(peerDependencies))
      expect(range, name).toBe(`^${lock.packages[`node_modules/${name}`]!.version}`);
  });
});
