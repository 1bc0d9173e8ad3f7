// The stand-in CLI's state file against the CLI's: a run killed mid-create leaves its pending operation in the
// checkpoint and the next run warns about it as pulumi/pulumi does; `pulumi stack export` of a stack with a secret
// and a replaced resource whose delete failed has apitype.DeploymentV3's shape, secrets decrypting with the
// passphrase crypter (derived here independently, as sdk/go/common/resource/config/crypt.go does).
import { spawn } from "node:child_process";
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSPHRASE, sh, userEnv, workDir } from "../harness/cli-lines";
import { pulumiRequire } from "../harness/provider-host";

const yaml = pulumiRequire("js-yaml") as { load(s: string): unknown };
const TOKEN = "tok-3f9a1c77e2";
const SIG = "4dabf18193072939515e22adb298388d";

// `second` waits for `first` (its name is made from first's id); its create and delete hang while the hang file
// exists.
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const fs = require("node:fs");
const cfg = new pulumi.Config();
const provider = {
  async create(inputs) {
    if (inputs.hang && fs.existsSync(inputs.hang)) await new Promise(() => setInterval(() => {}, 1000));
    return { id: inputs.name, outs: inputs };
  },
  async diff(_id, olds, news) {
    const replaces = olds.name !== news.name ? ["name"] : [];
    return { changes: replaces.length > 0, replaces };
  },
  async delete(id, props) {
    if (fs.existsSync(props.failDelete)) throw new Error("delete of " + id + " refused");
    if (props.hang && fs.existsSync(props.hang)) await new Promise(() => setInterval(() => {}, 1000));
  },
};
class R extends pulumi.dynamic.Resource {
  constructor(name, args, opts) { super(provider, name, args, opts, "t", "R"); }
}
const failDelete = cfg.require("failDelete");
const first = new R("first", { name: cfg.require("firstName"), token: cfg.requireSecret("token"), failDelete });
const second = new R("second", { name: first.id.apply((id) => "second-of-" + id), hang: cfg.require("hang"), failDelete });
exports.token = cfg.requireSecret("token");
exports.second = second.id;
`;

type Json = Record<string, unknown>;

describe("the stand-in's checkpoint is the CLI's", { timeout: 300_000 }, () => {
  let work: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const stateFile = () => join(work, "backend/.pulumi/stacks/ckpt/dev.json");
  const latest = () =>
    (JSON.parse(readFileSync(stateFile(), "utf8")) as { checkpoint: { latest?: Json } }).checkpoint.latest ??
    {};
  const run = (line: string, input?: string) => sh(line, dir, env, input);
  const urn = (type: string, name: string) => `urn:pulumi:dev::ckpt::${type}::${name}`;
  const R = "pulumi-nodejs:dynamic/t:R";

  beforeAll(async () => {
    work = workDir("checkpoint");
    dir = join(work, "project");
    mkdirSync(dir);
    mkdirSync(join(work, "backend"));
    mkdirSync(join(work, "home"));
    writeFileSync(join(dir, "Pulumi.yaml"), "name: ckpt\nruntime: nodejs\n");
    writeFileSync(join(dir, "index.js"), PROGRAM);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "ckpt", main: "index.js" }));
    env = userEnv(join(work, "home"), { PULUMI_BACKEND_URL: `file://${join(work, "backend")}` });
    expect((await run("pulumi stack init dev")).code).toBe(0);
    for (const [key, value] of [
      ["firstName", "first-a"],
      ["failDelete", join(work, "fail-delete")],
      ["hang", join(work, "hang")],
    ])
      expect((await run(`pulumi config set ${key} '${value}'`)).code).toBe(0);
    expect((await run("pulumi config set --secret token", TOKEN)).code).toBe(0);
  }, 300_000); // six runs of the stand-in CLI, each deriving the passphrase key
  /**
   * Runs `pulumi <args>` with the hang file present and kills it, its program and its provider host (its process
   * group) once the state file shows an operation pending on `name`; returns the pending operations it saw.
   */
  async function killWhenPending(args: string[], name: string) {
    writeFileSync(join(work, "hang"), "");
    const child = spawn("pulumi", args, { cwd: dir, env, detached: true, stdio: "ignore" });
    const exited = new Promise((ok) => child.on("exit", ok));
    let pending: { type: string; resource: Json }[] | undefined;
    try {
      for (let i = 0; i < 600 && !pending?.some((op) => op.resource.urn === urn(R, name)); i++) {
        await sleep(200);
        if (existsSync(stateFile())) pending = latest().pending_operations as typeof pending;
      }
    } finally {
      process.kill(-child.pid!, "SIGKILL");
      await exited;
      rmSync(join(work, "hang"));
    }
    return pending;
  }
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test("a run killed mid-create leaves the create pending; the next up warns as the CLI does and keeps it", async () => {
    // pkg/backend/snapshot.go doCreate: the pending operation is in the file before the provider's Create runs.
    expect(await killWhenPending(["up", "--yes", "--skip-preview"], "second")).toEqual([
      {
        type: "creating",
        resource: expect.objectContaining({
          urn: urn(R, "second"),
          custom: true,
          type: R,
          inputs: expect.objectContaining({ name: "second-of-first-a" }),
          parent: urn("pulumi:pulumi:Stack", "ckpt-dev"),
        }),
      },
    ]);
    const killed = latest();
    expect((killed.resources as Json[]).map((r) => r.urn)).toEqual([
      urn("pulumi:pulumi:Stack", "ckpt-dev"),
      urn("pulumi:providers:pulumi-nodejs", "default"),
      urn(R, "first"),
    ]);

    // pkg/backend/diy/lock.go: the killed run's lock stays; `pulumi cancel` (CancelCurrentUpdate) deletes it.
    const locked = await run("pulumi up --yes");
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(
      /^error: the stack is currently locked by 1 lock\(s\)\. Either wait for the other process\(es\) to end or delete the lock file with `pulumi cancel`\.\n {2}file:\/\/\S+\/\.pulumi\/locks\/organization\/ckpt\/dev\/[0-9a-f-]{36}\.json\?no_tmp_dir=true: created by \S+@\S+ \(pid \d+\) at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/,
    );
    expect(await run("pulumi cancel --yes")).toMatchObject({
      code: 0,
      stdout: "The currently running update for 'dev' has been canceled!\n",
    });
    const again = await run("pulumi up --yes");
    expect(again.code, again.stdout + again.stderr).toBe(0);
    // pkg/resource/deploy/deployment_executor.go printPendingOperationsWarning, under the stack's diagnostics.
    expect(again.stdout).toContain(
      [
        "Diagnostics:",
        "  pulumi:pulumi:Stack (ckpt-dev):",
        "    warning: Attempting to deploy or update resources with 1 pending operations from previous deployment.",
        `      * ${urn(R, "second")}, interrupted while creating`,
        "    These resources are in an unknown state because the Pulumi CLI was interrupted while waiting for changes to these resources to complete. You should confirm whether or not the operations listed completed successfully by checking the state of the appropriate provider. For example, if you are using AWS, you can confirm using the AWS Console.",
        "",
        "    Once you have confirmed the status of the interrupted operations, you can repair your stack using `pulumi refresh` which will refresh the state from the provider you are using and clear the pending operations if there are any.",
        "",
        "    Note that `pulumi refresh` will need to be run interactively to clear pending CREATE operations.",
      ].join("\n"),
    );
    expect(again.stdout).toContain(`+ 1 created`);
    // snapshot.go snap(): a pending create stays until a refresh clears it; it is not a resource.
    expect((latest().pending_operations as Json[]).map((op) => op.type)).toEqual(["creating"]);
    expect((latest().resources as Json[]).map((r) => r.urn)).toContain(urn(R, "second"));

    const refresh = await run("pulumi refresh --yes --clear-pending-creates");
    expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
    expect(latest().pending_operations).toBeUndefined();
  });

  test("stack export has DeploymentV3's shape: secrets as ciphertext, a replaced resource marked delete", async () => {
    writeFileSync(join(work, "fail-delete"), "");
    expect((await run("pulumi config set firstName first-b")).code).toBe(0);
    const up = await run("pulumi up --yes");
    expect(up.code).toBe(1); // the old resources' deletes fail: they stay, marked for deletion
    const exported = await run("pulumi stack export");
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).not.toContain(TOKEN);
    const { version, deployment } = JSON.parse(exported.stdout) as { version: number; deployment: Json };
    expect(version).toBe(3);
    const salt = (yaml.load(readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8")) as { encryptionsalt: string })
      .encryptionsalt;
    const stack = urn("pulumi:pulumi:Stack", "ckpt-dev");
    const providerUrn = urn("pulumi:providers:pulumi-nodejs", "default");
    const secret = { [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: expect.stringMatching(/^v1:/) };
    expect(Object.keys(deployment)).toEqual(["manifest", "secrets_providers", "resources"]);
    expect(deployment).toMatchObject({
      manifest: {
        time: expect.any(String),
        magic: expect.stringMatching(/^[0-9a-f]{64}$/),
        version: expect.any(String),
      },
      secrets_providers: { type: "passphrase", state: { salt } },
    });
    const resources = deployment.resources as Json[];
    const provider = resources[1]!;
    // step.go: Created and Modified as Go's encoding/json writes a UTC time.Time.
    const rfc3339 = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(resources[0]).toEqual({
      urn: stack,
      custom: false,
      type: "pulumi:pulumi:Stack",
      outputs: { token: secret, second: "second-of-first-a" },
      created: rfc3339,
      modified: rfc3339,
    });
    expect(provider).toMatchObject({
      urn: providerUrn,
      custom: true,
      id: expect.any(String),
      type: "pulumi:providers:pulumi-nodejs",
      inputs: { "ckpt:firstName": "first-b", "ckpt:token": secret },
    });
    const ref = `${providerUrn}::${String(provider.id)}`;
    const byUrn = (u: string) => resources.filter((r) => r.urn === u);
    expect(byUrn(urn(R, "first"))).toEqual([
      expect.objectContaining({ id: "first-b", custom: true, type: R, parent: stack, provider: ref }),
      expect.objectContaining({ id: "first-a", delete: true }),
    ]);
    const [first] = byUrn(urn(R, "first"));
    expect(first).toMatchObject({
      inputs: { token: secret },
      outputs: { token: secret },
      created: rfc3339,
      modified: rfc3339,
    });
    expect(first!.inputs).toHaveProperty("__provider");
    const [second] = byUrn(urn(R, "second"));
    expect(second).toMatchObject({
      dependencies: [urn(R, "first")],
      propertyDependencies: { name: [urn(R, "first")] },
    });
    // SerializePropertyValue: the ciphertext is the JSON of the value, with the stack's passphrase crypter.
    const ciphertext = String(((first!.inputs as Json).token as Json).ciphertext);
    expect(decrypt(salt, ciphertext)).toBe(JSON.stringify(TOKEN));
  });

  test("a destroy killed mid-delete leaves the delete pending; any next run drops it (only creates are kept)", async () => {
    rmSync(join(work, "fail-delete"));
    // pkg/backend/snapshot.go doDelete, then snap(): a pending delete of the base snapshot is not carried over.
    const pending = await killWhenPending(["destroy", "--yes", "--skip-preview"], "second");
    expect(pending).toEqual([
      { type: "deleting", resource: expect.objectContaining({ urn: urn(R, "second") }) },
    ]);
    expect(latest().pending_operations).toEqual(pending);
    expect((await run("pulumi cancel --yes")).code).toBe(0);
    const refresh = await run("pulumi refresh --yes");
    expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
    expect(latest().pending_operations).toBeUndefined();
    expect((await run("pulumi destroy --yes")).code).toBe(0);
  });
});

function decrypt(encryptionsalt: string, value: string): string {
  const key = pbkdf2Sync(
    PASSPHRASE,
    Buffer.from(encryptionsalt.split(":")[1]!, "base64"),
    1_000_000,
    32,
    "sha256",
  );
  const [, nonce, sealed] = value.split(":");
  const bytes = Buffer.from(sealed!, "base64");
  const d = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce!, "base64"));
  d.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([d.update(bytes.subarray(0, bytes.length - 16)), d.final()]).toString("utf8");
}
