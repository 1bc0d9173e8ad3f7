// Every relative link of the documentation resolves: README.md, docs/*.md and examples/*/README.md, each link to a
// file or directory of the repository, and each #anchor to a heading of the Markdown file it points into (GitHub's
// heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = resolve(__dirname, "../..");

/** The Markdown files whose links are checked, relative to the repository root. */
const pages = (): string[] => [
  "README.md",
  ...readdirSync(join(repoRoot, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(repoRoot, "examples"))
    .map((d) => `examples/${d}/README.md`)
    .filter((f) => existsSync(join(repoRoot, f))),
];

/** The text outside fenced code blocks and inline code spans, where links and headings live. */
const prose = (markdown: string): string => markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");

/** The id GitHub gives a heading's text. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a Markdown text's headings, repeats numbered as GitHub numbers them (`x`, `x-1`, `x-2`). */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  for (const [, text] of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const id = slug(text!);
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    ids.add(n === 0 ? id : `${id}-${n}`);
  }
  return ids;
}

/** The relative links of `file` (repository-relative) that do not resolve, each with why. */
export function brokenLinks(
  file: string,
  read = (f: string) => readFileSync(join(repoRoot, f), "utf8"),
): string[] {
  const text = prose(read(file)).replace(/`[^`\n]*`/g, "");
  const broken: string[] = [];
  for (const [, target] of text.matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // https:, mailto:
    const [path, anchor] = target!.split("#") as [string, string | undefined];
    const to = path === "" ? file : relative(repoRoot, resolve(repoRoot, dirname(file), decodeURI(path)));
    if (to !== file && (to.startsWith("..") || !existsSync(join(repoRoot, to)))) {
      broken.push(`${file}: ${target} (no ${to})`);
      continue;
    }
    if (anchor === undefined) continue;
    if (!to.endsWith(".md") || (to !== file && statSync(join(repoRoot, to)).isDirectory()))
      broken.push(`${file}: ${target} (an anchor into ${to}, which is not a Markdown file)`);
    else if (!anchors(read(to)).has(anchor))
      broken.push(`${file}: ${target} (${to} has no heading #${anchor})`);
  }
  return broken;
}

describe("documentation links", () => {
  it("reads the README, every docs page and every example's README", () => {
    const files = pages();
    expect(files).toContain("README.md");
    expect(files).toContain("docs/gitops-provider.md");
    expect(files).toContain("examples/quickstart/README.md");
  });

  it("every relative link and #anchor resolves", () => {
    expect(pages().flatMap((f) => brokenLinks(f))).toEqual([]);
  });

  it("tells a missing file, a missing heading and an anchor into a directory apart from good links", () => {
    const files: Record<string, string> = {
      "docs/a.md": [
        "# Page A",
        "## The demo: `npm run demo`",
        "## Limits",
        "## Limits",
        "[ok](#the-demo-npm-run-demo) [ok](#limits-1) [ok](../README.md#pulumi-bytebase-gitops) [ok](../examples/)",
        "[web](https://example.com/x#y) `[code](nowhere.md)`",
        "[gone](missing.md) [no heading](#nope) [dir](../examples/#x) [outside](../../x.md)",
        "```md",
        "[in a code block](missing-too.md)",
        "```",
      ].join("\n"),
    };
    const read = (f: string) => files[f] ?? readFileSync(join(repoRoot, f), "utf8");
    expect(brokenLinks("docs/a.md", read)).toEqual([
      "docs/a.md: missing.md (no docs/missing.md)",
      "docs/a.md: #nope (docs/a.md has no heading #nope)",
      "docs/a.md: ../examples/#x (an anchor into examples, which is not a Markdown file)",
      "docs/a.md: ../../x.md (no ../x.md)",
    ]);
  });

  it("gives headings GitHub's ids", () => {
    expect(slug("2.14 -> 2.15: `GitOpsProvider` to `VcsProvider`")).toBe(
      "214---215-gitopsprovider-to-vcsprovider",
    );
    expect(slug("Access-token Git providers: `VcsProvider` (Bytebase 2.15 - 3.4)")).toBe(
      "access-token-git-providers-vcsprovider-bytebase-215---34",
    );
  });
});
