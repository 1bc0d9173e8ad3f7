// Issue 19's scenarios that the README lines do not cover, each on the CLI stand-in (test/engine/bin/pulumi) and on
// the real Pulumi CLI (when `pulumi` is on PATH; `.ci/run` requires it), against the local console:
// - the policy pack installed from its own package.json outside the repository, started by the CLI: a violation
//   fails the preview with the CLI's exit code and text; invalid --policy-pack-config values are refused;
// - an `up` killed with SIGKILL mid-create: its lock, `pulumi cancel`, the next `up`'s pending-operation warning,
//   no duplicate in the console (the runtime adopts what the killed run created), `refresh --clear-pending-creates`;
// - `refresh` and `destroy` after the stack config changed use the saved provider config; `--run-program` the current;
// - `importId` adopts; the `import` resource option and `pulumi import` fail as the README says.
// Every command's output and the state are recorded normalized (test/harness/seen.ts), and the last suite compares
// the stand-in's with the real CLI's field by field: any difference is a stand-in defect.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import {
  EXAMPLES,
  githubWithImportOption,
  leaks,
  makeInConsole,
  oauthEnv,
  policyPack,
  programDir,
  QUICKSTART,
  repoRoot,
  stackSettings,
  type Example,
} from "../../scripts/demo/examples";
import { realPulumiCli, sh, standinExecutable, userEnv, workDir, type CliResult } from "../harness/cli-lines";
import { installPackOutside } from "../harness/pack-outside";
import { normalizeExport, seen, type Placeholders } from "../harness/seen";

const realPulumi = realPulumiCli();
const CLIS = [
  { name: "stand-in", title: "the Pulumi CLI stand-in (test/engine/bin/pulumi)", bin: standinExecutable },
  ...(realPulumi ? [{ name: "real", title: "real Pulumi CLI", bin: realPulumi }] : []),
];
const GITHUB = EXAMPLES.find((e) => e.dir === "github")!;
const TYPE = "pulumi-nodejs:dynamic/bytebase:GitOpsProvider";

/** What each CLI showed, by step: the comparison suite's input. */
const recorded: Record<string, Record<string, unknown>> = {};

let pack: { work: string; packDir: string };
beforeAll(() => {
  pack = installPackOutside();
}, 600_000);
afterAll(() => {
  if (pack) rmSync(pack.work, { recursive: true, force: true });
});

