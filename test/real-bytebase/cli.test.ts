// `npm run bytebase` as the README shows it: starts a built release, prints the URL, the service account and its key
// as `npm run console` does (they work), and `--stop` from another process ends it and drops its database.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { call, login } from "../../scripts/bytebase/bootstrap";
import { postgresBase } from "../../scripts/bytebase/server";
import { repoRoot } from "../../scripts/demo/examples";
import { describeRealBytebase } from "../harness/real-bytebase";

const run = promisify(execFile);
const npm = (args: string[]) => ["scripts/node22.sh", "npm", "run", "--silent", "bytebase", "--", ...args];

describeRealBytebase(["3.4.1"], "npm run bytebase", (v) => {
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let out = "";
  beforeAll(() => {
    child = spawn("bash", npm(["--version", v.version]), {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    exited = new Promise((done) => child.on("exit", done));
  });
  afterAll(async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  }, 60_000);

  const exported = (name: string) => out.match(new RegExp(`export ${name}=(\\S+)`))?.[1] ?? "";

  it("prints the URL, service account and key, which work", { timeout: 360_000 }, async () => {
    for (let i = 0; i < 600 && !out.includes("Press Ctrl+C") && child.exitCode === null; i++)
      await new Promise((r) => setTimeout(r, 500));
    expect(out).toContain(`Real Bytebase ${v.version} (git commit ${v.commit})`);
    const url = exported("BYTEBASE_URL");
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(exported("BYTEBASE_SERVICE_ACCOUNT")).toBe("pulumi-gitops@service.bytebase.com");
    expect(exported("BYTEBASE_SERVICE_KEY")).toMatch(/^bbs_/);
    expect((await call(url, "GET", "v1/actuator/info")).json).toMatchObject({
      version: v.version,
      externalUrl: url,
    });
    const token = await login(url, {
      email: exported("BYTEBASE_SERVICE_ACCOUNT"),
      secret: exported("BYTEBASE_SERVICE_KEY"),
    });
    expect((await call(url, "GET", "v1/vcsProviders", undefined, token)).status).toBe(200);
  });

  it("--stop ends it from another process and drops its database", { timeout: 120_000 }, async () => {
    const database = out.match(/Database:\s+(\S+)/)?.[1] ?? "";
    expect(database).toMatch(/^bb_3_4_1_/);
    const port = exported("BYTEBASE_URL").split(":").pop()!;
    const { stdout } = await run("bash", npm(["--version", v.version, "--port", port, "--stop"]), {
      cwd: repoRoot,
    });
    expect(stdout).toContain(
      `Stopped Bytebase ${v.version} on port ${port}; dropped its database ${database}.`,
    );
    expect(await exited).toBe(0);
    const { stdout: left } = await run("psql", [
      `${await postgresBase()}/postgres`,
      "-Atc",
      "SELECT datname FROM pg_database",
    ]);
    expect(left.split("\n")).not.toContain(database);
  });
});
