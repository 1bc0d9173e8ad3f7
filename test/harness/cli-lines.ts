// The `pulumi` command lines that the README and the examples' READMEs tell users to run, read from the Markdown,
// and a runner that gives them to whichever `pulumi` comes first on PATH (the real CLI or test/engine/bin/pulumi).
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { pulumiOnPath } from "../../scripts/demo/engines";
import { policyPack } from "../../scripts/demo/examples";
import type { StartedLocalConsole } from "../../src/local-console";

export const STANDIN_BIN = resolve(__dirname, "../engine/bin");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The `pulumi ...` lines of the first ```sh block after `heading` (or of the first block with `pulumi stack init`),
 * trailing `# comments` removed.
 */
export function readmeCommands(markdownFile: string, heading?: string): string[] {
  let text = readFileSync(markdownFile, "utf8");
  if (heading) {
    const at = text.indexOf(heading);
    if (at < 0) throw new Error(`${markdownFile} has no "${heading}"`);
    text = text.slice(at);
  }
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const block = heading ? blocks[0] : blocks.find((b) => b.includes("pulumi stack init"));
  if (!block) throw new Error(`${markdownFile} has no sh block with the pulumi commands`);
  return block
    .split("\n")
    .map((l) => l.replace(/\s+#\s.*$/, "").trim())
    .filter((l) => l.startsWith("pulumi "));
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A README line with the local console's values: `pulumi config set [--secret] KEY VALUE` gets the value that
 * `config` (namespaced keys, as stackSettings gives them) has for KEY; a key it lacks is an error, so a README that
 * names a key the example does not read fails the test.
 */
export function localize(line: string, project: string, config: Record<string, string>): string {
  // `pulumi login --local` is file://~, and the CLI finds ~ in the passwd entry, not $HOME (os/user.Current in
  // pkg/backend/diy/backend.go): run it as written, then keep the stacks in the test's own home.
  if (line === "pulumi login --local") return `${line} && pulumi login "file://$HOME"`;
  const m = /^pulumi config set (--secret )?(\S+) (.+)$/.exec(line);
  if (!m) return line;
  const key = m[2]!.includes(":") ? m[2]! : `${project}:${m[2]}`;
  const value = config[key];
  if (value === undefined) throw new Error(`the README sets ${key}, which the example's stack settings lack`);
  return `pulumi config set ${m[1] ?? ""}${m[2]} ${quote(value)}`;
}

/** Runs a shell command line (so `pulumi` is looked up on PATH) with `env`, in `cwd`. */
export function sh(line: string, cwd: string, env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  return new Promise((ok) => {
    const child = execFile("sh", ["-c", line], { cwd, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      ok({
        code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      }),
    );
    // A command that exits before reading its input closes the pipe: that is no error of the test's.
    child.stdin?.on("error", () => {});
    child.stdin?.end(input ?? "");
  });
}

/** PATH with the stand-in's directory first. */
export const standinPath = (path = process.env.PATH ?? "") => [STANDIN_BIN, path].join(delimiter);

export const standinExecutable = join(STANDIN_BIN, "pulumi");

/** The passphrase of the stacks these tests make (`PULUMI_CONFIG_PASSPHRASE`). */
export const PASSPHRASE = "stand-in test passphrase";

/** A fresh directory for one test's copies of a program (inside the repository: node_modules resolves as in examples/). */
export function workDir(name: string): string {
  const cache = join(resolve(__dirname, "../.."), ".cache", "cli-test");
  mkdirSync(cache, { recursive: true });
  return mkdtempSync(join(cache, `${name}-`));
}

/**
 * A user's environment with a fresh home (HOME, and PULUMI_HOME = HOME/.pulumi: the CLI takes its home from the
 * passwd entry, not from $HOME), no backend chosen yet and `pulumiBin`'s directory first on PATH (the stand-in's by
 * default, or the real CLI's ahead of any stand-in).
 */
export function userEnv(
  home: string,
  extra: Record<string, string> = {},
  pulumiBin = standinExecutable,
): NodeJS.ProcessEnv {
  const { PULUMI_BACKEND_URL: _b, PULUMI_HOME: _h, PULUMI_CONFIG_PASSPHRASE_FILE: _f, ...rest } = process.env;
  return {
    ...rest,
    PATH: [dirname(pulumiBin), process.env.PATH].join(delimiter),
    HOME: home,
    PULUMI_HOME: join(home, ".pulumi"),
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    NO_COLOR: "1",
    ...extra,
  };
}

/**
 * The real `pulumi` on PATH (not the stand-in), or undefined, and then its suites skip. Where REQUIRE_REAL_PULUMI is
 * set (`.ci/run` sets it after `npm run pulumi-cli`), a missing CLI fails the file instead of skipping it.
 */
export function realPulumiCli(): string | undefined {
  const found = pulumiOnPath();
  if (!found && process.env.REQUIRE_REAL_PULUMI)
    throw new Error(
      "REQUIRE_REAL_PULUMI is set but no real `pulumi` is on PATH: run `npm run pulumi-cli` and put the directory it prints first on PATH",
    );
  return found;
}

/**
 * Copies a program (`Pulumi.yaml`, `index.ts`, `package.json` of `from`) to `<work>/<name>` and the GitOpsGuard pack,
 * with a `policy-config.json` of the local console's settings, to `<work>/policy-pack`: side by side as in examples/,
 * so the READMEs' `../policy-pack` resolves. Returns the program's directory.
 */
export function layOutProgramAndPack(
  work: string,
  name: string,
  from: string,
  bb: StartedLocalConsole,
): string {
  const dir = join(work, name);
  const packDir = join(work, "policy-pack");
  mkdirSync(dir, { recursive: true });
  mkdirSync(packDir, { recursive: true });
  for (const file of ["Pulumi.yaml", "index.ts", "package.json"])
    copyFileSync(join(from, file), join(dir, file));
  const pack = policyPack(bb);
  for (const file of ["PulumiPolicy.yaml", "index.ts", "package.json"])
    copyFileSync(join(pack.dir, file), join(packDir, file));
  writeFileSync(join(packDir, "policy-config.json"), JSON.stringify(pack.config));
  return dir;
}
