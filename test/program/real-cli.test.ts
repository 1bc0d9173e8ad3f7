// The same scenarios with the real thing, when it is there:
// - the real Pulumi CLI (when `pulumi` is on PATH): each example program with a local file backend in a temp
//   directory, against the local console, and each README's command lines as written; the same command lines
//   always run through the CLI stand-in (test/engine/bin/pulumi), so a difference between the two shows here first;
// - a real Bytebase console (BYTEBASE_URL, BYTEBASE_SERVICE_ACCOUNT and BYTEBASE_SERVICE_KEY, else 2.14.1 from the cache): the
//   provider's whole life through the real dynamic-provider host. It creates, renames and deletes one Bitbucket
//   Git provider titled "pulumi-bytebase-gitops test <random>" (fake credentials, not verified); the console needs an
//   external URL.
// Otherwise each suite is skipped, and its name says why.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { specFor } from "../../src/catalog";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { startProviderHost, type ProviderHost } from "../harness/provider-host";
import { providerText } from "../provider/fixture";
import {
  layOutProgramAndPack,
  localize,
  readmeCommands,
  realPulumiCli,
  sh,
  standinExecutable,
  userEnv,
} from "../harness/cli-lines";
import { sortedBy } from "../harness/unordered";
import { startRealBytebase, type StartedBytebase } from "../harness/real-bytebase";
import { isBuilt } from "../../scripts/bytebase/server";
import {
  asAdmin,
  EXAMPLES,
  policyPack,
  githubWithImportOption,
  leaks,
  makeInConsole,
  oauthEnv,
  programDir,
  repoRoot,
  stackSettings,
  TYPE_TOKEN,
  type Example,
} from "../../scripts/demo/examples";

const realPulumi = realPulumiCli();
/** The stand-in always; the real CLI where it is installed (a skipped suite says it is not). */
const CLIS = [
  { name: "the Pulumi CLI stand-in (test/engine/bin/pulumi)", bin: standinExecutable as string | undefined },
  { name: realPulumi ? "real Pulumi CLI" : "real Pulumi CLI (skipped: pulumi not on PATH)", bin: realPulumi },
];
const envConsole =
  process.env.BYTEBASE_URL && process.env.BYTEBASE_SERVICE_ACCOUNT && process.env.BYTEBASE_SERVICE_KEY
    ? {
        url: process.env.BYTEBASE_URL,
        serviceAccount: process.env.BYTEBASE_SERVICE_ACCOUNT,
        serviceKey: process.env.BYTEBASE_SERVICE_KEY,
      }
    : undefined;
/** Without a console in the environment, the last release with GitOpsProvider's API from this machine's cache. */
const GITOPS_RELEASE = "2.14.1";
const realConsole =
  envConsole ?? (isBuilt(GITOPS_RELEASE) ? { url: "", serviceAccount: "", serviceKey: "" } : undefined);
let startedConsole: StartedBytebase | undefined;

const describeConsole = realConsole ? describe : describe.skip;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

