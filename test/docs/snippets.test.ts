// The TypeScript programs of the README and docs/*.md compile against the built package as a user's program does:
// each page's ```ts blocks, in order, as one module importing `pulumi-bytebase-gitops` by name (linked by the build).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = resolve(__dirname, "../..");
const pages = ["README.md", ...readdirSync(join(repoRoot, "docs")).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith(".md"),
);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The ```ts blocks of a Markdown text, joined into one module. */
const programOf = (markdown: string): string =>
  [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]).join("\n");

/** The type errors of `sources` (file name -> text), compiled in a directory under the repository. */
function typeErrors(sources: Record<string, string>): string[] {
  const cache = join(repoRoot, ".cache", "docs-snippets");
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, "run-"));
  dirs.push(dir);
  const files = Object.entries(sources).map(([name, text]) => {
    const file = join(dir, name);
    writeFileSync(file, `${text}\nexport {};\n`);
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: ["node"],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file?.fileName.slice(dir.length + 1)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    );
}

describe("the documentation's TypeScript programs", { timeout: 120_000 }, () => {
  it("the README and the resource and policy pages have programs", () => {
    for (const page of ["README.md", "docs/gitops-provider.md", "docs/vcs-provider.md", "docs/policies.md"])
      expect(programOf(readFileSync(join(repoRoot, page), "utf8")), page).toContain("pulumi-bytebase-gitops");
  });

  it("type-check against the built package; a wrong input name fails", () => {
    const sources: Record<string, string> = {};
    for (const page of pages) {
      const program = programOf(readFileSync(join(repoRoot, page), "utf8"));
      if (program) sources[`${page.replace(/\W/g, "_")}.ts`] = program;
    }
    // The same check catches a program that no longer fits the package.
    sources["wrong.ts"] = programOf(readFileSync(join(repoRoot, "README.md"), "utf8")).replace(
      "resourceId:",
      "resourceID:",
    );
    const errors = typeErrors(sources);
    expect(errors.filter((e) => !e.startsWith("wrong.ts:"))).toEqual([]);
    expect(errors.some((e) => e.startsWith("wrong.ts:") && e.includes("resourceID"))).toBe(true);
  });
});