for (const cli of CLIS)
  describe(cli.title, { timeout: 600_000 }, () => {
    let bb: StartedLocalConsole;
    let work: string;
    let env: NodeJS.ProcessEnv;
    let secrets: string[] = [];
    const record: Record<string, unknown> = (recorded[cli.name] = {});
    const placeholders = (): Placeholders => ({
      [bb.url]: "<console>",
      [bb.externalUrl]: "<console>",
      [new URL(bb.externalUrl).host]: "<console-host>",
      ...Object.fromEntries(
        (["AZURE_DEVOPS", "BITBUCKET", "GITHUB", "GITLAB"] as const).map((t) => [bb.oauth.url(t), `<${t}>`]),
      ),
      [work]: "<work>",
      [pack.packDir]: "<pack>",
    });
    /** Runs a command line in `dir`, records what it showed under `step`, and checks that no secret was printed. */
    const run = async (step: string, dir: string, line: string, input?: string) => {
      const r = await sh(line, dir, env, input);
      record[step] = seen(r, placeholders());
      expect(leaks(secrets, { stdout: r.stdout, stderr: r.stderr }), step).toEqual([]);
      return r;
    };
    const exported = async (step: string, dir: string) => {
      const r = await sh("pulumi stack export", dir, env);
      expect(r.code, r.stderr).toBe(0);
      record[step] = normalizeExport(r.stdout, placeholders());
      return JSON.parse(r.stdout) as { deployment: { resources?: Json[]; pending_operations?: Json[] } };
    };
    const ok = (r: CliResult) => expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    /** A copy of an example's program in `work`, with a stack (`dev`) configured for the local console. */
    async function project(example: Example, name = example.dir, source?: string, stack = "dev") {
      const dir = join(work, name);
      mkdirSync(dir);
      for (const file of ["Pulumi.yaml", "index.ts", "package.json"])
        copyFileSync(join(programDir(example), file), join(dir, file));
      if (source) writeFileSync(join(dir, "index.ts"), source);
      const settings = stackSettings(example, bb);
      secrets = [...new Set([...secrets, ...settings.secrets])];
      ok(await sh(`pulumi stack init ${stack}`, dir, env));
      for (const [key, value] of Object.entries(settings.config)) {
        const secret = settings.secretKeys.includes(key) ? "--secret " : "";
        ok(await sh(`pulumi config set ${secret}${key}`, dir, env, value));
      }
      return dir;
    }

    beforeAll(async () => {
      bb = await startLocalConsole();
      work = workDir(`scenarios-${cli.name}`);
      mkdirSync(join(work, "home"));
      mkdirSync(join(work, "backend"));
      env = userEnv(
        join(work, "home"),
        { ...oauthEnv(bb), PULUMI_BACKEND_URL: `file://${join(work, "backend")}` },
        cli.bin,
      );
    }, 600_000);
    afterAll(async () => {
      await bb?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    describe("examples/quickstart", () => {
      let dir: string;
      const stateFile = () => join(work, "backend/.pulumi/stacks", QUICKSTART.project, "dev.json");
      beforeAll(async () => {
        dir = await project(QUICKSTART);
      }, 600_000);

      it("the policy pack installed outside the repository: a violation fails the preview; bad config is refused", async () => {
        const configFile = join(work, "policy-config.json");
        const config = policyPack(bb).config;
        const preview = `pulumi preview --non-interactive --policy-pack ${pack.packDir} --policy-pack-config ${configFile}`;
        writeFileSync(configFile, JSON.stringify(config));
        ok(
          await sh(
            "pulumi config set callbackUrl https://bytebase-staging.example.com/oauth/callback",
            dir,
            env,
          ),
        );
        const violation = await run("pack: a callback to another host", dir, preview);
        expect(violation.code).toBe(1);
        expect(violation.stdout).toContain(`    ❌ gitops-guard@v0.1.0 (local: ${pack.packDir})\n`);
        expect(violation.stdout).toContain(
          `        - [mandatory]  gitops-callback-url  (${TYPE}: azure-devops)\n`,
        );
        ok(await sh(`pulumi config set callbackUrl ${bb.externalUrl}/oauth/callback`, dir, env));

        // The CLI validates the config against the pack's schema (pkg/engine/update.go, "validating policy config")
        // and parses each enforcement level before that (apitype.EnforcementLevel).
        writeFileSync(
          configFile,
          JSON.stringify({
            ...config,
            "gitops-secret-expiry": { enforcementLevel: "mandatory", minDaysRemaining: "soon" },
          }),
        );
        const invalid = await run("pack: a setting of the wrong type", dir, preview);
        expect(invalid.code).toBe(1);
        expect(invalid.stdout).toContain(
          "    error: validating policy config: gitops-guard 0.1.0  gitops-secret-expiry: minDaysRemaining: Invalid type. Expected: integer, given: string\n",
        );
        expect(invalid.stderr).toBe("error: validating policy config\n");
        writeFileSync(
          configFile,
          JSON.stringify({ ...config, "gitops-secret-expiry": { enforcementLevel: "bogus" } }),
        );
        const level = await run("pack: an enforcement level that is none", dir, preview);
        expect(level.code).toBe(1);
        expect(level.stderr).toBe(
          'error: parsing enforcement level for "gitops-secret-expiry": "bogus" is not a valid enforcement level\n',
        );
        expect(bb.listProviders()).toEqual([]);
      });

      it("an up killed mid-create: its lock, cancel, the next up warns and adopts (no duplicate), refresh --clear-pending-creates", async () => {
        // The console answers each create 6 s late (and then makes it): the CLI is killed while waiting.
        const slow = bb.faults.inject({
          method: "POST",
          path: "/v1/externalVersionControls",
          latencyMs: 6000,
        });
        const child = spawn(cli.bin, ["up", "--yes", "--skip-preview", "--non-interactive"], {
          cwd: dir,
          env,
          detached: true,
          stdio: "ignore",
        });
        const exited = new Promise((done) => child.on("exit", done));
        const pending = () =>
          existsSync(stateFile())
            ? ((JSON.parse(readFileSync(stateFile(), "utf8")) as { checkpoint: { latest?: Json } }).checkpoint
                .latest?.pending_operations as Json[] | undefined)
            : undefined;
        // Killed once both creates reached the console (their pending operations are in the state before that).
        const creates = () =>
          bb.requests.filter((r) => r.method === "POST" && r.path === "/v1/externalVersionControls").length;
        try {
          for (let i = 0; i < 600 && creates() < 2; i++) await sleep(100);
        } finally {
          process.kill(-child.pid!, "SIGKILL");
          await exited;
        }
        expect(pending()?.map((op) => op.type)).toEqual(["creating", "creating"]);
        for (let i = 0; i < 200 && bb.listProviders().length < 2; i++) await sleep(100);
        slow();
        expect(bb.listProviders()).toHaveLength(2);

        const locked = await run("killed: the next up", dir, "pulumi up --yes --non-interactive");
        expect(locked.code).toBe(1);
        expect(locked.stderr).toContain(
          "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
        );
        ok(await run("killed: cancel", dir, "pulumi cancel --yes --non-interactive"));
        const again = await run("killed: up after cancel", dir, "pulumi up --yes --non-interactive");
        ok(again);
        expect(again.stdout).toContain(
          "    warning: Attempting to deploy or update resources with 2 pending operations from previous deployment.\n",
        );
        expect(again.stdout).toContain(
          `      * urn:pulumi:dev::${QUICKSTART.project}::${TYPE}::bitbucket, interrupted while creating\n`,
        );
        expect(again.stdout).toContain("    + 2 created\n");
        expect(again.stdout).toMatch(/Git provider "Bitbucket.org": adopted externalVersionControls\/\d+/);
        expect(bb.listProviders()).toHaveLength(2);
        expect((await exported("killed: state after up", dir)).deployment.pending_operations).toHaveLength(2);
        ok(
          await run(
            "killed: refresh --clear-pending-creates",
            dir,
            "pulumi refresh --yes --clear-pending-creates --non-interactive",
          ),
        );
        const state = await exported("killed: state after refresh", dir);
        expect(state.deployment.pending_operations).toBeUndefined();
        expect(state.deployment.resources?.filter((r) => r.type === TYPE)).toHaveLength(2);
      });

      it("refresh and destroy use the saved provider config; --run-program the current one", async () => {
        const setKey = (key: string) => sh("pulumi config set --secret bytebase:serviceKey", dir, env, key);
        ok(await setKey("bbs_not_the_key_0123456789"));
        ok(await run("saved: refresh", dir, "pulumi refresh --yes --non-interactive"));
        // The stand-in has no `refresh --run-program` (it says so): the real CLI's alone.
        if (cli.name === "real") {
          const current = "pulumi refresh --yes --run-program --non-interactive";
          const refreshCurrent = await run("saved: refresh --run-program", dir, current);
          expect(refreshCurrent.code).toBe(1);
          expect(refreshCurrent.stdout).toContain("the console answered 401 Unauthenticated");
        }
        const destroyCurrent = "pulumi destroy --yes --run-program --non-interactive";
        const refused = await run("saved: destroy --run-program", dir, destroyCurrent);
        expect(refused.code).toBe(1);
        // Both deletes wait on the one refused login: each error says what to do once.
        expect(refused.stdout).toContain("or run with the program: `pulumi destroy --run-program`");
        expect(refused.stdout).not.toContain("`pulumi destroy --run-program`. This was a delete");
        expect(bb.listProviders()).toHaveLength(2);
        // The failed `destroy --run-program` saved the program's provider, with the current (wrong) key: a plain
        // destroy now uses that, even after the key is put right in the config; `--run-program` takes the right one.
        ok(await setKey(bb.admin.key));
        expect(
          (
            await run(
              "saved: destroy after a failed destroy --run-program",
              dir,
              "pulumi destroy --yes --non-interactive",
            )
          ).code,
        ).toBe(1);
        ok(await run("saved: destroy --run-program with the right key", dir, destroyCurrent));
        expect(bb.listProviders()).toEqual([]);
        await exported("saved: state after destroy", dir);
      });
    });

    describe("examples/github: import", () => {
      const githubs = () =>
        bb
          .listProviders()
          .filter((p) => p.type === "GITHUB")
          .map((p) => p.id);
      it("importId adopts the provider the console has", async () => {
        const id = await makeInConsole(bb, "GITHUB");
        const dir = await project(GITHUB);
        ok(await sh(`pulumi config set importId ${id}`, dir, env));
        ok(await run("import: importId", dir, "pulumi up --yes --non-interactive"));
        const state = await exported("import: state after importId", dir);
        expect(state.deployment.resources?.find((r) => r.type === TYPE)?.id).toBe(id);
        expect(githubs()).toEqual([id]);
        ok(await sh("pulumi destroy --yes --non-interactive", dir, env));
        expect(githubs()).toEqual([]);
      });

      it("the import resource option fails as the README says, and makes nothing", async () => {
        const id = await makeInConsole(bb, "GITHUB");
        // Another stack of the same project (stack names are per project in the backend).
        const dir = await project(
          GITHUB,
          "github-import-option",
          githubWithImportOption(JSON.stringify(id)),
          "import-option",
        );
        const r = await run("import: the import resource option", dir, "pulumi up --yes --non-interactive");
        expect(r.code).toBe(1);
        // README.md, Adopting an existing Git provider: the provider host cannot load the provider.
        expect(r.stdout).toContain("code must be a string, not undefined");
        expect(githubs()).toEqual([id]);
      });

      // The stand-in has no `pulumi import` (it says so): this is the real CLI's alone.
      it.runIf(cli.name === "real")("pulumi import fails as the README says, and makes nothing", async () => {
        const [id] = githubs();
        const dir = join(work, GITHUB.dir);
        const r = await sh(`pulumi import ${TYPE} imported ${id} --yes --non-interactive`, dir, env);
        expect(r.code).toBe(1);
        // README.md, Adopting an existing Git provider: the engine's import Read carries no provider code.
        expect(r.stdout).toContain("error: Preview failed: code must be a string, not undefined");
        expect(githubs()).toEqual([id]);
      });
    });
  });

type Json = Record<string, unknown>;

// The stand-in answers to the real CLI: the same steps, the same things seen.
describe.runIf(realPulumi)("the stand-in shows what the real CLI shows", () => {
  it("step by step: exit code, errors, banners, resource lines, sections, state", () => {
    const [standin, real] = [recorded["stand-in"]!, recorded.real!];
    // Both sides, for reading a difference: .cache/cli-comparison.json.
    writeFileSync(join(repoRoot, ".cache", "cli-comparison.json"), JSON.stringify(recorded, null, 2));
    const realOnly = ["saved: refresh --run-program"];
    expect(Object.keys(standin).sort()).toEqual(
      Object.keys(real)
        .filter((s) => !realOnly.includes(s))
        .sort(),
    );
    for (const step of Object.keys(standin)) expect.soft(standin[step], step).toEqual(real[step]);
  });
});
