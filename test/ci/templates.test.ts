// The CI templates run as committed: in a fresh clone of this repository, each template's shell steps that do not
// call `pulumi` run in order (checkout is the clone itself; setup-node / NodeTool is the Node running this test), and
// then the program and the policy pack load the package from their own directories.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/demo/examples";
import {
  loadTemplate,
  runStep,
  TEMPLATES,
  type Template,
  type TemplateName,
  type TemplateStep,
} from "./templates";

let clone: string;

const git = (args: string[], cwd: string) => execFileSync("git", args, { cwd, encoding: "utf8" });

/** The environment of a CI runner: this one's, without the npm settings of the `npm test` running us. */
function runnerEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  // The runner's npm would download; here the cache has every package the lockfiles name.
  return { ...env, npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false" };
}

/** `node -p <expr>` in `dir`, as a program or pack started there resolves modules. */
const nodeIn = (dir: string, expr: string) =>
  execFileSync(process.execPath, ["-p", expr], { cwd: dir, encoding: "utf8" }).trim();

beforeAll(() => {
  if (!existsSync(join(repoRoot, ".git")))
    throw new Error("the CI template test needs a git checkout to clone");
  clone = join(realpathSync(mkdtempSync(join(tmpdir(), "gitops-ci-"))), "repo");
  git(["clone", "--quiet", repoRoot, clone], tmpdir());
}, 120_000);

afterAll(() => {
  if (clone) rmSync(join(clone, ".."), { recursive: true, force: true });
}, 300_000);

const load = (name: TemplateName) => loadTemplate(name, { root: clone });

/**
 * What a shell step does, as far as these steps go: its directory, its commands, and whether it stops at the first
 * failing one. Two templates whose non-pulumi steps have the same signature install the same things the same way,
 * so the second reuses the first one's run (each costs three `npm ci` and a build of the package).
 */
function signature(steps: TemplateStep[]): string {
  return JSON.stringify(
    steps.map((step) => {
      const lines = step.run!.split("\n").map((l) => l.trim());
      const commands = lines.filter((l) => l && !l.startsWith("#") && !/^set -[a-z]*e/.test(l));
      const setsE = lines.some((l) => /^set -[a-z]*e/.test(l));
      const stops = commands.length <= 1 || setsE || step.shell.some((a) => /^-[a-z]*e/.test(a));
      return { cwd: relative(clone, step.cwd), commands, stops };
    }),
  );
}
const ran = new Set<string>();

describe.each(TEMPLATES.map((n) => [n]))("examples/ci/%s", (name) => {
  let template: Template;
  beforeAll(() => {
    template = load(name);
  });

  it("uses actions on a current runtime and gives the service key to `pulumi up` only", () => {
    const actions = template.steps.flatMap((s) => (s.action ? [s.action] : []));
    if (name === "github-actions")
      expect(actions).toEqual(["actions/checkout@v5", "actions/setup-node@v5", "pulumi/actions@v7"]);
    else expect(actions).toEqual(["checkout: self", "NodeTool@0"]);
    const withKey = template.steps.filter((s) => "BYTEBASE_SERVICE_KEY" in s.env);
    expect(withKey.map((s) => s.run?.match(/pulumi (preview|up)/)?.[0])).toEqual(["pulumi up"]);
    const preview = template.steps.find((s) => s.run?.includes("pulumi preview"));
    expect(preview?.env).toHaveProperty("PULUMI_CONFIG_PASSPHRASE");
    expect(preview?.condition).toMatch(/pull_request|PullRequest/);
  });

  it("installs and builds what the program and the pack need, in a fresh clone", () => {
    const shellSteps = template.steps.filter((s) => s.run !== undefined && !s.callsPulumi);
    expect(shellSteps.length).toBeGreaterThan(0);
    if (!ran.has(signature(shellSteps))) {
      git(["clean", "-xffdq"], clone); // as fresh as the clone: no node_modules or dist/ of another template
      const env = runnerEnv();
      for (const step of shellSteps) {
        const { status, output } = runStep(step, env);
        expect(status, `step "${step.name}" in ${step.cwd} failed:\n${output.slice(-3000)}`).toBe(0);
      }
      ran.add(signature(shellSteps));
    }
    const vars = template.variables;
    const program = join(clone, vars.WORK_DIR ?? vars.workDir ?? "");
    const pack = join(clone, vars.POLICY_PACK ?? vars.policyPack ?? "");
    expect([program, pack]).toEqual([
      join(clone, "examples/quickstart"),
      join(clone, "examples/policy-pack"),
    ]);
    for (const [dir, id] of [
      [program, "pulumi-bytebase-gitops"],
      [pack, "pulumi-bytebase-gitops/policy"],
    ] as const) {
      // Each directory has its own installed SDK, and the package resolves to the clone's build.
      expect(nodeIn(dir, `require.resolve("@pulumi/pulumi")`).startsWith(join(dir, "node_modules"))).toBe(
        true,
      );
      expect(nodeIn(dir, `Object.keys(require(${JSON.stringify(id)})).length > 0`)).toBe("true");
      expect(realpathSync(nodeIn(dir, `require.resolve(${JSON.stringify(id)})`)).startsWith(clone)).toBe(
        true,
      );
    }
  }, 900_000);
});
