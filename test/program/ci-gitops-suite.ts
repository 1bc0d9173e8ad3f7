// The suite of examples/ci-gitops as its README tells a user to run it (run by ci-gitops.test.ts on the stand-in and
// real-cli-ci-gitops.test.ts on the real CLI): the README's command lines, unchanged but for the config
// values, through the `pulumi` first on PATH (the stand-in here), against a Bytebase 3.21 local console: three
// identities and their bindings made, the workflow files output and checked; GitOpsGuard passes it as declared and
// stops a `repo:acme/*` deploy identity in a preview; destroy leaves the console's policy as it found it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { leaks, repoRoot } from "../../scripts/demo/examples";
import {
  layOutProgramAndPack,
  localize,
  readmeCommands,
  sh,
  standinExecutable,
  userEnv,
  workDir,
  type CliResult,
} from "../harness/cli-lines";
import { call } from "../local-console/helpers";

const PROJECT = "bytebase-ci-gitops";

const EXAMPLE = join(repoRoot, "examples/ci-gitops");

/** The suite, with the `pulumi` of `bin` first on PATH (the stand-in, or the real CLI: ./real-cli-ci-gitops.test.ts). */
export function ciGitopsSuite(name: string, bin: string): void {
  describe(
    `examples/ci-gitops: the README's command lines on a 3.21 console, ${name}`,
    { timeout: 600_000 },
    () => {
      let bb: StartedLocalConsole;
      let work: string;
      let dir: string;
      let env: NodeJS.ProcessEnv;
      let config: Record<string, string>;
      const results: CliResult[] = [];
      const run = async (line: string, ok = true) => {
        const r = await sh(line, dir, env);
        results.push(r);
        if (ok) expect(r.code, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
        return r;
      };
      const policy = async () => {
        const login = await call(bb.url, "POST", "/v1/auth/login", {
          body: { email: bb.admin.email, password: bb.admin.key },
        });
        const got = await call(bb.url, "GET", "/v1/projects/shop:getIamPolicy", {
          token: login.json.token as string,
        });
        return (got.json.bindings ?? []) as Array<{ role: string; members: string[] }>;
      };

      beforeAll(async () => {
        bb = await startLocalConsole({ version: "3.21" });
        bb.vcs.addProject("shop");
        work = workDir("ci-gitops");
        dir = layOutProgramAndPack(work, "ci-gitops", EXAMPLE, bb);
        mkdirSync(join(work, "home"));
        config = {
          "bytebase:url": bb.url,
          "bytebase:serviceAccount": bb.admin.email,
          "bytebase:serviceKey": bb.admin.key,
          [`${PROJECT}:project`]: "shop",
          [`${PROJECT}:repository`]: "acme/shop",
          [`${PROJECT}:target`]: "instances/prod-pg/databases/shop",
          [`${PROJECT}:bytebaseUrl`]: "https://bytebase.acme.com",
          [`${PROJECT}:bytebaseVersion`]: "3.21.1",
        };
        env = userEnv(join(work, "home"), {}, bin);
      });
      afterAll(async () => {
        // The real CLI's `--local` backend is the user's own ~/.pulumi: leave no stack of this test there.
        if (dir && bin !== standinExecutable) await sh("pulumi stack rm dev --yes --force", dir, env);
        await bb?.close();
        if (work) rmSync(work, { recursive: true, force: true });
      });

      it("creates the identities and their bindings, and outputs the checked workflow files", async () => {
        const lines = readmeCommands(join(EXAMPLE, "README.md"));
        for (const line of lines.map((l) => localize(l, PROJECT, config)))
          await run(line === "pulumi up" ? "pulumi up --yes" : line);
        // The CLI creates the bindings in parallel: their order in the policy is the order they landed.
        const bindings = (await policy()).map((b) => [b.role, [...b.members].sort()]).sort();
        expect(bindings).toEqual([
          [
            "roles/gitopsServiceAgent",
            [
              "workloadIdentity:deploy-prod@shop.workload.bytebase.com",
              "workloadIdentity:deploy-test@shop.workload.bytebase.com",
            ],
          ],
          ["roles/projectDeveloper", ["workloadIdentity:sql-review@shop.workload.bytebase.com"]],
        ]);
        const outputs = JSON.parse((await run("pulumi stack output --json")).stdout) as {
          files: Record<string, string>;
          identities: Record<string, string>;
        };
        expect(outputs.identities).toEqual({
          check: "sql-review@shop.workload.bytebase.com",
          "deploy-test": "repo:acme/shop:environment:test",
          "deploy-prod": "repo:acme/shop:environment:prod",
        });
        const release = load(outputs.files[".github/workflows/release.yml"]!) as {
          jobs: Record<string, { environment: string; env: Record<string, string> }>;
        };
        expect(
          Object.entries(release.jobs).map(([id, j]) => [
            id,
            j.environment,
            j.env.BYTEBASE_WORKLOAD_IDENTITY,
          ]),
        ).toEqual([
          ["deploy-to-test", "test", "deploy-test@shop.workload.bytebase.com"],
          ["deploy-to-prod", "prod", "deploy-prod@shop.workload.bytebase.com"],
        ]);
      });

      it("passes GitOpsGuard as declared; a repo:acme/* deploy identity is stopped in a preview", async () => {
        const pack = "--policy-pack ../policy-pack --policy-pack-config ../policy-pack/policy-config.json";
        const fine = await run(`pulumi preview ${pack}`);
        expect(fine.stdout).not.toContain("[mandatory]");
        const program = readFileSync(join(dir, "index.ts"), "utf8");
        writeFileSync(
          join(dir, "index.ts"),
          program.replace("subject: { repository, environment },", 'subject: "repo:acme/*",'),
        );
        const stopped = await run(`pulumi preview ${pack}`, false);
        expect(stopped.code).not.toBe(0);
        expect(stopped.stdout).toContain("gitops-identity-subject");
        expect(stopped.stdout).toContain("'repo:acme/*'");
        writeFileSync(join(dir, "index.ts"), program);
      });

      it("keeps the service key out of the outputs and state; destroy removes only its own bindings", async () => {
        // `pulumi stack export`: the real CLI keeps a `--local` state under the user's home whatever HOME says.
        const state = (await run("pulumi stack export")).stdout;
        expect(state).toContain("pulumi-nodejs:dynamic/bytebase:ProjectIamMember");
        expect(leaks([bb.admin.key], { results, state })).toEqual([]);
        await run("pulumi destroy --yes");
        expect(await policy()).toEqual([]);
      });
    },
  );
}
