// Proves the test infrastructure itself: a throwaway provider through the real dynamic-provider host, and whole
// throwaway programs through the real Node runtime and the test engine (state file, secrets, policy packs).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  deploy,
  destroy,
  isSecretMarker,
  loadState,
  LocalStack,
  refresh,
  reveal,
  SECRET_SIG,
  SECRET_VALUE,
  type ResourceState,
} from ".";
import { serializeProvider, startProviderHost, UNKNOWN, type ProviderHost } from "../harness/provider-host";

const repoRoot = resolve(__dirname, "../..");
const cacheDir = join(repoRoot, ".cache", "harness-tests");

// Methods use only their arguments and globals, so the serialized text captures nothing.
const counter: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    process.env.HARNESS_PREFIX = req.config.require("counter:prefix");
  },
  async check(_olds, news) {
    const ok = typeof news.count === "number" && news.count >= 0;
    return {
      inputs: { ...news, checked: true },
      failures: ok ? [] : [{ property: "count", reason: "count must be a non-negative number" }],
    };
  },
  async diff(_id, olds, news) {
    if (news.mode === "let-engine-decide") return {};
    const replaces = olds.name !== news.name ? ["name"] : [];
    return {
      changes: olds.count !== news.count || replaces.length > 0,
      replaces,
      deleteBeforeReplace: news.dbr === true,
    };
  },
  async create(inputs) {
    if (inputs.failCreate) throw new Error(`cannot create ${inputs.name}: failCreate is set`);
    return {
      id: `${process.env.HARNESS_PREFIX}-${inputs.name}`,
      outs: { ...inputs, doubled: inputs.count * 2 },
    };
  },
  async read(id, props) {
    return { id, props: { ...props, refreshed: true } };
  },
  async update(_id, olds, news) {
    return { outs: { ...news, doubled: news.count * 2, previous: olds.count } };
  },
  async delete(id, props) {
    if (props.logFile) process.getBuiltinModule("node:fs").appendFileSync(props.logFile, `deleted ${id}\n`);
  },
};

