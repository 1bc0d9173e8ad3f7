// The CI templates' `pulumi` steps, as committed, through the Pulumi CLI stand-in (test/engine/bin first on PATH)
// and, when `pulumi` is installed, through the real CLI (its directory first on PATH), against the local console: the pull request's `pulumi login` + `pulumi preview --stack --diff --policy-pack ...`
// and main's `pulumi login` + `pulumi up --stack --yes --policy-pack ...`, with the secrets and variables the
// templates name and a stack prepared as their header says (the OAuth apps' config set once on a workstation).
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import {
  leaks,
  oauthEnv,
  programDir,
  QUICKSTART,
  repoRoot,
  stackSettings,
} from "../../scripts/demo/examples";
import {
  layOutProgramAndPack,
  realPulumiCli,
  sh,
  standinExecutable,
  type CliResult,
} from "../harness/cli-lines";
import { loadTemplate, templateFile, TEMPLATES, type TemplateStep } from "./templates";

const PASSPHRASE = "ci template passphrase";

/** A template step's script through its shell, asynchronously (the console answers from this process). */
const runAsync = (step: TemplateStep, env: NodeJS.ProcessEnv) =>
  new Promise<CliResult>((ok) => {
    const [cmd, ...args] = step.shell;
    execFile(
      cmd!,
      [...args, "-c", step.run!],
      { cwd: step.cwd, env: { ...env, ...step.env }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        ok({
          code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
  });

const realPulumi = realPulumiCli();
/** The stand-in always; the real CLI where it is installed (a skipped suite says it is not). */
const CLIS = [
  { cli: "the Pulumi CLI stand-in (test/engine/bin/pulumi)", bin: standinExecutable as string | undefined },
  { cli: realPulumi ? "real Pulumi CLI" : "real Pulumi CLI (skipped: pulumi not on PATH)", bin: realPulumi },
];

for (const { cli, bin: pulumiBin } of CLIS)
  (pulumiBin ? describe : describe.skip)(cli, () => {
    describe.each(TEMPLATES.map((n) => [n]))("examples/ci/%s: the pulumi steps", (name) => {
      let bb: StartedLocalConsole;
      let root: string;
      let env: NodeJS.ProcessEnv;
      let steps: TemplateStep[];
      let secrets: string[];
      const outputs: CliResult[] = [];
      const step = (re: RegExp) => {
        const found = steps.filter((s) => s.run && re.test(s.run));
        expect(found, `${name}: one step matching ${re}`).toHaveLength(1);
        return found[0]!;
      };

      beforeAll(async () => {
        bb = await startLocalConsole();
        const cache = join(repoRoot, ".cache", "ci-pulumi-steps");
        mkdirSync(cache, { recursive: true });
        // A checkout's layout (examples/quickstart, examples/policy-pack) inside the repository, so that the program
        // and the pack resolve @pulumi/* and pulumi-bytebase-gitops from its node_modules as after the templates' npm ci.
        root = mkdtempSync(join(cache, `${name}-`));
        const program = layOutProgramAndPack(
          join(root, "examples"),
          "quickstart",
          programDir(QUICKSTART),
          bb,
        );
        mkdirSync(join(root, "backend"));
        mkdirSync(join(root, "home"));
        mkdirSync(join(root, "examples", "ci"));
        copyFileSync(templateFile(repoRoot, name), templateFile(root, name));

        const settings = stackSettings(QUICKSTART, bb);
        secrets = settings.secrets;
        const backend = `file://${join(root, "backend")}`;
        const { PULUMI_BACKEND_URL: _b, PULUMI_HOME: _h, ...rest } = process.env;
        env = {
          ...rest,
          PATH: [dirname(pulumiBin!), process.env.PATH].join(delimiter),
          HOME: join(root, "home"),
          // The CLI's home is the passwd entry's (os/user.Current), whatever HOME says: keep its files here.
          PULUMI_HOME: join(root, "home", ".pulumi"),
          PULUMI_SKIP_UPDATE_CHECK: "true",
          NO_COLOR: "1",
          ...oauthEnv(bb),
        };
        // The workstation: the stack and the OAuth apps' config (not the console's: that comes from CI variables).
        const workstation = { ...env, PULUMI_BACKEND_URL: backend, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE };
        const stack = loadTemplate(name, { root }).variables;
        const stackName = stack.STACK ?? stack.stack ?? "prod";
        expect((await sh(`pulumi stack init ${stackName}`, program, workstation)).code).toBe(0);
        for (const [key, value] of Object.entries(settings.config)) {
          if (key.startsWith("bytebase:")) continue;
          const secret = settings.secretKeys.includes(key) ? "--secret " : "";
          const r = await sh(`pulumi config set ${secret}${key}`, program, workstation, value);
          expect(r.code, r.stderr).toBe(0);
        }
        steps = loadTemplate(name, {
          root,
          secrets: {
            PULUMI_BACKEND_URL: backend,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            BYTEBASE_SERVICE_KEY: bb.admin.key,
          },
          vars: { BYTEBASE_URL: bb.url, BYTEBASE_SERVICE_ACCOUNT: bb.admin.email },
        }).steps;
      }, 300_000);
      afterAll(async () => {
        await bb?.close();
        if (root) rmSync(root, { recursive: true, force: true });
      });

      // `preview --diff` is the CLI's diff display, which the stand-in does not mirror (it refuses --diff).
      it.runIf(pulumiBin !== standinExecutable)(
        "the pull request's preview --diff passes the policy pack and writes nothing to the console",
        async () => {
          const preview = step(/pulumi preview/);
          expect(preview.env.BYTEBASE_SERVICE_KEY ?? "").toBe("");
          const r = await runAsync(preview, env);
          outputs.push(r);
          expect(r.code, r.stdout + r.stderr).toBe(0);
          expect(r.stdout).toMatch(/Previewing update \(prod\):/);
          // diff.go: each create with its inputs, secrets as [secret]; renderPolicyPacks after the summary.
          expect(r.stdout).toContain("    + pulumi-nodejs:dynamic/bytebase:GitOpsProvider: (create)\n");
          expect(r.stdout).toContain("        secret           : [secret]\n");
          expect(r.stdout).toMatch(
            /Resources:\n {4}\+ 3 to create\n\nPolicy Packs run:\n {4}Name +Version\n {4}gitops-guard\|local\|\S+ +0\.1\.0\n/,
          );
          expect(bb.listProviders()).toEqual([]);
        },
        600_000,
      );

      it("main's up creates the providers with the same pack; nothing secret is printed", async () => {
        const r = await runAsync(step(/pulumi up/), env);
        outputs.push(r);
        expect(r.code, r.stdout + r.stderr).toBe(0);
        expect(r.stdout).toContain("Resources:\n    + 3 created\n");
        // Created in parallel: in the console in the order they reached it.
        expect(
          bb
            .listProviders()
            .map((p) => p.type)
            .sort(),
        ).toEqual(QUICKSTART.providers.map((p) => p.type).sort());
        expect(leaks(secrets, { outputs })).toEqual([]);
      }, 600_000);
    });
  });
