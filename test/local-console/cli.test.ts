// The command line: argument parsing, the banner, and the built CLI spawned as a user runs it.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { banner, parseArgs, startFromCli } from "../../src/local-console/cli";
import { call, login } from "./helpers";

const root = resolve(__dirname, "../..");

describe("parseArgs", () => {
  it("reads every flag, in both --flag value and --flag=value forms", () => {
    expect(
      parseArgs(["--port", "0", "--host=127.0.0.1", "--external-url", "none", "--state", "s.json"]),
    ).toEqual({
      port: 0,
      host: "127.0.0.1",
      externalUrl: null,
      stateFile: "s.json",
    });
    expect(parseArgs(["--external-url=https://bb.example.com"]).externalUrl).toBe("https://bb.example.com");
    expect(parseArgs(["--version", "2.5"]).version).toBe("2.5");
    expect(parseArgs(["--version=2.14.2"]).version).toBe("2.14.2");
    expect(parseArgs(["--version", "3.4"]).version).toBe("3.4");
    expect(() => parseArgs(["--version", "3.5"])).toThrow(
      /--version.*"3\.5".*2\.5, 2\.13, 2\.14, 2\.15, 3\.4/,
    );
    expect(() => parseArgs(["--port", "x"])).toThrow(/not a port/);
    expect(() => parseArgs(["--nope", "1"])).toThrow(/unknown option/);
  });
});

describe("startFromCli", () => {
  it("prints the URL, the admin account, the external URL, the fake providers and their demo apps", async () => {
    const c = await startFromCli({ port: 0, version: "2.13" });
    try {
      const text = banner(c, undefined);
      expect(text).toContain("Bytebase 2.13.0");
      for (const s of [
        c.url,
        c.admin.email,
        c.admin.key,
        `${c.url}/oauth/callback`,
        c.oauth.url("GITHUB"),
        c.demoApps.GITLAB.secret,
      ])
        expect(text).toContain(s);
    } finally {
      await c.close();
    }
  });

  it("from 2.15 prints a working demo token per fake Git provider and where token checks go; not before", async () => {
    const c = await startFromCli({ port: 0, version: "2.15" });
    try {
      const text = banner(c, undefined);
      expect(text).toContain("Demo access tokens");
      expect(text).toContain(`export BYTEBASE_GITOPS_API_URL_GITLAB=${c.oauth.url("GITLAB")}`);
      const token = await login(c.url, c.admin.email, c.admin.key);
      for (const type of ["GITLAB", "AZURE_DEVOPS"] as const) {
        expect(text).toContain(c.demoTokens![type].token);
        const url = type === "GITLAB" ? "https://gitlab.com" : "https://dev.azure.com";
        const id = type === "GITLAB" ? "demo-gitlab" : "demo-azure";
        const made = await call(c.url, "POST", `/v1/vcsProviders?vcsProviderId=${id}`, {
          token,
          body: { title: id, type, url, accessToken: c.demoTokens![type].token },
        });
        expect(made.status, made.text).toBe(200);
      }
    } finally {
      await c.close();
    }
    const old = await startFromCli({ port: 0, version: "2.14" });
    try {
      expect(old.demoTokens).toBeUndefined();
      expect(banner(old, undefined)).not.toContain("Demo access tokens");
    } finally {
      await old.close();
    }
  });
});

describe("node dist/local-console/cli.js", () => {
  it("starts, prints its URL and key, serves logins and lists, and stops on SIGTERM", async () => {
    // The built CLI, as `npm run console` runs it (npm test builds dist/ before vitest runs).
    const cli = join(root, "dist", "local-console", "cli.js");
    expect(existsSync(cli), "dist/ is missing: run `npm run build` first").toBe(true);

    const child = spawn(process.execPath, [cli, "--port", "0", "--version", "2.5"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    try {
      await new Promise<void>((ready, fail) => {
        const timer = setTimeout(() => fail(new Error(`no banner: ${output}`)), 10_000);
        child.stdout.on("data", () => output.includes("Press Ctrl+C") && (clearTimeout(timer), ready()));
        void exited.then(() => fail(new Error(`exited: ${output}`)));
      });
      const url = /URL:\s+(http:\/\/\S+)/.exec(output)![1]!;
      const key = /Admin service key:\s+(bbs_\S+)/.exec(output)![1]!;
      expect(output).toMatch(/External URL:\s+http:\/\/127\.0\.0\.1:\d+/);
      const token = await login(url, "admin@service.bytebase.com", key);
      const list = await call(url, "GET", "/v1/externalVersionControls", { token });
      expect(list.json).toEqual({ externalVersionControls: [], nextPageToken: "" });
      expect((await call(url, "GET", "/v1/actuator/info")).json.version).toBe("2.5.0");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
