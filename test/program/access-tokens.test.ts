// examples/access-tokens as its README tells a user to run it: the README's command lines, unchanged but for the
// config values, through the `pulumi` first on PATH (the stand-in here), against a Bytebase 2.15 local console whose
// fake GitLab and GitHub issued the tokens; then an in-place edit of the connector, and destroy.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { gitApiEnv, leaks, repoRoot } from "../../scripts/demo/examples";
import {
  layOutProgramAndPack,
  localize,
  readmeCommands,
  sh,
  userEnv,
  workDir,
  type CliResult,
} from "../harness/cli-lines";

const PROJECT = "bytebase-access-tokens";
const EXAMPLE = join(repoRoot, "examples/access-tokens");
const REPOSITORY = "platform/db-schema";

describe("examples/access-tokens: the README's command lines on a 2.15 console", { timeout: 600_000 }, () => {
  let bb: StartedLocalConsole;
  let work: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let config: Record<string, string>;
  const results: CliResult[] = [];
  const run = async (line: string) => {
    const r = await sh(line, dir, env);
    results.push(r);
    expect(r.code, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };

  beforeAll(async () => {
    bb = await startLocalConsole({ version: "2.15" });
    bb.vcs.addProject("db-schema");
    work = workDir("access-tokens");
    dir = layOutProgramAndPack(work, "access-tokens", EXAMPLE, bb);
    mkdirSync(join(work, "home"));
    config = {
      "bytebase:url": bb.url,
      "bytebase:serviceAccount": bb.admin.email,
      "bytebase:serviceKey": bb.admin.key,
      [`${PROJECT}:gitlabToken`]: bb.git.issueToken("GITLAB", { repositories: [REPOSITORY] }).token,
      [`${PROJECT}:githubToken`]: bb.git.issueToken("GITHUB").token,
      [`${PROJECT}:project`]: "db-schema",
      [`${PROJECT}:repository`]: REPOSITORY,
    };
    env = userEnv(join(work, "home"), gitApiEnv(bb));
  });
  afterAll(async () => {
    await bb?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("creates both providers (tokens checked at GitLab and GitHub) and the connector with its webhook", async () => {
    const lines = readmeCommands(join(EXAMPLE, "README.md"));
    expect(lines.slice(0, 2)).toEqual(["pulumi login --local", "pulumi stack init dev"]);
    for (const line of lines.map((l) => localize(l, PROJECT, config)))
      await run(line === "pulumi up" ? "pulumi up --yes" : line);
    expect(
      bb.vcs
        .providers()
        .map((p) => `${p.resourceId} ${p.type}`)
        .sort(),
    ).toEqual(["github-com GITHUB", "gitlab-com GITLAB"]);
    expect(bb.vcs.connectors()).toMatchObject([
      {
        project: "db-schema",
        resourceId: "schema",
        vcsProvider: "gitlab-com",
        fullPath: REPOSITORY,
        branch: "main",
      },
    ]);
    expect(bb.git.hooks("GITLAB", REPOSITORY)).toHaveLength(1);
    const outputs = JSON.parse((await run("pulumi stack output --json")).stdout) as Record<string, unknown>;
    expect(outputs).toMatchObject({
      providers: ["vcsProviders/gitlab-com", "vcsProviders/github-com"],
      connectorName: "projects/db-schema/vcsConnectors/schema",
      verification: {
        gitlab: {
          checks: expect.arrayContaining([
            expect.objectContaining({ check: "permissions", outcome: "verified" }),
          ]),
        },
      },
    });
  });

  it("passes GitOpsGuard as declared (token permissions, connector branch and base directory)", async () => {
    const preview = await run(
      "pulumi preview --policy-pack ../policy-pack --policy-pack-config ../policy-pack/policy-config.json",
    );
    expect(preview.stdout).not.toContain("[mandatory]");
    // The one advice: no database group, so Bytebase plans each change for every database of the project.
    expect(preview.stdout).toContain("[advisory]  gitops-connector-database-group");
  });

  it("updates the connector's branch in place, with exactly that mask", async () => {
    bb.git.addBranch("GITLAB", REPOSITORY, "release");
    await run("pulumi config set branch release");
    const from = bb.requests.length;
    const up = await run("pulumi up --yes");
    expect(up.stdout).toContain("~ 1 updated");
    const writes = bb.requests
      .slice(from)
      .filter((r) => r.method !== "GET" && !r.path.endsWith("/auth/login"));
    expect(writes).toEqual([
      { method: "PATCH", path: "/v1/projects/db-schema/vcsConnectors/schema", query: "update_mask=branch" },
    ]);
    expect(bb.vcs.connectors()[0]?.branch).toBe("release");
  });

  it("prints and stores no token in plain text; destroy removes the connector, its webhook and the providers", async () => {
    const state = readFileSync(join(work, "home/.pulumi/stacks", PROJECT, "dev.json"), "utf8");
    const stackConfig = readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8");
    const secrets = [config[`${PROJECT}:gitlabToken`]!, config[`${PROJECT}:githubToken`]!, bb.admin.key];
    expect(leaks(secrets, { results, state, stackConfig })).toEqual([]);
    await run("pulumi destroy --yes");
    expect(bb.vcs.connectors()).toEqual([]);
    expect(bb.git.hooks("GITLAB", REPOSITORY)).toEqual([]);
    expect(bb.vcs.providers()).toEqual([]);
  });
});
