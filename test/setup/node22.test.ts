// scripts/node22.sh, which every user-facing npm script and .ci/run go through: runs under Node 22+ or says why not.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, expect, it } from "vitest";

const script = resolve(__dirname, "../../scripts/node22.sh");
const realNode = process.execPath;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A checkout holding only the script, and a bin/ whose `node` says `version` and whose `npm` exits `npmStatus`. */
function sandbox(version: string, npmStatus: number) {
  const root = mkdtempSync(join(tmpdir(), "node22-"));
  dirs.push(root);
  mkdirSync(join(root, "scripts"));
  copyFileSync(script, join(root, "scripts/node22.sh"));
  const bin = join(root, "bin");
  mkdirSync(bin);
  const tool = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  tool("node", `echo ${version}`);
  tool("npm", `exit ${npmStatus}`);
  const run = (...command: string[]) =>
    spawnSync("bash", [join(root, "scripts/node22.sh"), ...command], {
      env: { PATH: `${bin}:/usr/bin:/bin` },
      encoding: "utf8",
    });
  return { root, run };
}

it("runs the command as it is when the Node on PATH is 22 or newer, and says nothing", () => {
  const { run } = sandbox("v22.12.0", 1);
  const result = run("sh", "-c", "echo ran");
  expect(result.stdout).toBe("ran\n");
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
});

it("fails at once with the version needed when Node 24 cannot be fetched", () => {
  const { run } = sandbox("v20.20.2", 1);
  const result = run("sh", "-c", "echo ran");
  expect(result.stdout).toBe("");
  expect(result.stderr).toContain("needs Node.js >= 22 (found v20.20.2)");
  expect(result.stderr).toContain("could not fetch node-");
  expect(result.stderr).toContain("Install Node.js 22 or 24 LTS");
  expect(result.status).toBe(1);
});

it("runs under the cached Node 24 when the Node on PATH is older, saying so in one line", () => {
  const { root, run } = sandbox("v20.20.2", 1);
  mkdirSync(join(root, ".cache/node24/bin"), { recursive: true });
  symlinkSync(realNode, join(root, ".cache/node24/bin/node"));
  const result = run("node", "-p", "process.version");
  expect(result.stdout).toBe(`${process.version}\n`);
  expect(result.stderr).toBe(
    `node v20.20.2 is older than 22: running under Node ${process.version} from .cache/node24\n`,
  );
  expect(result.status).toBe(0);
});

it("every npm script a user runs goes through it", () => {
  const scripts = JSON.parse(execFileSync("npm", ["pkg", "get", "scripts"], { encoding: "utf8" })) as Record<
    string,
    string
  >;
  for (const name of ["test", "demo", "console", "bench"])
    expect(scripts[name]).toMatch(/^bash scripts\/node22\.sh /);
});
