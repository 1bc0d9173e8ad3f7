// The main job, end to end: `npm run demo`'s script, as a newcomer runs it, must succeed and tell its story: on the
// test engine (no `pulumi` on PATH), and with `--real-cli` on the real Pulumi CLI where it is installed.
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/demo/examples";
import { realPulumiCli } from "../harness/cli-lines";

const real = realPulumiCli();
/** PATH without the real CLI's directory: the demo then runs on the test engine. */
const withoutReal = (process.env.PATH ?? "")
  .split(":")
  .filter((d) => !real || d !== dirname(real))
  .join(":");
const RUNS = [
  {
    engine: "the test engine",
    args: [] as string[],
    path: withoutReal,
    says: "engine          the test engine",
    rotated: "~  GitOpsProvider azure-devops   updated  [secret]",
  },
  ...(real
    ? [
        {
          engine: "the real Pulumi CLI (--real-cli)",
          args: ["--real-cli"],
          path: process.env.PATH ?? "",
          says: "engine          the Pulumi CLI (",
          // The CLI's events carry no diffs for a dynamic resource: the demo compares their inputs, where a changed
          // secret comes masked, so the rotation names no property.
          rotated: "~  GitOpsProvider azure-devops   updated",
        },
      ]
    : []),
];

describe.each(RUNS)("npm run demo on $engine", ({ args, path, says, rotated }) =>
  it(
    "preview with a policy violation, corrected, up, drift, refresh, rotation, destroy; the 2.15 upgrade; the CI era",
    { timeout: 900_000 }, // three stacks; minutes on a loaded machine
    async () => {
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
        (resolve) =>
          execFile(
            join(repoRoot, "node_modules/.bin/tsx"),
            [join(repoRoot, "scripts/demo.ts"), ...args],
            { cwd: repoRoot, maxBuffer: 16 << 20, env: { ...process.env, PATH: path } },
            (error, out, err) =>
              resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err }),
          ),
      );
      expect(stderr.replace(/^npm warn.*\n/gm, "")).toBe("");
      expect(code).toBe(0);
      const steps = [
        "1. A local Bytebase-compatible console",
        says,
        "MANDATORY gitops-callback-url on azure-devops",
        "The preview passes.",
        "3. pulumi up",
        "+  GitOpsProvider azure-devops   created",
        "PATCH /v1/externalVersionControls/",
        "~  GitOpsProvider bitbucket      changed outside Pulumi:  [title]",
        rotated,
        "-  GitOpsProvider bitbucket      deleted",
        "The console's Git providers now (GET /v1/externalVersionControls): 0",
        "8. Bytebase 2.15: the console upgraded",
        'vcsProviders/azure_devops    AZURE_DEVOPS  "Azure DevOps"   https://dev.azure.com    no token',
        "+  VcsProvider gitlab         created",
        "PATCH /v1/vcsProviders/gitlab?update_mask=access_token",
        'vcsProviders/gitlab          GITLAB        "GitLab"         https://gitlab.com       token set',
        "-  VcsProvider gitlab         deleted",
        "The console's Git providers now (GET /v1/vcsProviders): 0",
        "9. Bytebase 3.21: GitOps in the CI",
        "+  resource check",
        "deploy-prod  repo:acme/shop:environment:prod",
        "Workflow files (each job's sub matched with Bytebase's rule): .github/workflows/release.yml, .github/workflows/sql-review.yml",
        "no secret was printed",
      ];
      let at = 0;
      for (const step of steps) {
        const found = stdout.indexOf(step, at);
        expect(found, `"${step}" after position ${at} in:\n${stdout}`).toBeGreaterThanOrEqual(0);
        at = found;
      }
    },
  ),
);
