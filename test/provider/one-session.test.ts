// One console, one session per process: an `up` of a VcsProvider and N VcsConnectors on it (one provider host, as
// `pulumi up` runs them) logs in once, reads the actuator once, searches the provider's repositories once and never
// reads the provider (its create told its type); a repository made after that search is still found (a miss searches
// once more), and one that does not exist fails after exactly one more search. A provider this process did not make
// is read once for all its connectors.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { gitApiEnv, newStackDir } from "../../scripts/demo/examples";
import { deploy } from "../engine";
import type { IssuedToken } from "../../src/local-console/git-fakes";
import { errorOf, expectNoSecrets } from "./fixture";
import { createConnector, startConnectorWorld, type ConnectorWorld } from "./connector-fixture";

const N = 6;
const PROJECT = "one-session";
const count = (bb: Pick<StartedLocalConsole, "requests">, method: string, path: string, from = 0) =>
  bb.requests.slice(from).filter((r) => r.method === method && r.path === path).length;
const searchPath = (provider: string) => `/v1/vcsProviders/${provider}:searchRepositories`;

// A program as a user writes it: one GitLab provider, N connectors on it (each waits for the provider's name).
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { VcsConnector, VcsProvider } = require("pulumi-bytebase-gitops");
const cfg = new pulumi.Config();
const gitlab = new VcsProvider("gitlab", { resourceId: "gitlab-com", type: "GITLAB", accessToken: cfg.requireSecret("token") });
for (let i = 1; i <= ${N}; i++)
  new VcsConnector("db-" + i, {
    project: "payments",
    resourceId: "db-" + i,
    vcsProvider: gitlab.name,
    repository: "platform/db-" + i,
    branch: "main",
    baseDirectory: "/bytebase",
  });
