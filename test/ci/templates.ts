// The CI templates in examples/ci read as their CI reads them: each template's steps in order, with the script,
// working directory and environment the runner would give it, and a way to run a shell step on this machine.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { load } from "js-yaml";

export type TemplateName = "github-actions" | "azure-pipelines";
export const TEMPLATES: readonly TemplateName[] = ["github-actions", "azure-pipelines"];

/** One step of a template, resolved for a checkout of the repository at `root`. */
export interface TemplateStep {
  /** `name:` (GitHub) or `displayName:` (Azure), else the action or task it uses. */
  name: string;
  /** The action (`uses:`), task (`task:`) or `checkout:` a step runs instead of a script. */
  action?: string;
  /** The shell script (`run:`, `script:`, `bash:`), with the template's own expressions resolved. */
  run?: string;
  /** The shell the runner runs the script with (run here as `<shell...> -c <script>`). */
  shell: string[];
  /** Absolute working directory. */
  cwd: string;
  /** The environment the template gives the step (workflow, job and step `env:`), resolved. */
  env: Record<string, string>;
  /** `if:` or `condition:` as written; undefined when the step always runs. */
  condition?: string;
  /** The script runs or installs the Pulumi CLI. */
  callsPulumi: boolean;
}

export interface Template {
  name: TemplateName;
  /** The template's own variables: GitHub's workflow `env:`, Azure's `variables:` (name/value entries). */
  variables: Record<string, string>;
  steps: TemplateStep[];
}

/** What the CI would supply: secrets, repository variables / variable group, the checkout's directory. */
export interface TemplateContext {
  /** The checkout (GITHUB_WORKSPACE, Build.SourcesDirectory). */
  root: string;
  /** GitHub `secrets.*`; Azure secret variables of the group. */
  secrets?: Record<string, string>;
  /** GitHub `vars.*`; Azure plain variables of the group. */
  vars?: Record<string, string>;
}

export const templateFile = (root: string, name: TemplateName) => join(root, "examples/ci", `${name}.yml`);

