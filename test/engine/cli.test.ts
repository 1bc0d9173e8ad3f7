// The Pulumi CLI stand-in, test/engine/bin/pulumi, run as a user runs `pulumi`: first on PATH, from a shell.
// Its files and exit codes are checked against what pulumi/pulumi writes and returns (the format of the passphrase
// secrets is decrypted here independently, with the CLI's key derivation). The READMEs' command lines run through it
// (and through the real CLI when installed) in test/program/real-cli.test.ts, the CI templates' in
// test/ci/pulumi-steps.test.ts.
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSPHRASE, sh, userEnv, workDir } from "../harness/cli-lines";
import { pulumiRequire } from "../harness/provider-host";

const yaml = pulumiRequire("js-yaml") as { load(s: string): unknown };

/** sdk/go/common/resource/config/crypt.go, decrypted independently of test/engine/cli/passphrase.ts. */
function decrypt(encryptionsalt: string, value: string, phrase = PASSPHRASE): string {
  const salt = Buffer.from(encryptionsalt.split(":")[1]!, "base64");
  const key = pbkdf2Sync(phrase, salt, 1_000_000, 32, "sha256");
  const [version, nonce, sealed] = value.split(":");
  expect(version).toBe("v1");
  const bytes = Buffer.from(sealed!, "base64");
  const d = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce!, "base64"));
  d.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([d.update(bytes.subarray(0, bytes.length - 16)), d.final()]).toString("utf8");
}

describe("the stand-in's commands, files and exit codes", { timeout: 120_000 }, () => {
  let work: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const run = (line: string, input?: string, extra: NodeJS.ProcessEnv = {}) =>
    sh(line, dir, { ...env, ...extra }, input);
  const stackYaml = () =>
    yaml.load(readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8")) as {
      encryptionsalt: string;
      config: Record<string, unknown>;
    };

  beforeAll(() => {
    work = workDir("commands");
    dir = join(work, "project");
    mkdirSync(dir);
    mkdirSync(join(work, "home"));
    writeFileSync(join(dir, "Pulumi.yaml"), "name: standin-test\nruntime: nodejs\n");
    env = userEnv(join(work, "home"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("login --local stores file://~ as the current backend, as pkg/cmd/pulumi/auth/login.go does", async () => {
    const r = await run("pulumi login --local");
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Logged in to .+ \(file:\/\/~\)\n$/) });
    const creds = JSON.parse(readFileSync(join(work, "home/.pulumi/credentials.json"), "utf8")) as object;
    expect(creds).toMatchObject({ current: "file://~" });
  });

  it("stack init writes the state under <backend>/.pulumi/stacks/<project>/ and an encryptionsalt the CLI can read", async () => {
    // file://~ is the passwd entry's home, not $HOME: the test's home as an explicit file:// backend instead.
    expect((await run('pulumi login "file://$HOME"')).code).toBe(0);
    expect(await run("pulumi stack init dev")).toMatchObject({ code: 0, stdout: "Created stack 'dev'\n" });
    expect(existsSync(join(work, "home/.pulumi/stacks/standin-test/dev.json"))).toBe(true);
    const salt = stackYaml().encryptionsalt;
    expect(salt).toMatch(/^v1:[A-Za-z0-9+/]{11}=:v1:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]+$/);
    expect(decrypt(salt, salt.split(":").slice(2).join(":"))).toBe("pulumi");
    expect(await run("pulumi stack init dev")).toMatchObject({
      code: 1,
      stderr: "error: stack 'dev' already exists\n",
    });
  });

  it("config set --secret takes the value from stdin and writes a secure: value; config get decrypts it", async () => {
    // The CI templates' line: printf '%s' "$SECRET" | pulumi config set --secret --stack "$STACK" clientSecret
    const set = await run(`printf '%s' "$S" | pulumi config set --secret --stack dev apiToken`, undefined, {
      S: "s3cr3t value",
    });
    expect(set.code).toBe(0);
    const { encryptionsalt, config } = stackYaml();
    const stored = config["standin-test:apiToken"] as { secure: string };
    expect(decrypt(encryptionsalt, stored.secure)).toBe("s3cr3t value");
    expect(readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8")).not.toContain("s3cr3t");
    expect(await run("pulumi config get apiToken")).toMatchObject({ code: 0, stdout: "s3cr3t value\n" });
    const wrong = await run("pulumi config get apiToken", undefined, { PULUMI_CONFIG_PASSPHRASE: "wrong" });
    expect(wrong).toMatchObject({ code: 1, stderr: "error: incorrect passphrase\n" });
  });

  it("config set --path builds objects; plain values and namespaced keys land where the CLI puts them", async () => {
    expect((await run("pulumi config set --path tags.team payments")).code).toBe(0);
    expect((await run("pulumi config set bytebase:url https://bytebase.example.com")).code).toBe(0);
    expect(stackYaml().config).toMatchObject({
      "standin-test:tags": { team: "payments" },
      "bytebase:url": "https://bytebase.example.com",
    });
    expect((await run("pulumi config get --path tags.team")).stdout).toBe("payments\n");
    expect((await run("pulumi config get tags")).stdout).toBe('{"team":"payments"}\n');
    expect(await run("pulumi config get nope")).toMatchObject({ code: 1 });
  });

  it("exits as the CLI does: 2 without --yes in non-interactive mode, 6 for a missing stack, 1 otherwise", async () => {
    const up = await run("pulumi up");
    expect(up.code).toBe(2);
    expect(up.stderr).toContain("--yes or --skip-preview or --preview-only must be passed in to proceed");
    expect((await run("pulumi stack select nope")).code).toBe(6);
    expect((await run("pulumi stack output --stack nope")).stderr).toBe(
      "error: no stack named 'nope' found\n",
    );
    for (const line of ["pulumi import x y", "pulumi up --yes --target urn", "pulumi login s3://bucket"]) {
      const r = await run(line);
      expect(r.code, line).toBe(1);
      expect(r.stderr, line).toContain("not supported by the test engine's stand-in for the Pulumi CLI");
    }
    expect((await run("pulumi stack rm dev")).code).toBe(2);
  });

  it("-C runs in another directory; stack output of a new stack is empty; stack rm removes state and config", async () => {
    const out = await sh(`pulumi -C ${JSON.stringify(dir)} stack output --json`, work, env);
    expect(out).toMatchObject({ code: 0, stdout: "{}\n" });
    expect(await run("pulumi stack rm dev --yes")).toMatchObject({
      code: 0,
      stdout: "Stack 'dev' has been removed!\n",
    });
    expect(existsSync(join(work, "home/.pulumi/stacks/standin-test/dev.json"))).toBe(false);
    expect(existsSync(join(dir, "Pulumi.dev.yaml"))).toBe(false);
  });

  it("PULUMI_BACKEND_URL=file://<dir> keeps the state in <dir>/.pulumi (pkg/workspace/creds.go)", async () => {
    const backend = join(work, "backend");
    mkdirSync(backend);
    const r = await run("pulumi stack init ci", undefined, { PULUMI_BACKEND_URL: `file://${backend}` });
    expect(r.code).toBe(0);
    expect(existsSync(join(backend, ".pulumi/stacks/standin-test/ci.json"))).toBe(true);
  });
});
