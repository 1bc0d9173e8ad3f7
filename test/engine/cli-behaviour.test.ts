// The test engine's behaviours that mirror the Pulumi CLI (issue 13), one throwaway program whose provider logs
// every call: preview before up, check failures as the CLI prints them, replacement order and pending deletes,
// resource options, refresh/destroy with the provider config of the last up, and the request shapes.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LocalStack } from ".";
import { goPropertyValue, secretFilter } from "./render";
import { markSecret } from "./secrets";
import { UNKNOWN } from "../harness/provider-host";

const cacheDir = join(resolve(__dirname, "../.."), ".cache", "harness-tests");
const TYPE = "pulumi-nodejs:dynamic/t:R";

// Each resource is described by `t:resources` (JSON): key, name, count, options and what its check should reject.
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const fs = require("node:fs");
const cfg = new pulumi.Config("t");
const log = (file, line) => fs.appendFileSync(file, line + "\\n");
const provider = {
  async configure(req) { process.env.T_PREFIX = req.config.require("t:prefix"); },
  async check(_olds, news) {
    const failures = [];
    if (news.count < 0) failures.push({ property: "count", reason: "count must not be negative" });
    if (news.token !== undefined) failures.push({ property: "token", reason: "token is wrong" });
    if (news.apiKey !== undefined) failures.push({ property: "apiKey", reason: "apiKey is wrong" });
    if (news.scopes !== undefined) {
      failures.push({ property: "scopes", reason: "scopes are wrong" });
      failures.push({ property: "scopes[1]", reason: "the second scope is wrong" });
    }
    if (news.settings !== undefined) failures.push({ property: "settings", reason: "settings are wrong" });
    if (news.bad) failures.push({ property: "", reason: "the resource is bad" });
    return { inputs: news, failures };
  },
  async diff(_id, olds, news) {
    const replaces = olds.name !== news.name ? ["name"] : [];
    return { changes: olds.count !== news.count || replaces.length > 0, replaces };
  },
  async create(inputs) {
    log(inputs.logFile, "create " + inputs.name + " " + process.env.T_PREFIX);
    return { id: inputs.name, outs: inputs };
  },
  async read(id, props) {
    log(props.logFile, "read " + id + " " + process.env.T_PREFIX);
    return { id, props };
  },
  async update(_id, _olds, news) { log(news.logFile, "update " + news.name); return { outs: news }; },
  async delete(id, props) {
    log(props.logFile, "delete " + id + " " + process.env.T_PREFIX);
    if (fs.existsSync(props.failDelete)) throw new Error("delete of " + id + " refused");
  },
};
class R extends pulumi.dynamic.Resource {
  constructor(name, args, opts) { super(provider, name, args, opts, "t", "R"); }
}
const byKey = {};
for (const s of JSON.parse(cfg.require("resources"))) {
  const args = {
    name: s.name ?? s.key,
    count: s.after ? byKey[s.after].id.apply(() => s.count ?? 1) : (s.count ?? 1),
    logFile: cfg.require("logFile"),
    failDelete: cfg.require("failDelete"),
  };
  if (s.secret) args.token = pulumi.secret(s.secret);
  if (s.configSecret) args.apiKey = cfg.requireSecret("apiKey");
  if (s.scopes) args.scopes = s.scopes;
  if (s.settings) args.settings = s.settings;
  if (s.bad) args.bad = true;
  byKey[s.key] = new R(s.key, args, s.opts ?? {});
}
const existing = cfg.get("existing");
if (existing) exports.read = new R("existing", { logFile: cfg.require("logFile") }, { id: existing }).id;
`;

// Mandatory: no negative count (so a resource whose check fails is also a policy violation).
const POLICY_PACK = `
const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("t-pack", {
  policies: [{
    name: "no-negative-count", description: "count >= 0", enforcementLevel: "mandatory",
    validateResource: (args, report) => { if (args.props.count < 0) report("count " + args.props.count + " is negative"); },
  }, {
    name: "total-count-at-most-100", description: "the counts add up to 100 at most", enforcementLevel: "mandatory",
    validateStack: (args, report) => {
      const total = args.resources.reduce((sum, r) => sum + (r.props.count ?? 0), 0);
      if (total > 100) report("the counts add up to " + total);
    },
  }],
});
`;

interface Spec {
  key: string;
  name?: string;
  count?: number;
  after?: string;
  secret?: string;
  configSecret?: boolean;
  scopes?: string[];
  settings?: Record<string, unknown>;
  bad?: boolean;
  opts?: Record<string, unknown>;
}

describe("the test engine behaves like the Pulumi CLI", { timeout: 240_000 }, () => {
  let dir: string;
  let packDir: string;
  beforeAll(() => {
    mkdirSync(cacheDir, { recursive: true });
    dir = mkdtempSync(join(cacheDir, "cli-"));
    writeFileSync(join(dir, "index.js"), PROGRAM);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "t", main: "index.js" }));
    packDir = join(dir, "pack");
    mkdirSync(packDir);
    writeFileSync(join(packDir, "index.js"), POLICY_PACK);
    writeFileSync(join(packDir, "package.json"), JSON.stringify({ name: "t-pack", version: "0.0.1" }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let n = 0;
  /** A fresh stack with its own log file; `log()` reads what the provider did. */
  function newStack(withPolicy = false) {
    const id = String((n += 1));
    const logFile = join(dir, `calls-${id}.log`);
    const failDelete = join(dir, `fail-delete-${id}`);
    const stack = new LocalStack({
      programDir: dir,
      project: "t",
      stack: "dev",
      config: {
        "t:prefix": "old",
        "t:logFile": logFile,
        "t:failDelete": failDelete,
        "t:apiKey": "config-secret-value",
      },
      secretKeys: ["t:apiKey"],
      stateFile: join(dir, `state-${id}.json`),
      passphrase: "pass",
      policyPacks: withPolicy ? [{ dir: packDir }] : [],
    });
    const set = (specs: Spec[]) => stack.setConfig("t:resources", JSON.stringify(specs));
    const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8").trim().split("\n") : []);
    return { stack, set, log, failDelete };
  }

  test("up previews first: a check failure and a mandatory violation are reported together, nothing is created", async () => {
    const { stack, set, log } = newStack(true);
    set([{ key: "a" }, { key: "b", count: -1 }]);
    const run = await stack.up();
    expect(run.ok).toBe(false);
    expect(run.preview).toBeDefined();
    expect(log()).toEqual([]); // the valid sibling `a` was not created either
    expect(run.diagnostics).toContain(
      `error: urn:pulumi:dev::t::${TYPE}::b: ${TYPE} resource 'b': property count value {-1} has a problem: count must not be negative`,
    );
    expect(run.violations.map((v) => [v.policyName, v.level, v.urn.split("::").at(-1)])).toEqual([
      ["no-negative-count", "mandatory", "b"],
    ]);
    expect(stack.state().resources).toEqual([]);
  });

  test("a mandatory stack violation fails an up after its steps, deletes included (AnalyzeResources comes last)", async () => {
    const { stack, set, log } = newStack(true);
    set([{ key: "a" }, { key: "b" }]);
    expect((await stack.up({ skipPreview: true })).ok).toBe(true);
    set([{ key: "a", count: 101 }]);
    const run = await stack.up({ skipPreview: true });
    expect(run.ok).toBe(false);
    expect(run.violations.map((v) => [v.policyName, v.level, v.message])).toEqual([
      ["total-count-at-most-100", "mandatory", expect.stringContaining("the counts add up to 101")],
    ]);
    // As deployment_executor.go does: the update and the delete ran before the stack was analyzed.
    expect(log().slice(2)).toEqual(["update a", "delete b old"]);
    expect(stack.state().resources.map((r) => r.urn.split("::").at(-1))).not.toContain("b");
  });

  test("check failures print the value as the CLI's %v does, secrets redacted, secure config filtered", async () => {
    const { stack, set } = newStack();
    set([
      {
        key: "x",
        secret: "literal-secret-xyz",
        configSecret: true,
        scopes: ["a", "b"],
        settings: { b: 2, a: "x" },
        bad: true,
      },
    ]);
    const run = await stack.preview();
    expect(run.ok).toBe(false);
    const head = `error: urn:pulumi:dev::t::${TYPE}::x: ${TYPE} resource 'x'`;
    expect(run.diagnostics).toEqual(
      expect.arrayContaining([
        `${head}: property token value {[secret]} has a problem: token is wrong`,
        `${head}: property apiKey value {[secret]} has a problem: apiKey is wrong`,
        `${head}: property scopes value {[{a} {b}]} has a problem: scopes are wrong`,
        `${head}: property scopes[1] value {<nil>} has a problem: the second scope is wrong`,
        `${head}: property settings value {map[a:{x} b:{2}]} has a problem: settings are wrong`,
        `${head} has a problem: the resource is bad`,
      ]),
    );
    expect(run.diagnostics.join("\n")).not.toContain("config-secret-value");
  });

  test("replacement creates first and deletes after every create; a failed delete stays pending", async () => {
    const { stack, set, log, failDelete } = newStack();
    set([{ key: "a", name: "a1" }]);
    expect((await stack.up({ skipPreview: true })).ok).toBe(true);
    // `c` registers only once `a` has its new id, so a delete issued with the replacement would come before it.
    set([
      { key: "a", name: "a2" },
      { key: "c", after: "a" },
    ]);
    const replaced = await stack.up({ skipPreview: true });
    expect(replaced.ok).toBe(true);
    expect(log().slice(1)).toEqual(["create a2 old", "create c old", "delete a1 old"]);

    writeFileSync(failDelete, "");
    set([
      { key: "a", name: "a3" },
      { key: "c", after: "a" },
    ]);
    const failed = await stack.up({ skipPreview: true });
    expect(failed.ok).toBe(false);
    expect(failed.diagnostics.join("\n")).toContain("delete of a2 refused");
    const pendingDelete = stack.state().resources.filter((r) => r.name === "a");
    expect(pendingDelete.map((r) => [r.id, r.delete ?? false])).toEqual(
      expect.arrayContaining([
        ["a3", false],
        ["a2", true],
      ]),
    );

    rmSync(failDelete);
    const retried = await stack.up({ skipPreview: true });
    expect(retried.ok).toBe(true);
    expect(log().at(-1)).toBe("delete a2 old");
    expect(
      stack
        .state()
        .resources.filter((r) => r.name === "a")
        .map((r) => r.id),
    ).toEqual(["a3"]);
  });

  test("ignoreChanges, deleteBeforeReplace, retainOnDelete and protect act as in the CLI", async () => {
    const { stack, set, log } = newStack();
    set([
      { key: "i", count: 1, opts: { ignoreChanges: ["count"] } },
      { key: "d", name: "d1", opts: { deleteBeforeReplace: true } },
      { key: "r", opts: { retainOnDelete: true } },
      { key: "p", opts: { protect: true } },
    ]);
    expect((await stack.up({ skipPreview: true })).ok).toBe(true);
    const before = log().length;
    set([
      { key: "i", count: 5, opts: { ignoreChanges: ["count"] } },
      { key: "d", name: "d2", opts: { deleteBeforeReplace: true } },
      { key: "p", opts: { protect: true } },
    ]);
    const second = await stack.up({ skipPreview: true });
    expect(second.ok).toBe(true);
    expect(second.steps.find((s) => s.urn.endsWith("::i"))?.op).toBe("same");
    expect(log().slice(before)).toEqual(["delete d1 old", "create d2 old"]); // r is retained, not deleted
    expect(stack.state().resources.some((r) => r.name === "r")).toBe(false);

    set([
      { key: "i", count: 5, opts: { ignoreChanges: ["count"] } },
      { key: "d", name: "d2", opts: { deleteBeforeReplace: true } },
    ]);
    const third = await stack.up({ skipPreview: true });
    expect(third.ok).toBe(false);
    expect(third.diagnostics.join("\n")).toContain(
      `resource "urn:pulumi:dev::t::${TYPE}::p" cannot be deleted\nbecause it is protected.`,
    );
    expect(stack.state().resources.some((r) => r.name === "p")).toBe(true);
  });

  test("refresh and destroy configure the provider from the state; --run-program with the current config", async () => {
    const { stack, set, log } = newStack();
    set([{ key: "a" }]);
    expect((await stack.up({ skipPreview: true })).ok).toBe(true);
    const stored = readFileSync(stack.stateFile, "utf8");
    expect(stored).not.toContain("config-secret-value");
    const provider = stack.state().resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs")!;
    expect(provider).toMatchObject({
      name: "default",
      inputs: { "t:prefix": "old" },
      secretInputs: ["t:apiKey"],
    });
    const a = stack.state().resources.find((r) => r.name === "a")!;
    expect(a.provider).toBe(`${provider.urn}::${provider.id}`);

    stack.setConfig("t:prefix", "new");
    expect((await stack.refresh()).ok).toBe(true);
    expect((await stack.refresh({ runProgram: true })).ok).toBe(true);
    expect((await stack.destroy()).ok).toBe(true);
    expect(log().slice(1)).toEqual(["read a old", "read a new", "delete a old"]);
    expect(stack.state().resources).toEqual([]);
  });

  test("a read by id sends the program's inputs as the properties too", async () => {
    const { stack, set, log } = newStack();
    set([]);
    stack.setConfig("t:existing", "elsewhere");
    const run = await stack.up({ skipPreview: true });
    expect(run.diagnostics).toEqual([]);
    expect(log()).toEqual(["read elsewhere old"]);
  });
});

describe("values as the CLI renders them", () => {
  test("Go's %v of a PropertyValue", () => {
    expect(goPropertyValue("abc")).toBe("{abc}");
    expect(goPropertyValue(2)).toBe("{2}");
    expect(goPropertyValue(0.5)).toBe("{0.5}");
    expect(goPropertyValue(1e6)).toBe("{1e+06}");
    expect(goPropertyValue(1234567)).toBe("{1.234567e+06}");
    expect(goPropertyValue(0.00001)).toBe("{1e-05}");
    expect(goPropertyValue(true)).toBe("{true}");
    expect(goPropertyValue(null)).toBe("{<nil>}");
    expect(goPropertyValue(markSecret("p"))).toBe("{&{{p}}}");
    expect(goPropertyValue([1, markSecret({ k: "v" })])).toBe("{[{1} {&{{map[k:{v}]}}}]}");
    expect(goPropertyValue(UNKNOWN)).toBe("output<string>{}");
  });

  test("the secure-config filter skips short and boolean values and catches JSON-escaped ones", () => {
    const f = secretFilter(["ab", "true", 'sec"ret', "longer-secret"]);
    expect(f('x ab true sec"ret sec\\"ret longer-secret')).toBe("x ab true [secret] [secret] [secret]");
  });
});