/** A step's script calls `pulumi` (a command word) or installs the CLI. */
export const callsPulumi = (script: string) =>
  /(^|[\s;&|(`])pulumi(\s|$)/m.test(script) || /get\.pulumi\.com/.test(script);

type Yaml = Record<string, unknown>;
const obj = (v: unknown): Yaml => (v && typeof v === "object" && !Array.isArray(v) ? (v as Yaml) : {});
const strings = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, String(x)]));

/** Reads a template and resolves its steps for `context`. */
export function loadTemplate(name: TemplateName, context: TemplateContext): Template {
  const doc = obj(load(readFileSync(templateFile(context.root, name), "utf8")));
  return name === "github-actions" ? githubSteps(doc, context) : azureSteps(doc, context);
}

// GitHub Actions: `${{ env.X }}`, `${{ secrets.X }}`, `${{ vars.X }}`, `${{ github.workspace }}`; a missing secret or
// variable is an empty string. Any other expression is refused, so the tests notice a template they cannot read.
function githubSteps(doc: Yaml, ctx: TemplateContext): Template {
  const jobs = Object.values(obj(doc.jobs)).map(obj);
  if (jobs.length !== 1) throw new Error(`github-actions: expected one job, found ${jobs.length}`);
  const job = jobs[0]!;
  const expand = (text: string, env: Record<string, string>) =>
    text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (whole, expr: string) => {
      const m = /^(env|secrets|vars|github)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expr);
      if (!m) throw new Error(`github-actions: unsupported expression ${whole}`);
      const [, scope, key] = m as unknown as [string, string, string];
      if (scope === "github") {
        if (key === "workspace") return ctx.root;
        throw new Error(`github-actions: unsupported expression ${whole}`);
      }
      const from = scope === "env" ? env : scope === "secrets" ? ctx.secrets : ctx.vars;
      return from?.[key] ?? "";
    });
  const expandAll = (values: Record<string, string>, env: Record<string, string>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, expand(v, env)]));
  const workflowEnv = expandAll(strings(doc.env), {});
  const jobEnv = { ...workflowEnv, ...expandAll(strings(job.env), workflowEnv) };
  const defaultDir =
    (obj(obj(job.defaults).run)["working-directory"] as string | undefined) ??
    (obj(obj(doc.defaults).run)["working-directory"] as string | undefined);
  const steps = (job.steps as unknown[]).map(obj).map((step): TemplateStep => {
    const env = { ...jobEnv, ...expandAll(strings(step.env), jobEnv) };
    const run = typeof step.run === "string" ? expand(step.run, env) : undefined;
    const dir = (step["working-directory"] as string | undefined) ?? defaultDir;
    const action = typeof step.uses === "string" ? step.uses : undefined;
    // Without `shell:`, a Linux runner runs `bash -e {0}`; `shell: bash` adds --noprofile --norc -o pipefail.
    const shell =
      step.shell === "bash"
        ? ["bash", "--noprofile", "--norc", "-eo", "pipefail"]
        : step.shell === undefined
          ? ["bash", "-e"]
          : [String(step.shell)];
    return {
      name: String(step.name ?? action ?? run?.split("\n")[0]),
      action,
      run,
      shell,
      cwd: dir ? resolve(ctx.root, expand(dir, env)) : ctx.root,
      env: { GITHUB_WORKSPACE: ctx.root, CI: "true", ...env },
      condition: step.if === undefined ? undefined : String(step.if),
      callsPulumi: run !== undefined && callsPulumi(run),
    };
  });
  return { name: "github-actions", variables: workflowEnv, steps };
}

// Azure Pipelines: macros `$(name)` from the pipeline's variables, the group's (context) and the predefined ones
// used here; a macro naming no variable stays as written, as Azure leaves it.
function azureSteps(doc: Yaml, ctx: TemplateContext): Template {
  const declared: Record<string, string> = {};
  const vars = doc.variables;
  if (Array.isArray(vars)) {
    for (const v of vars.map(obj)) if (typeof v.name === "string") declared[v.name] = String(v.value ?? "");
  } else Object.assign(declared, strings(vars));
  const known: Record<string, string> = {
    ...ctx.vars,
    ...ctx.secrets,
    ...declared,
    "Build.SourcesDirectory": ctx.root,
    "System.DefaultWorkingDirectory": ctx.root,
  };
  const expand = (text: string) =>
    text.replace(/\$\(([A-Za-z0-9_.]+)\)/g, (whole, key: string) => known[key] ?? whole);
  // Every variable but a secret reaches scripts as an environment variable: upper case, dots as underscores.
  const variableEnv = Object.fromEntries(
    Object.entries({ ...ctx.vars, ...declared, "Build.SourcesDirectory": ctx.root, TF_BUILD: "True" }).map(
      ([k, v]) => [k.toUpperCase().replace(/\./g, "_"), v],
    ),
  );
  const steps = (doc.steps as unknown[]).map(obj).map((step): TemplateStep => {
    const script = step.bash ?? step.script;
    const run = typeof script === "string" ? expand(script) : undefined;
    const action =
      typeof step.task === "string"
        ? step.task
        : step.checkout !== undefined
          ? `checkout: ${String(step.checkout)}`
          : undefined;
    const dir = step.workingDirectory as string | undefined;
    const env = Object.fromEntries(Object.entries(strings(step.env)).map(([k, v]) => [k, expand(v)]));
    return {
      name: String(step.displayName ?? action ?? run?.split("\n")[0]),
      action,
      run,
      // Bash@3 and CmdLine@2 on Linux: `bash --noprofile --norc <file>`, without -e (hence `set -e` in scripts).
      shell: ["bash", "--noprofile", "--norc"],
      cwd: dir ? resolve(ctx.root, expand(dir)) : ctx.root,
      env: { ...variableEnv, ...env },
      condition: step.condition === undefined ? undefined : String(step.condition),
      callsPulumi: run !== undefined && callsPulumi(run),
    };
  });
  return { name: "azure-pipelines", variables: declared, steps };
}

export interface StepRun {
  status: number | null;
  output: string;
}

/**
 * Runs a shell step as the runner would: its script through its shell, in its directory, with its environment on
 * top of `baseEnv` and the Node running this process first on PATH (what setup-node / NodeTool would install).
 */
export function runStep(step: TemplateStep, baseEnv: NodeJS.ProcessEnv = process.env): StepRun {
  if (step.run === undefined) throw new Error(`step "${step.name}" has no script`);
  if (!isAbsolute(step.cwd))
    throw new Error(`step "${step.name}": working directory ${step.cwd} is not absolute`);
  const env = { ...baseEnv, ...step.env };
  env.PATH = `${dirname(process.execPath)}${delimiter}${env.PATH ?? ""}`;
  const [cmd, ...args] = step.shell;
  const result = spawnSync(cmd!, [...args, "-c", step.run], { cwd: step.cwd, env, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}
