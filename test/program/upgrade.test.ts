// examples/upgrade-2.15 end to end, as its README says, through the Pulumi CLI stand-in (test/engine/bin/pulumi)
// from a shell: a 2.14 console and the stack's `up`; the console stopped and started as 2.15 on the same state file
// (migrated as Bytebase 2.15.0 does); the program switched to VcsProviders, the GitOpsProviders deleted from the
// state, `up`: the same providers with tokens, no duplicate; a second `up` changes nothing.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GIT_PROVIDER_TYPES } from "../../src/catalog";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { gitApiEnv, leaks, oauthEnv, repoRoot } from "../../scripts/demo/examples";
import { localize, PASSPHRASE, sh, userEnv, workDir, type CliResult } from "../harness/cli-lines";
import { loadState } from "../engine/state-file";
import { sortedBy } from "../harness/unordered";

const EXAMPLE = join(repoRoot, "examples", "upgrade-2.15");
const README = join(EXAMPLE, "README.md");
const PROJECT = "bytebase-upgrade";
const GITOPS = "pulumi-nodejs:dynamic/bytebase:GitOpsProvider";
const VCS = "pulumi-nodejs:dynamic/bytebase:VcsProvider";

/** The command lines of the first ```sh block after `heading`, comments removed. */
function steps(heading: string): string[] {
  const text = readFileSync(README, "utf8");
  const at = text.indexOf(heading);
  if (at < 0) throw new Error(`${README} has no "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(at))![1]!;
  return block
    .split("\n")
    .map((l) => l.replace(/\s+#\s.*$/, "").trim())
    .filter((l) => l && !l.startsWith("#"));
}

describe("examples/upgrade-2.15: the README's walkthrough on the local console", { timeout: 600_000 }, () => {
  let work: string;
  let dir: string;
  let consoleState: string;
  let bb: StartedLocalConsole;
  let env: NodeJS.ProcessEnv;
  const config: Record<string, string> = {};
  const secrets: string[] = [];
  const results: CliResult[] = [];
  const run = async (line: string) => {
    const r = await sh(localize(line, PROJECT, config), dir, env);
    results.push(r);
    return r;
  };
  const stackState = () => loadState(join(work, "home/.pulumi/stacks", PROJECT, "dev.json"), PASSPHRASE);
  const writes = () => bb.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/auth/login"));

  beforeAll(async () => {
    work = workDir("upgrade");
    dir = join(work, "upgrade-2.15");
    mkdirSync(dir);
    mkdirSync(join(work, "home"));
    for (const file of ["Pulumi.yaml", "package.json", "index.ts", "index-2.15.ts"])
      copyFileSync(join(EXAMPLE, file), join(dir, file));
    consoleState = join(work, "bytebase.json");
    bb = await startLocalConsole({ version: "2.14", stateFile: consoleState });
    env = userEnv(join(work, "home"), { ...oauthEnv(bb), ...gitApiEnv(bb) });
    Object.assign(config, {
      "bytebase:url": bb.url,
      "bytebase:serviceAccount": bb.admin.email,
      "bytebase:serviceKey": bb.admin.key,
      [`${PROJECT}:callbackUrl`]: `${bb.externalUrl}/oauth/callback`,
      [`${PROJECT}:gitlabApplicationId`]: bb.demoApps.GITLAB.applicationId,
      [`${PROJECT}:gitlabSecret`]: bb.demoApps.GITLAB.secret,
      [`${PROJECT}:azureAppId`]: bb.demoApps.AZURE_DEVOPS.applicationId,
      [`${PROJECT}:azureClientSecret`]: bb.demoApps.AZURE_DEVOPS.secret,
    });
    secrets.push(bb.admin.key, bb.demoApps.GITLAB.secret, bb.demoApps.AZURE_DEVOPS.secret);
  });
  afterAll(async () => {
    await bb?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("1. on 2.14: the program's GitOpsProviders are made", async () => {
    for (const line of steps("## 1. The stack on Bytebase 2.14")) {
      const r = await run(line);
      expect(r.code, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    // The two creates run in parallel, as the CLI runs independent steps: which one the console numbered first, and
    // where each is in the snapshot (pkg/backend/snapshot.go: as their steps complete), is not fixed.
    const made = sortedBy(bb.listProviders(), (p) => p.type);
    expect(made).toEqual([
      expect.objectContaining({ type: "AZURE_DEVOPS", title: "Azure DevOps" }),
      expect.objectContaining({ type: "GITLAB", title: "GitLab", url: "https://gitlab.com" }),
    ]);
    expect(made.map((p) => p.id).sort()).toEqual(["101", "102"]);
    expect(
      stackState()
        .resources.filter((r) => r.type === GITOPS)
        .map((r) => [r.name, r.id])
        .sort(),
    ).toEqual([
      ["azure-devops", made[0]!.id],
      ["gitlab", made[1]!.id],
    ]);
  });

  it("2. the console restarted as 2.15 on its state file: the providers migrated, without credentials", async () => {
    const lines = steps("## 2. Upgrade the console");
    expect(lines).toEqual([
      "npm run console -- --version 2.14 --state bytebase.json",
      "npm run console -- --version 2.15 --state bytebase.json",
    ]);
    // What those two lines do, on the same ports (the CLI's 8080 and the next four, here free ones).
    const port = Number(new URL(bb.url).port);
    const oauthPorts = Object.fromEntries(
      GIT_PROVIDER_TYPES.map((t) => [t, Number(new URL(bb.oauth.url(t)).port)]),
    );
    const before = bb.url;
    await bb.close();
    bb = await startLocalConsole({ version: "2.15", stateFile: consoleState, port, oauthPorts });
    expect(bb.url).toBe(before);
    // Migrated in the order of their 2.14 ids, which step 1's parallel creates decided.
    expect(sortedBy(bb.vcs.providers(), (p) => p.resourceId)).toEqual([
      {
        resourceId: "azure_devops",
        title: "Azure DevOps",
        type: "AZURE_DEVOPS",
        url: "https://dev.azure.com",
        accessToken: "",
      },
      { resourceId: "gitlab", title: "GitLab", type: "GITLAB", url: "https://gitlab.com", accessToken: "" },
    ]);
    config[`${PROJECT}:gitlabToken`] = bb.demoTokens!.GITLAB.token;
    config[`${PROJECT}:azureDevOpsToken`] = bb.demoTokens!.AZURE_DEVOPS.token;
    secrets.push(bb.demoTokens!.GITLAB.token, bb.demoTokens!.AZURE_DEVOPS.token);
  });

  it("3. switched to VcsProviders, old resources out of the state: the same providers get their tokens, no duplicate", async () => {
    const lines = steps("## 3. Switch the program");
    expect(lines[0]).toBe("cp index-2.15.ts index.ts");
    const [last, first] = [lines.at(-1)!, lines.at(-2)!];
    expect([first, last]).toEqual(["pulumi up --yes", "pulumi up --yes --expect-no-changes"]);
    for (const line of lines.slice(0, -2)) {
      const r = await run(line);
      expect(r.code, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
      if (line.startsWith("pulumi state delete")) expect(r.stdout).toBe("Resource deleted\n");
    }
    expect(stackState().resources.filter((r) => r.type === GITOPS)).toEqual([]);

    const up = await run(first);
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain("Resources:\n    + 2 created\n    1 unchanged\n");
    // Adopted, not made: no POST, one PATCH of the token each (the titles and URLs are the migrated ones).
    // The two creates run in parallel, as the CLI runs independent steps, so their order is not fixed.
    const patches = writes().map((w) => [w.method, w.path, decodeURIComponent(w.query)]);
    expect(patches.sort()).toEqual([
      ["PATCH", "/v1/vcsProviders/azure_devops", "update_mask=access_token"],
      ["PATCH", "/v1/vcsProviders/gitlab", "update_mask=access_token"],
    ]);
    expect(sortedBy(bb.vcs.providers(), (p) => p.resourceId)).toEqual([
      expect.objectContaining({
        resourceId: "azure_devops",
        title: "Azure DevOps",
        accessToken: bb.demoTokens!.AZURE_DEVOPS.token,
      }),
      expect.objectContaining({
        resourceId: "gitlab",
        title: "GitLab",
        accessToken: bb.demoTokens!.GITLAB.token,
      }),
    ]);
    const vcs = stackState().resources.filter((r) => r.type === VCS);
    // The snapshot lists resources as their steps complete (pkg/backend/snapshot.go), so the order is not fixed.
    expect(vcs.map((r) => [r.name, r.id, r.outputs.name]).sort()).toEqual([
      ["azure-devops", "azure_devops", "vcsProviders/azure_devops"],
      ["gitlab", "gitlab", "vcsProviders/gitlab"],
    ]);
    for (const r of vcs) expect(r.secretOutputs).toContain("accessToken");

    const again = await run(last);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    expect(again.stdout).toContain("Resources:\n    3 unchanged\n");
    expect(writes()).toHaveLength(2);
    expect(bb.vcs.providers()).toHaveLength(2);
  });

  it("printed no secret and stored none in plain text", () => {
    const state = readFileSync(join(work, "home/.pulumi/stacks", PROJECT, "dev.json"), "utf8");
    expect(state).toContain('"ciphertext"');
    const stackConfig = readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8");
    expect(leaks(secrets, { results, state, stackConfig })).toEqual([]);
  });
});