describe("provider host", () => {
  let host: ProviderHost;
  let provider: string;
  let tmp: string;

  beforeAll(async () => {
    mkdirSync(cacheDir, { recursive: true });
    tmp = mkdtempSync(join(cacheDir, "host-"));
    provider = await serializeProvider(counter);
    host = await startProviderHost({ cwd: tmp });
    await host.configure({ "counter:prefix": "pfx" });
  });
  afterAll(async () => {
    await host?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test("serializeProvider gives the module text dynamic.Resource would send", () => {
    expect(provider).toContain("exports.handler");
    expect(provider).toContain("failCreate is set");
  });

  test("Check returns the provider's inputs and failures", async () => {
    const okCheck = await host.check(provider, {}, { name: "a", count: 1, gone: undefined });
    expect(okCheck).toEqual({ inputs: { name: "a", count: 1, checked: true }, failures: [] });
    const bad = await host.check(provider, {}, { name: "a", count: -1 });
    expect(bad.failures).toEqual([{ property: "count", reason: "count must be a non-negative number" }]);
  });

  test("Diff answers none, some, replace (with deleteBeforeReplace) and unknown", async () => {
    const olds = { name: "a", count: 1 };
    expect(await host.diff(provider, "pfx-a", olds, { name: "a", count: 1 })).toMatchObject({
      changes: "none",
      replaces: [],
    });
    expect(await host.diff(provider, "pfx-a", olds, { name: "a", count: 2 })).toMatchObject({
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await host.diff(provider, "pfx-a", olds, { name: "b", count: 1, dbr: true })).toMatchObject({
      changes: "some",
      replaces: ["name"],
      deleteBeforeReplace: true,
    });
    const unknown = await host.diff(provider, "pfx-a", olds, { name: UNKNOWN, mode: "let-engine-decide" });
    expect(unknown.changes).toBe("unknown");
  });

  test("Create uses the configured provider; its errors carry the provider's message", async () => {
    const created = await host.create(provider, { name: "a", count: 3 });
    expect(created).toEqual({ id: "pfx-a", outs: { name: "a", count: 3, doubled: 6 } });
    await expect(host.create(provider, { name: "z", count: 1, failCreate: true })).rejects.toThrow(
      /^cannot create z: failCreate is set$/,
    );
  });

  test("Read, Update and Delete reach the provider", async () => {
    const logFile = join(tmp, "deletes.log");
    const read = await host.read(provider, "pfx-a", { name: "a", count: 3, doubled: 6 });
    expect(read).toEqual({
      id: "pfx-a",
      outs: { name: "a", count: 3, doubled: 6, refreshed: true },
      inputs: {},
    });
    const updated = await host.update(provider, "pfx-a", { name: "a", count: 3 }, { name: "a", count: 5 });
    expect(updated.outs).toEqual({ name: "a", count: 5, doubled: 10, previous: 3 });
    await host.delete(provider, "pfx-a", { name: "a", logFile });
    expect(readFileSync(logFile, "utf8")).toBe("deleted pfx-a\n");
    expect(host.stderr()).not.toContain("Error");
  });
});

// A program as a user would write it: the provider is defined in the program and serialized by the SDK.
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const cfg = new pulumi.Config();
const provider = {
  async configure(req) { process.env.HARNESS_PREFIX = req.config.require("counter:prefix"); },
  async check(_olds, news) {
    const failures = news.count >= 0 ? [] : [{ property: "count", reason: "count must be a non-negative number" }];
    return { inputs: news, failures };
  },
  async diff(_id, olds, news) {
    const replaces = olds.name !== news.name ? ["name"] : [];
    return { changes: olds.count !== news.count || replaces.length > 0, replaces };
  },
  async create(inputs) {
    return { id: process.env.HARNESS_PREFIX + "-" + inputs.name, outs: { ...inputs, doubled: inputs.count * 2 } };
  },
  async read(id, props) { return { id, props: { ...props, refreshed: true } }; },
  async update(_id, _olds, news) { return { outs: { ...news, doubled: news.count * 2 } }; },
  async delete(id, props) { process.getBuiltinModule("node:fs").appendFileSync(props.logFile, "deleted " + id + "\\n"); },
};
class Counter extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(provider, name, { doubled: undefined, refreshed: undefined, ...args }, opts, "harness", "Counter");
  }
}
const main = new Counter("main", {
  name: cfg.require("name"),
  count: cfg.requireNumber("count"),
  token: cfg.requireSecret("token"),
  logFile: cfg.require("logFile"),
}, { additionalSecretOutputs: ["doubled"] });
if (cfg.get("foreign")) new pulumi.CustomResource(cfg.get("foreign"), "foreign", {});
if (cfg.get("existing")) exports.existing = new Counter("existing", {}, { id: cfg.get("existing") }).refreshed;
if (cfg.getBoolean("extra")) {
  new Counter("extra", { name: "extra", count: 0, token: "plain", logFile: cfg.require("logFile") });
}
exports.id = main.id;
exports.count = main.count;
exports.doubled = main.doubled;
exports.token = main.token;
`;

describe("engine: a whole program through the real Node runtime", { timeout: 180_000 }, () => {
  let dir: string;
  let logFile: string;
  const TYPE = "pulumi-nodejs:dynamic/harness:Counter";
  const URN = `urn:pulumi:dev::harness::${TYPE}::main`;
  const config = (over: Record<string, string> = {}) => ({
    "harness:name": "one",
    "harness:count": "2",
    "harness:token": "s3cr3t-value",
    "harness:logFile": logFile,
    "counter:prefix": "pfx",
    ...over,
  });
  const run = (over: Record<string, string>, priorState?: ResourceState[], preview?: boolean) =>
    deploy({
      programDir: dir,
      project: "harness",
      stack: "dev",
      config: config(over),
      secretKeys: ["harness:token"],
      priorState,
      preview,
    });

  // Every test starts from this first run's state.
  let created: Awaited<ReturnType<typeof deploy>>;
  beforeAll(async () => {
    mkdirSync(cacheDir, { recursive: true });
    dir = mkdtempSync(join(cacheDir, "program-"));
    logFile = join(dir, "deletes.log");
    writeFileSync(join(dir, "index.js"), PROGRAM);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "harness-program", main: "index.js" }));
    created = await run({});
  }, 180_000); // a preview and an up of the program, as the tests below
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const deletesLogged = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");

  test("up creates the resource; secrets travel as markers and outputs are re-marked secret", () => {
    expect(created.diagnostics.filter((d) => d.startsWith("error"))).toEqual([]);
    expect(created.ok).toBe(true);
    expect(created.steps).toEqual([{ urn: URN, op: "create" }]);

    const reg = created.registrations.find((r) => r.type === TYPE)!;
    expect(reg.object.token).toEqual({
      [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270",
      value: "s3cr3t-value",
    });
    expect(typeof reg.object.__provider).toBe("string");

    const res = created.state.find((r) => r.urn === URN)!;
    expect(res.id).toBe("pfx-one");
    expect(res.outputs).toMatchObject({ name: "one", count: 2, doubled: 4, token: "s3cr3t-value" });
    expect(res.secretOutputs.sort()).toEqual(["doubled", "token"]);

    expect(created.outputs.id).toBe("pfx-one");
    expect(created.outputs.count).toBe(2);
    expect(isSecretMarker(created.outputs.token)).toBe(true);
    expect(isSecretMarker(created.outputs.doubled)).toBe(true);
    expect(reveal(created.outputs)).toEqual({ id: "pfx-one", count: 2, doubled: 4, token: "s3cr3t-value" });
    const printed = [created.stdout, created.stderr, created.hostOutput, ...created.diagnostics].join("\n");
    expect(printed).not.toContain("s3cr3t-value");
    expect(JSON.parse(JSON.stringify(created.state))).toEqual(created.state);
  });

  test("a second up with the same config is a no-op; a changed count updates, a changed name replaces", async () => {
    rmSync(logFile, { force: true });
    const same = await run({}, created.state);
    expect(same.steps).toEqual([{ urn: URN, op: "same" }]);

    const updated = await run({ "harness:count": "5" }, same.state);
    expect(updated.steps).toEqual([{ urn: URN, op: "update", diffs: ["count"] }]);
    expect(reveal(updated.outputs)).toMatchObject({ id: "pfx-one", doubled: 10 });

    const replaced = await run({ "harness:count": "5", "harness:name": "two" }, updated.state);
    expect(replaced.ok).toBe(true);
    expect(replaced.steps).toEqual([{ urn: URN, op: "replace", diffs: ["name"] }]);
    expect(replaced.outputs.id).toBe("pfx-two");
    expect(deletesLogged()).toBe("deleted pfx-one\n");
  });

  test("preview calls Check and Diff only and leaves the state alone", async () => {
    const before = structuredClone(created.state);
    const preview = await run({ "harness:count": "7" }, created.state, true);
    expect(preview.ok).toBe(true);
    expect(preview.steps).toEqual([{ urn: URN, op: "update", diffs: ["count"] }]);
    expect(preview.state).toBe(created.state);
    expect(created.state).toEqual(before);
    expect(preview.outputs.count).toBe(7);

    const fresh = await run({}, undefined, true);
    expect(fresh.steps).toEqual([{ urn: URN, op: "create" }]);
    expect(fresh.outputs.id).toBe(UNKNOWN); // an unknown stack output travels as the sentinel
  });

  test("a Check failure fails the run with the provider's reason", async () => {
    const before = structuredClone(created.state.find((r) => r.urn === URN));
    const failed = await run({ "harness:count": "-1" }, created.state);
    expect(failed.ok).toBe(false);
    expect(failed.diagnostics.join("\n")).toContain("count must be a non-negative number");
    expect(failed.state.find((r) => r.urn === URN)).toEqual(before);
  });

  test("resources the program stops declaring are deleted; refresh reads, destroy deletes", async () => {
    rmSync(logFile, { force: true });
    const withExtra = await run({ "harness:extra": "true" }, created.state);
    const ops = (r: typeof withExtra) =>
      Object.fromEntries(r.steps.map((s) => [s.urn.split("::").at(-1), s.op]));
    expect(ops(withExtra)).toEqual({ main: "same", extra: "create" });
    const without = await run({}, withExtra.state);
    expect(ops(without)).toEqual({ main: "same", extra: "delete" });
    expect(without.state.some((r) => r.name === "extra")).toBe(false);
    expect(deletesLogged()).toBe("deleted pfx-extra\n");

    const options = { programDir: dir, project: "harness", stack: "dev", config: config() };
    const refreshed = await refresh({ ...options, state: without.state });
    expect(refreshed.drift).toEqual([{ urn: URN, op: "update", diffs: ["refreshed"] }]);
    const main = refreshed.state.find((r) => r.urn === URN)!;
    expect(main.outputs.refreshed).toBe(true);
    expect(main.secretOutputs.sort()).toEqual(["doubled", "token"]);

    const destroyed = await destroy({ ...options, state: refreshed.state });
    expect(destroyed).toMatchObject({ ok: true, state: [], deleted: [URN] });
    expect(deletesLogged()).toBe("deleted pfx-extra\ndeleted pfx-one\n");
  });
});

// A tiny policy pack: one mandatory and one advisory policy on the Counter resources.
const POLICY_PACK = `
const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("harness-pack", {
  policies: [
    {
      name: "count-limit", description: "count at most 10", enforcementLevel: "mandatory",
      validateResource: (args, report) => { if (args.props.count > 10) report("count " + args.props.count + " is over 10"); },
    },
    {
      name: "token-length", description: "tokens of 32 characters or more", enforcementLevel: "advisory",
      validateResource: (args, report) => { if (String(args.props.token).length < 32) report("the token is short"); },
    },
  ],
});
`;

describe(
  "LocalStack: a stack with a state file, secret config and a policy pack",
  { timeout: 240_000 },
  () => {
    let dir: string;
    let stack: LocalStack;
    const TYPE = "pulumi-nodejs:dynamic/harness:Counter";
    const URN = `urn:pulumi:dev::harness::${TYPE}::main`;
    const TOKEN = "s3cr3t-stack-token";

    beforeAll(() => {
      mkdirSync(cacheDir, { recursive: true });
      dir = mkdtempSync(join(cacheDir, "stack-"));
      writeFileSync(join(dir, "index.js"), PROGRAM);
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "harness-program", main: "index.js" }));
      const packDir = join(dir, "pack");
      mkdirSync(packDir);
      writeFileSync(join(packDir, "index.js"), POLICY_PACK);
      writeFileSync(
        join(packDir, "package.json"),
        JSON.stringify({ name: "harness-pack", version: "0.0.1", main: "index.js" }),
      );
      stack = new LocalStack({
        programDir: dir,
        project: "harness",
        stack: "dev",
        config: {
          "harness:name": "one",
          "harness:count": "2",
          "harness:token": TOKEN,
          "harness:logFile": join(dir, "deletes.log"),
          "counter:prefix": "pfx",
        },
        secretKeys: ["harness:token"],
        stateFile: join(dir, "state.json"),
        passphrase: "correct horse battery staple",
        policyPacks: [{ dir: packDir, config: { "token-length": "advisory" } }],
      });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test("preview: a mandatory violation fails it, an advisory one is shown; neither writes state", async () => {
      stack.setConfig("harness:count", "11");
      const bad = await stack.preview();
      expect(bad.ok).toBe(false);
      expect(bad.steps).toEqual([{ urn: URN, op: "create" }]); // planned, stopped by the policy
      expect(bad.violations.map((v) => [v.policyName, v.level, v.urn])).toEqual([
        ["count-limit", "mandatory", URN],
        ["token-length", "advisory", URN],
      ]);
      expect(bad.diagnostics.join("\n")).toContain("mandatory policy violation: [harness-pack] count-limit");
      expect(bad.violations[0]!.message).toContain("count 11 is over 10");
      expect(existsSync(join(dir, "state.json"))).toBe(false);

      stack.setConfig("harness:count", "2");
      const good = await stack.preview();
      expect(good.ok).toBe(true);
      expect(good.violations.map((v) => v.level)).toEqual(["advisory"]);
      expect(good.steps).toEqual([{ urn: URN, op: "create" }]);
    });

    test("up writes a state file whose secrets are ciphertext; the next run reads them back", async () => {
      const created = await stack.up();
      expect(created.ok).toBe(true);
      const file = readFileSync(join(dir, "state.json"), "utf8");
      expect(file).not.toContain(TOKEN);
      // A file backend's checkpoint (apitype.CheckpointV3): the stack outputs are the Stack resource's outputs.
      const { resources } = (
        JSON.parse(file) as {
          checkpoint: {
            latest: { resources: { urn: string; type: string; outputs: Record<string, unknown> }[] };
          };
        }
      ).checkpoint.latest;
      const main = resources.find((r) => r.urn === URN)!;
      const stored = resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
      expect(main.outputs.token).toEqual({
        [SECRET_SIG]: SECRET_VALUE,
        ciphertext: expect.stringMatching(/^v1:/),
      });
      expect(main.outputs.doubled).toEqual({ [SECRET_SIG]: SECRET_VALUE, ciphertext: expect.any(String) });
      expect(stored.outputs.token).toEqual({ [SECRET_SIG]: SECRET_VALUE, ciphertext: expect.any(String) });
      expect(stored.outputs.count).toBe(2);

      const state = stack.state();
      expect(state.resources.find((r) => r.urn === URN)).toMatchObject({
        outputs: { token: TOKEN, doubled: 4 },
        secretInputs: ["token"],
      });
      expect(reveal(state.outputs)).toMatchObject({ token: TOKEN, count: 2 });
      // pkg/secrets/passphrase/manager.go ErrIncorrectPassphrase
      expect(() => loadState(join(dir, "state.json"), "wrong passphrase")).toThrow(/incorrect passphrase/);

      const again = await stack.up();
      expect(again.steps).toEqual([{ urn: URN, op: "same" }]);
    });

    test("Resource.get reads by id into the state as external; refresh and destroy", async () => {
      stack.setConfig("harness:existing", "pfx-elsewhere");
      const withRead = await stack.up();
      expect(withRead.ok).toBe(true);
      expect(withRead.steps).toContainEqual({
        urn: `urn:pulumi:dev::harness::${TYPE}::existing`,
        op: "read",
      });
      expect(reveal(withRead.outputs)).toMatchObject({ existing: true });

      const refreshed = await stack.refresh();
      expect(refreshed.drift.find((d) => d.urn === URN)).toEqual({
        urn: URN,
        op: "update",
        diffs: ["refreshed"],
      });

      const destroyed = await stack.destroy();
      expect(destroyed.ok).toBe(true);
      expect(destroyed.deleted).toEqual([URN]); // the external one is forgotten, not deleted
      expect(stack.state()).toEqual({ resources: [], outputs: {} });
      stack.setConfig("harness:existing", undefined);
    });

    test("what the engine cannot run fails with a clear message", async () => {
      stack.setConfig("harness:foreign", "aws:s3/bucket:Bucket");
      const run = await stack.preview();
      stack.setConfig("harness:foreign", undefined);
      expect(run.ok).toBe(false);
      expect(run.diagnostics.join("\n")).toContain(
        "aws:s3/bucket:Bucket needs its provider plugin; the test engine runs dynamic resources only: run this program with the Pulumi CLI",
      );
    });
  },
);