for (const { name, bin: pulumiBin } of CLIS)
  (pulumiBin ? describe : describe.skip)(name, { timeout: 300_000 }, () => {
    describe.each(EXAMPLES.map((e) => [e.dir, e] as const))("examples/%s", (_dir, example: Example) => {
      let bb: StartedLocalConsole;
      let work: string;
      let dir: string;
      let env: NodeJS.ProcessEnv;
      let secrets: string[];

      /** Runs `pulumi <args>` in the program's copy; fails the test on a non-zero exit unless `allowFailure`. */
      const pulumi = (args: string[], allowFailure = false) =>
        new Promise<CliResult>((resolve, reject) => {
          execFile(
            pulumiBin!,
            [...args, "--non-interactive"],
            { cwd: dir, env, maxBuffer: 64 << 20 },
            (error, stdout, stderr) => {
              const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
              const result = { code, stdout: String(stdout), stderr: String(stderr) };
              if (code !== 0 && !allowFailure)
                reject(
                  new Error(
                    `pulumi ${args.join(" ")} exited with ${code}:\n${result.stdout}\n${result.stderr}`,
                  ),
                );
              else resolve(result);
            },
          );
        });
      const exported = async () =>
        JSON.parse((await pulumi(["stack", "export"])).stdout) as {
          deployment: {
            resources?: Array<{ urn: string; type: string; id?: string; outputs?: Record<string, unknown> }>;
          };
        };
      const resourceOf = async (name: string) =>
        (await exported()).deployment.resources?.find(
          (r) => r.type === TYPE_TOKEN && r.urn.endsWith(`::${name}`),
        );
      const expectNoLeak = (result: CliResult) =>
        expect(leaks(secrets, { stdout: result.stdout, stderr: result.stderr })).toEqual([]);

      beforeAll(async () => {
        bb = await startLocalConsole();
        // Inside the repository, so that the program resolves @pulumi/pulumi and pulumi-bytebase-gitops from its
        // node_modules, as the example does.
        const cache = join(repoRoot, ".cache", "real-cli");
        mkdirSync(cache, { recursive: true });
        work = mkdtempSync(join(cache, `${example.dir}-`));
        dir = join(work, "program");
        mkdirSync(dir);
        mkdirSync(join(work, "backend"));
        for (const file of ["Pulumi.yaml", "index.ts", "package.json"])
          copyFileSync(join(programDir(example), file), join(dir, file));
        env = {
          ...process.env,
          ...oauthEnv(bb),
          PULUMI_BACKEND_URL: `file://${join(work, "backend")}`,
          PULUMI_CONFIG_PASSPHRASE: "real-cli-test-passphrase",
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
          NO_COLOR: "1",
        };
        const settings = stackSettings(example, bb);
        secrets = settings.secrets;
        await pulumi(["stack", "init", "dev"]);
        for (const [key, value] of Object.entries(settings.config)) {
          const secret = settings.secretKeys.includes(key) ? ["--secret"] : [];
          await pulumi(["config", "set", ...secret, key, value]);
        }
      }, 300_000);
      afterAll(async () => {
        if (pulumiBin && dir) await pulumi(["destroy", "--yes", "--skip-preview"], true);
        if (pulumiBin && dir) await pulumi(["stack", "rm", "dev", "--yes", "--force"], true);
        await bb?.close();
        if (work) rmSync(work, { recursive: true, force: true });
      }, 300_000);

      it("up creates the providers; outputs are there; the secrets are encrypted in the state", async () => {
        expectNoLeak(await pulumi(["up", "--yes", "--skip-preview"]));
        // The creates run in parallel: the console stores them in the order they reach it.
        expect(sortedBy(bb.listProviders(), (p) => p.type)).toEqual(
          sortedBy(example.providers, (p) => p.type).map((p) =>
            expect.objectContaining({
              type: p.type,
              title: specFor(p.type).defaultTitle,
              applicationId: bb.demoApps[p.type].applicationId,
            }),
          ),
        );
        const outputs = (await pulumi(["stack", "output", "--json"])).stdout;
        expect(outputs).toMatch(/externalVersionControls\/\d+/);
        expect(outputs).toContain(`${bb.url}/oauth/callback`);
        const state = await exported();
        expect(leaks(secrets, { state })).toEqual([]);
        const resources = state.deployment.resources!.filter((r) => r.type === TYPE_TOKEN);
        expect(resources).toHaveLength(example.providers.length);
        for (const resource of resources) {
          expect(resource.outputs!.secret).toMatchObject({ ciphertext: expect.any(String) });
          expect(String(resource.outputs!.__provider).length).toBeLessThan(2048);
        }
      });

      it("a second up changes nothing", async () => {
        expectNoLeak(await pulumi(["up", "--yes", "--expect-no-changes"]));
      });

      it("an edit updates in place; refresh picks up a change made in the console", async () => {
        const [key, value, resourceName] = example.edit;
        const { id } = (await resourceOf(resourceName))!;
        await pulumi(["config", "set", key, value]);
        expectNoLeak(await pulumi(["up", "--yes", "--skip-preview"]));
        expect(bb.listProviders().find((p) => p.id === id)).toMatchObject({ title: value });

        await asAdmin(bb, "PATCH", `v1/externalVersionControls/${id}?update_mask=title`, {
          title: "Edited in the UI",
        });
        expectNoLeak(await pulumi(["refresh", "--yes", "--skip-preview"]));
        expect((await resourceOf(resourceName))!.outputs!.title).toBe("Edited in the UI");
        await pulumi(["up", "--yes", "--skip-preview"]);
        expect(bb.listProviders().find((p) => p.id === id)).toMatchObject({ title: value });
      });

      it("a preview with the policy pack fails on a callback to another host, naming the policy", async () => {
        const pack = policyPack(bb);
        const configFile = join(work, "policy-config.json");
        writeFileSync(configFile, JSON.stringify(pack.config));
        await pulumi(["config", "set", "callbackUrl", "https://bytebase-staging.example.com/oauth/callback"]);
        const preview = await pulumi(
          ["preview", "--policy-pack", pack.dir, "--policy-pack-config", configFile],
          true,
        );
        await pulumi(["config", "set", "callbackUrl", `${bb.externalUrl}/oauth/callback`]);
        expect(preview.code).not.toBe(0);
        expect(preview.stdout + preview.stderr).toContain("gitops-callback-url");
        expectNoLeak(preview);
      });

      it("destroy deletes the providers from the console", async () => {
        expectNoLeak(await pulumi(["destroy", "--yes", "--skip-preview"]));
        expect(bb.listProviders()).toEqual([]);
      });

      it.runIf(example.dir === "github")(
        "the import resource option: adopts, or fails as pulumi/pulumi#16175 says, never makes a second provider",
        async () => {
          const id = await makeInConsole(bb, "GITHUB");
          const source = readFileSync(join(dir, "index.ts"), "utf8");
          writeFileSync(join(dir, "index.ts"), githubWithImportOption(JSON.stringify(id)));
          const result = await pulumi(["up", "--yes", "--skip-preview"], true);
          writeFileSync(join(dir, "index.ts"), source);
          expectNoLeak(result);
          if (result.code === 0) expect((await resourceOf("github"))?.id).toBe(id);
          else expect(result.stdout + result.stderr).toContain("code must be a string");
          expect(bb.listProviders().map((p) => p.id)).toEqual([id]);
        },
      );
    });
  });

