// `Resource.get` for each resource: a program reads the console's existing Git provider or connector by id, through
// the test engine (the real Node runtime and dynamic-provider host), into the state as external: its outputs are the
// console's, nothing is written, and destroy forgets it without deleting it from the console.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { LocalStack, reveal } from "../engine";
import { makeInConsole, newStackDir, PASSPHRASE } from "../../scripts/demo/examples";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { GitOpsProvider, VcsConnector, VcsProvider } from "pulumi-bytebase-gitops";

const cfg = new pulumi.Config();
const gitops = cfg.get("gitopsId");
const vcs = cfg.get("vcsProviderId");
const connector = cfg.get("connectorId");
export const gitOpsProvider = gitops
  ? (({ name, title, type, consoleCallbackUrl }) => ({ name, title, type, consoleCallbackUrl }))(
      GitOpsProvider.get("existing", gitops),
    )
  : {};
export const vcsProvider = vcs
  ? (({ name, resourceId, title, instanceUrl }) => ({ name, resourceId, title, instanceUrl }))(VcsProvider.get("existing", vcs))
  : {};
export const vcsConnector = connector
  ? (({ name, project, repository, branch }) => ({ name, project, repository, branch }))(
      VcsConnector.get("existing-connector", connector),
    )
  : {};
`;

let dir: string;
beforeAll(() => {
  dir = newStackDir("get");
  mkdirSync(join(dir, "program"));
  writeFileSync(join(dir, "program", "Pulumi.yaml"), "name: get-existing\nruntime: nodejs\n");
  writeFileSync(join(dir, "program", "package.json"), '{ "name": "get-existing", "main": "index.ts" }\n');
  writeFileSync(join(dir, "program", "index.ts"), PROGRAM);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function stackOn(bb: StartedLocalConsole, own: Record<string, string>, name: string): LocalStack {
  return new LocalStack({
    programDir: join(dir, "program"),
    project: "get-existing",
    stack: name,
    config: {
      "bytebase:url": bb.url,
      "bytebase:serviceAccount": bb.admin.email,
      "bytebase:serviceKey": bb.admin.key,
      ...Object.fromEntries(Object.entries(own).map(([k, v]) => [`get-existing:${k}`, v])),
    },
    secretKeys: ["bytebase:serviceKey"],
    stateFile: join(dir, `${name}.json`),
    passphrase: PASSPHRASE,
  });
}

const writes = (bb: StartedLocalConsole) =>
  bb.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/auth/login"));

describe("GitOpsProvider.get on a 2.14 console", { timeout: 240_000 }, () => {
  let bb: StartedLocalConsole;
  beforeAll(async () => {
    bb = await startLocalConsole({ version: "2.14", externalUrl: "https://bytebase.example.com" });
  });
  afterAll(() => bb?.close());

  it("reads the provider by its id into the state as external; destroy leaves it in the console", async () => {
    const id = await makeInConsole(bb, "GITLAB", { title: "GitLab (made in the UI)" });
    const stack = stackOn(bb, { gitopsId: id }, "gitops");
    const up = await stack.up();
    expect(up.diagnostics).toEqual([]);
    expect(up.steps).toContainEqual({ urn: expect.stringMatching(/GitOpsProvider::existing$/), op: "read" });
    expect(reveal(up.outputs)).toMatchObject({
      gitOpsProvider: {
        name: `externalVersionControls/${id}`,
        title: "GitLab (made in the UI)",
        type: "GITLAB",
        consoleCallbackUrl: "https://bytebase.example.com/oauth/callback",
      },
    });
    expect(writes(bb)).toHaveLength(1); // the makeInConsole POST only
    expect((await stack.destroy()).ok).toBe(true);
    expect(bb.listProviders().map((p) => p.id)).toEqual([id]);
  });
});

describe("VcsProvider.get and VcsConnector.get on a 2.15 console", { timeout: 240_000 }, () => {
  let bb: StartedLocalConsole;
  beforeAll(async () => {
    bb = await startLocalConsole({ version: "2.15" });
    bb.vcs.put({
      resourceId: "gitlab-main",
      title: "GitLab",
      type: "GITLAB",
      url: "https://gitlab.com",
      accessToken: "glpat-made-in-the-ui",
    });
    bb.vcs.addProject("payments");
    bb.vcs.addConnector("gitlab-main", "payments", "db", "platform/db");
  });
  afterAll(() => bb?.close());

  it("reads both by their names into the state as external; destroy leaves them in the console", async () => {
    const stack = stackOn(
      bb,
      { vcsProviderId: "vcsProviders/gitlab-main", connectorId: "projects/payments/vcsConnectors/db" },
      "vcs",
    );
    const up = await stack.up();
    expect(up.diagnostics).toEqual([]);
    expect(up.steps).toEqual(
      expect.arrayContaining([
        { urn: expect.stringMatching(/VcsProvider::existing$/), op: "read" },
        { urn: expect.stringMatching(/VcsConnector::existing-connector$/), op: "read" },
      ]),
    );
    expect(reveal(up.outputs)).toMatchObject({
      vcsProvider: {
        name: "vcsProviders/gitlab-main",
        resourceId: "gitlab-main",
        title: "GitLab",
        instanceUrl: "https://gitlab.com",
      },
      vcsConnector: {
        name: "projects/payments/vcsConnectors/db",
        project: "payments",
        repository: "platform/db",
      },
    });
    expect(writes(bb)).toEqual([]);
    expect((await stack.destroy()).ok).toBe(true);
    expect(bb.vcs.providers()).toHaveLength(1);
    expect(bb.vcs.connectors()).toHaveLength(1);
  });
});