`;

describe("one up of a VcsProvider and its VcsConnectors against one console", { timeout: 180_000 }, () => {
  let bb: StartedLocalConsole;
  let dir: string;
  let run: Awaited<ReturnType<typeof deploy>>;
  beforeAll(async () => {
    bb = await startLocalConsole({ version: "2.15.0" });
    bb.vcs.addProject("payments");
    const repositories = Array.from({ length: N }, (_, i) => `platform/db-${i + 1}`);
    const token = bb.git.issueToken("GITLAB", { repositories }).token;
    dir = newStackDir(PROJECT);
    writeFileSync(join(dir, "index.js"), PROGRAM);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: PROJECT, main: "index.js" }));
    run = await deploy({
      programDir: dir,
      project: PROJECT,
      stack: "dev",
      config: {
        "bytebase:url": bb.url,
        "bytebase:serviceAccount": bb.admin.email,
        "bytebase:serviceKey": bb.admin.key,
        [`${PROJECT}:token`]: token,
      },
      secretKeys: ["bytebase:serviceKey", `${PROJECT}:token`],
      env: gitApiEnv(bb),
    });
  });
  afterAll(async () => {
    await bb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("makes the provider and every connector with one login, one actuator read, one repository search and no provider read", () => {
    expect(run.diagnostics.filter((d) => d.startsWith("error"))).toEqual([]);
    expect(run.ok).toBe(true);
    expect(bb.vcs.connectors().map((c) => c.resourceId)).toHaveLength(N);
    // Before one connection per console: a login and an actuator read per client class (VcsProvider's and
    // VcsConnector's), and a search per connector.
    expect(count(bb, "POST", "/v1/auth/login")).toBe(1);
    expect(count(bb, "GET", "/v1/actuator/info")).toBe(1);
    expect(count(bb, "POST", searchPath("gitlab-com"))).toBe(1);
    expect(count(bb, "POST", "/v1/projects/payments/vcsConnectors")).toBe(N);
    // Before the type was learned once per provider: a read of the provider per connector.
    expect(count(bb, "GET", "/v1/vcsProviders/gitlab-com")).toBe(0);
    expect(count(bb, "POST", "/v1/vcsProviders")).toBe(1);
    expect(bb.requests.filter((r) => r.path.startsWith("/v1/"))).toHaveLength(N + 4);
  });
});

describe("the repository search of one provider in one provider host", () => {
  let world: ConnectorWorld;
  let token: IssuedToken;
  const made = new Map<string, Record<string, unknown>>();
  beforeAll(async () => {
    world = await startConnectorWorld();
    world.bb.vcs.addProject("payments");
    token = world.bb.git.issueToken("GITHUB", { repositories: ["platform/db"] });
    world.secrets.push(token.token);
    // Two providers with one token: each has its own list of repositories.
    for (const resourceId of ["github-com", "github-slow"]) {
      const news = { resourceId, type: "GITHUB", accessToken: token.token };
      const checked = await world.host.check(world.vcs, {}, news);
      expect(checked.failures).toEqual([]);
      made.set(resourceId, (await world.host.create(world.vcs, checked.inputs)).outs);
    }
  });
  afterAll(() => world?.close());

  const declare = (resourceId: string, repository: string, provider = "github-com") => ({
    project: "projects/payments",
    resourceId,
    vcsProvider: `vcsProviders/${provider}`,
    repository,
    branch: "main",
    baseDirectory: "migrations",
  });
  const searches = (from: number, provider = "github-com") =>
    count(world.bb, "POST", searchPath(provider), from);

  it("shares one search among connectors created at once (the search answered slowly)", async () => {
    const from = world.bb.requests.length;
    world.bb.faults.inject({ method: "POST", path: searchPath("github-slow"), latencyMs: 400 });
    const ids = ["slow-1", "slow-2", "slow-3", "slow-4"];
    await Promise.all(ids.map((id) => createConnector(world, declare(id, "platform/db", "github-slow"))));
    expect(searches(from, "github-slow")).toBe(1);
    expect(count(world.bb, "POST", "/v1/projects/payments/vcsConnectors", from)).toBe(ids.length);
  });

  it("searches once for connectors to a repository it listed, and once more for one made since", async () => {
    const from = world.bb.requests.length;
    await createConnector(world, declare("first", "platform/db"));
    await createConnector(world, declare("second", "platform/db"));
    expect(searches(from)).toBe(1);
    // Made at the Git provider after that search: the cached list misses it, one fresh search finds it.
    token.repositories.push("platform/made-since");
    const { outs } = await createConnector(world, declare("third", "platform/made-since"));
    expect(outs.fullPath).toBe("platform/made-since");
    expect(searches(from)).toBe(2);
    // The fresh list serves the next hits.
    await createConnector(world, declare("fourth", "platform/db"));
    expect(searches(from)).toBe(2);
  });

  it("searches again after the provider's token changed in the same process (the old list says nothing of it)", async () => {
    const from = world.bb.requests.length;
    await createConnector(world, declare("before-rotation", "platform/db"));
    expect(searches(from)).toBe(0);
    const fresh = world.bb.git.issueToken("GITHUB", { repositories: [...token.repositories] });
    world.secrets.push(fresh.token);
    const next = { resourceId: "github-com", type: "GITHUB", accessToken: fresh.token };
    const checked = await world.host.check(world.vcs, {}, next);
    await world.host.update(world.vcs, "github-com", made.get("github-com")!, checked.inputs);
    await createConnector(world, declare("after-rotation", "platform/db"));
    expect(searches(from)).toBe(1);
  });

  it("reads the type of a provider it did not make once for connectors created at once", async () => {
    const from = world.bb.requests.length;
    world.bb.vcs.put({
      resourceId: "github-elsewhere",
      title: "GitHub",
      type: "GITHUB",
      url: "https://github.com",
      accessToken: token.token,
    });
    world.bb.faults.inject({ method: "GET", path: "/v1/vcsProviders/github-elsewhere", latencyMs: 200 });
    const ids = ["elsewhere-1", "elsewhere-2", "elsewhere-3"];
    const outs = await Promise.all(
      ids.map((id) => createConnector(world, declare(id, "platform/db", "github-elsewhere"))),
    );
    // GitHub's connectors name the repository by its full path (the type decides the externalId).
    expect(outs.map((o) => o.outs.externalId)).toEqual(ids.map(() => "platform/db"));
    expect(count(world.bb, "GET", "/v1/vcsProviders/github-elsewhere", from)).toBe(1);
    await createConnector(world, declare("elsewhere-4", "platform/db", "github-elsewhere"));
    expect(count(world.bb, "GET", "/v1/vcsProviders/github-elsewhere", from)).toBe(1);
  });

  it("fails for a repository the token does not see after exactly one more search, naming what it sees", async () => {
    const from = world.bb.requests.length;
    const checked = await world.host.check(world.connector, {}, declare("nowhere", "platform/nowhere"));
    const error = await errorOf(world.host.create(world.connector, checked.inputs));
    expect(error.message).toContain("the repository platform/nowhere is not among the repositories");
    expect(error.message).toContain("it sees 2: platform/db, platform/made-since");
    expect(searches(from)).toBe(1);
    expectNoSecrets(world, error.message, world.host.stderr());
  });
});