/** The README commands of an example: the root README's for the quickstart, else the example's own README. */
const commandsOf = (example: Example) =>
  example.dir === "quickstart"
    ? readmeCommands(join(repoRoot, "README.md"), "### Run them with the Pulumi CLI")
    : readmeCommands(join(programDir(example), "README.md"));

// The READMEs' "Run them with the Pulumi CLI" / "Run it" command lines, unchanged but for the config values
// (pointed at the local console), run by a shell with the CLI first on PATH: the stand-in, and the real CLI.
for (const { name, bin: pulumiBin } of CLIS)
  (pulumiBin ? describe : describe.skip)(`${name}: the READMEs' command lines`, { timeout: 600_000 }, () => {
    describe.each(EXAMPLES.map((e) => [e.dir, e] as const))("examples/%s", (_dir, example: Example) => {
      let bb: StartedLocalConsole;
      let work: string;
      let dir: string;
      let env: NodeJS.ProcessEnv;
      let secrets: string[];
      const results: CliResult[] = [];
      const run = async (line: string) => {
        const r = await sh(line, dir, env);
        results.push(r);
        return r;
      };

      beforeAll(async () => {
        bb = await startLocalConsole();
        const cache = join(repoRoot, ".cache", "readme-lines");
        mkdirSync(cache, { recursive: true });
        work = mkdtempSync(join(cache, `${example.dir}-`));
        // The README's relative paths (../policy-pack) resolve as in examples/: the program and the pack side by side.
        dir = layOutProgramAndPack(work, example.dir, programDir(example), bb);
        mkdirSync(join(work, "home"));
        const settings = stackSettings(example, bb);
        secrets = settings.secrets;
        env = userEnv(join(work, "home"), oauthEnv(bb), pulumiBin!);
      });
      afterAll(async () => {
        await bb?.close();
        if (work) rmSync(work, { recursive: true, force: true });
      });

      it("login, stack init, config set, preview and up as written; up asks for --yes as the CLI does", async () => {
        const settings = stackSettings(example, bb);
        const lines = commandsOf(example);
        expect(lines.slice(0, 2)).toEqual(["pulumi login --local", "pulumi stack init dev"]);
        // Every key the README sets is one the example reads, and the other way round.
        const readmeKeys = lines
          .map((l) => /^pulumi config set (?:--secret )?(\S+)/.exec(l)?.[1])
          .filter((k): k is string => !!k)
          .map((k) => (k.includes(":") ? k : `${example.project}:${k}`));
        expect(readmeKeys.sort()).toEqual(Object.keys(settings.config).sort());

        for (const line of lines.map((l) => localize(l, example.project, settings.config))) {
          const r = await run(line);
          if (line === "pulumi up") {
            // Without a terminal the CLI refuses to update without --yes (operations/io.go); the same line with it.
            expect(r.code, r.stderr).toBe(2);
            expect(r.stderr).toContain("--yes or --skip-preview or --preview-only must be passed in");
            const up = await run("pulumi up --yes");
            expect(up.code, up.stdout + up.stderr).toBe(0);
            expect(up.stdout).toContain("Updating (dev):");
            expect(up.stdout).toContain(`    + ${example.providers.length + 1} created\n`);
            continue;
          }
          expect(r.code, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
          if (line.startsWith("pulumi preview")) {
            expect(r.stdout).toMatch(/^Previewing update \(dev\):\n/);
            for (const p of example.providers)
              expect(r.stdout).toContain(
                ` +  pulumi-nodejs:dynamic/bytebase:GitOpsProvider ${p.resourceName} create \n`,
              );
            expect(r.stdout).toContain(`Resources:\n    + ${example.providers.length + 1} to create\n`);
            if (line.includes("--policy-pack")) expect(r.stdout).toMatch(/Policies:\n {4}✅ gitops-guard@v/);
          }
        }
        // Created in parallel: in the console in the order they reached it.
        expect(
          bb
            .listProviders()
            .map((p) => p.type)
            .sort(),
        ).toEqual(example.providers.map((p) => p.type).sort());
      });

      it.runIf(example.dir !== "quickstart")(
        "the README's check with the policy pack, as written, passes the created providers",
        async () => {
          const lines = readmeCommands(
            join(programDir(example), "README.md"),
            "Check it with the policy pack",
          );
          expect(lines).toEqual([
            "pulumi preview --policy-pack ../policy-pack --policy-pack-config ../policy-pack/policy-config.json",
          ]);
          const r = await run(lines[0]!);
          expect(r.code, r.stdout + r.stderr).toBe(0);
          expect(r.stdout).toMatch(/Policies:\n {4}✅ gitops-guard@v/);
        },
      );

      it("prints no secret, stores none in plain text; destroy and stack rm leave nothing behind", async () => {
        const state = readFileSync(join(work, "home/.pulumi/stacks", example.project, "dev.json"), "utf8");
        expect(state).toContain('"ciphertext"');
        const config = readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8");
        expect(leaks(secrets, { results, state, config })).toEqual([]);
        expect((await run("pulumi destroy --yes")).code).toBe(0);
        expect(bb.listProviders()).toEqual([]);
        expect((await run("pulumi stack rm dev --yes")).code).toBe(0);
      });
    });
  });

describeConsole(
  envConsole
    ? `real Bytebase console at ${envConsole.url}`
    : realConsole
      ? `real Bytebase console (${GITOPS_RELEASE} from the cache)`
      : `real Bytebase console (skipped: BYTEBASE_URL, BYTEBASE_SERVICE_ACCOUNT, BYTEBASE_SERVICE_KEY not set, and Bytebase ${GITOPS_RELEASE} is not in the cache)`,
  { timeout: 120_000 },
  () => {
    const suffix = randomBytes(4).toString("hex");
    const alnum = (n: number) =>
      Array.from(
        randomBytes(n),
        (b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[b % 62],
      ).join("");
    const inputs = {
      type: "BITBUCKET",
      applicationId: alnum(18),
      secret: alnum(32),
      title: `pulumi-bytebase-gitops test ${suffix}`,
      scopes: ["account", "webhook", "repository:write"],
      verifyCredentials: false,
    };
    let host: ProviderHost;
    let provider: string;
    let id = "";
    let outs: Record<string, unknown> = {};
    let checked: Record<string, unknown> = {};

    beforeAll(async () => {
      if (!envConsole) {
        startedConsole = await startRealBytebase(GITOPS_RELEASE);
        Object.assign(realConsole!, {
          url: startedConsole.url,
          serviceAccount: startedConsole.serviceAccount.email,
          serviceKey: startedConsole.serviceAccount.secret,
        });
      }
      host = await startProviderHost({ cwd: repoRoot });
      await host.configure({
        "bytebase:url": realConsole!.url,
        "bytebase:serviceAccount": realConsole!.serviceAccount,
        "bytebase:serviceKey": realConsole!.serviceKey,
      });
      provider = await providerText();
    });
    afterAll(async () => {
      if (id) await host?.delete(provider, id, outs).catch(() => undefined);
      await host?.close();
      await startedConsole?.stop();
    });
    const noLeak = (...texts: unknown[]) =>
      expect(leaks([realConsole!.serviceKey, inputs.secret], { texts, host: host.stderr() })).toEqual([]);

    it("creates a Git provider and reads it back", async () => {
      const check = await host.check(provider, {}, inputs);
      expect(check.failures).toEqual([]);
      checked = check.inputs;
      const created = await host.create(provider, checked);
      ({ id, outs } = created);
      expect(id).toMatch(/^\d+$/);
      expect(outs).toMatchObject({
        name: expect.stringMatching(new RegExp(`/${id}$`)),
        title: inputs.title,
        type: "BITBUCKET",
      });
      expect(outs.callbackUrl).toMatch(/\/oauth\/callback$/);
      const read = await host.read(provider, id, outs);
      expect(read.id).toBe(id);
      expect(read.outs).toMatchObject({ title: inputs.title, applicationId: inputs.applicationId });
      const { secret: _secret, connection: _connection, ...plain } = outs;
      noLeak(plain, read.inputs.title);
    });

    it("diffs to nothing, renames in place, and deletes", async () => {
      expect(await host.diff(provider, id, outs, checked)).toMatchObject({ changes: "none" });
      const renamed = (await host.check(provider, checked, { ...inputs, title: `${inputs.title} renamed` }))
        .inputs;
      expect(await host.diff(provider, id, outs, renamed)).toMatchObject({ changes: "some", replaces: [] });
      outs = (await host.update(provider, id, outs, renamed)).outs;
      expect((await host.read(provider, id, outs)).outs.title).toBe(`${inputs.title} renamed`);
      await host.delete(provider, id, outs);
      expect((await host.read(provider, id, outs)).id).toBe("");
      id = "";
      noLeak();
    });
  },
);
