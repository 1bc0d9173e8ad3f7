// VcsConnector (Bytebase 2.15 - 3.4) through the real provider host against the local console, for each Git provider
// type: create (the repository looked up through the console, the webhook at the Git provider), update in place with
// an exact mask, replacement, refresh with drift, a connector deleted in the console, delete; the console's refusals
// (repository not visible, branch not found, webhook refused, no external URL, the provider's delete while in use)
// quoted with what to do; check; and a console that is not 2.15 - 3.4.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GIT_PROVIDER_TYPES, specFor } from "../../src/catalog";
import { asAdmin, errorOf, expectNoSecrets } from "./fixture";
import {
  createConnector,
  makeProvider,
  repositoryPath,
  startConnectorWorld,
  type ConnectorWorld,
} from "./connector-fixture";

describe.each(GIT_PROVIDER_TYPES)("%s VcsConnector", (type) => {
  const spec = specFor(type);
  const prefix = type.toLowerCase().replace(/_/g, "-");
  const repository = repositoryPath(type);
  let world: ConnectorWorld;
  let provider: string;
  let n = 0;
  const nextId = () => `${prefix}-db-${++n}`;
  beforeAll(async () => {
    world = await startConnectorWorld();
    world.bb.vcs.addProject("payments");
    provider = await makeProvider(world, type, prefix);
  });
  afterAll(() => world?.close());

  const declare = (resourceId: string, over: Record<string, unknown> = {}) => ({
    project: "projects/payments",
    resourceId,
    vcsProvider: provider,
    repository,
    branch: "main",
    baseDirectory: "migrations/",
    ...over,
  });

  it("looks the repository up through the console, creates it with ?vcsConnectorId=, and a webhook appears", async () => {
    const id = nextId();
    const before = world.bb.requests.length;
    const { id: pulumiId, outs, inputs } = await createConnector(world, declare(id));
    expect(inputs).toMatchObject({ project: "payments", vcsProvider: prefix, baseDirectory: "migrations" });
    expect(pulumiId).toBe(id);
    const listed = world.bb.requests
      .slice(before)
      .filter((r) => r.method === "POST" && r.path !== "/v1/auth/login")
      .map((r) => [r.path, r.query]);
    expect(listed).toEqual([
      [`/v1/vcsProviders/${prefix}:searchRepositories`, ""],
      ["/v1/projects/payments/vcsConnectors", `vcsConnectorId=${id}`],
    ]);
    const stored = world.bb.vcs.connectors().find((c) => c.resourceId === id)!;
    expect(outs).toMatchObject({
      name: `projects/payments/vcsConnectors/${id}`,
      project: "payments",
      resourceId: id,
      vcsProvider: prefix,
      title: "db",
      externalId: spec.connector.externalId === "fullPath" ? repository : stored.externalId,
      fullPath: repository,
      // The Git provider's page (bitbucket.go@2.15.0: `<instance URL>/<full name>`).
      webUrl: expect.stringMatching(/^https?:\/\/[^/]+\/.*db$/),
      branch: "main",
      // As 2.15.0 stores it: Azure DevOps with a leading "/", the others trimmed.
      baseDirectory: type === "AZURE_DEVOPS" ? "/migrations" : "migrations",
    });
    if (spec.connector.externalId === "id") expect(outs.externalId).not.toBe(repository);
    expect(world.bb.git.hooks(type, repository)).toHaveLength(1);
    // The stored form does not show as a change against the declared one.
    const again = await world.host.check(world.connector, inputs, declare(id));
    expect(await world.host.diff(world.connector, id, outs, again.inputs)).toMatchObject({ changes: "none" });
    expectNoSecrets(world, outs, world.host.stderr());
  });

  it("updates branch, baseDirectory and databaseGroup in place with exactly the changed paths in update_mask", async () => {
    const id = nextId();
    const { outs, inputs } = await createConnector(world, declare(id));
    world.bb.git.addBranch(type, repository, "release");
    const next = (
      await world.host.check(
        world.connector,
        inputs,
        declare(id, { branch: "release", databaseGroup: "all-dbs" }),
      )
    ).inputs;
    expect(next.databaseGroup).toBe("projects/payments/databaseGroups/all-dbs");
    expect(await world.host.diff(world.connector, id, outs, next)).toMatchObject({
      changes: "some",
      replaces: [],
    });
    const before = world.bb.requests.length;
    const { outs: updated } = await world.host.update(world.connector, id, outs, next);
    expect(updated).toMatchObject({
      branch: "release",
      databaseGroup: "projects/payments/databaseGroups/all-dbs",
    });
    const patches = world.bb.requests.slice(before).filter((r) => r.method === "PATCH");
    expect(patches.map((r) => [r.path, decodeURIComponent(r.query)])).toEqual([
      [`/v1/projects/payments/vcsConnectors/${id}`, "update_mask=branch,database_group"],
    ]);
    const moved = (
      await world.host.check(
        world.connector,
        next,
        declare(id, { branch: "release", databaseGroup: "all-dbs", baseDirectory: "schema" }),
      )
    ).inputs;
    const mark = world.bb.requests.length;
    const { outs: last } = await world.host.update(world.connector, id, updated, moved);
    expect(last.baseDirectory).toBe(type === "AZURE_DEVOPS" ? "/schema" : "schema");
    expect(
      world.bb.requests
        .slice(mark)
        .filter((r) => r.method === "PATCH")
        .map((r) => r.query),
    ).toEqual(["update_mask=base_directory"]);
    expect(world.bb.vcs.connectors().find((c) => c.resourceId === id)).toMatchObject({
      branch: "release",
      baseDirectory: last.baseDirectory,
    });
  });

  it("replaces (delete first under the same name) when project, resourceId, vcsProvider or repository change", async () => {
    const id = nextId();
    const { outs, inputs } = await createConnector(world, declare(id));
    const diffOf = async (over: Record<string, unknown>) =>
      world.host.diff(
        world.connector,
        id,
        outs,
        (await world.host.check(world.connector, inputs, declare(id, over))).inputs,
      );
    expect(await diffOf({ project: "default" })).toMatchObject({
      replaces: ["project"],
      deleteBeforeReplace: false,
    });
    expect(await diffOf({ resourceId: `${id}-b` })).toMatchObject({ replaces: ["resourceId"] });
    expect(await diffOf({ vcsProvider: "vcsProviders/other" })).toMatchObject({
      replaces: ["vcsProvider"],
      deleteBeforeReplace: true,
    });
    expect(await diffOf({ repository: "platform/other" })).toMatchObject({ replaces: ["repository"] });
    expect(await diffOf({ repository: repository.toUpperCase() })).toMatchObject({ changes: "none" });
  });

  it("refresh shows drift, and a connector deleted in the console leaves the state", async () => {
    const id = nextId();
    const { outs } = await createConnector(world, declare(id));
    world.bb.git.addBranch(type, repository, "changed-in-ui");
    // Changed in the console, as a user would in the project's GitOps page.
    await asAdmin(world.bb, "PATCH", `v1/projects/payments/vcsConnectors/${id}?update_mask=branch`, {
      branch: "changed-in-ui",
    });
    const read = await world.host.read(world.connector, id, outs);
    expect(read.id).toBe(id);
    expect(read.outs).toMatchObject({ name: outs.name, branch: "changed-in-ui", fullPath: repository });
    expect(read.inputs).toMatchObject({
      project: "payments",
      resourceId: id,
      branch: "changed-in-ui",
      repository,
    });

    // Resource.get: the full name tells the project; a bare id cannot.
    const got = await world.host.read(world.connector, `projects/payments/vcsConnectors/${id}`, {});
    expect(got).toMatchObject({ id, outs: { name: outs.name, repository } });
    const bare = await errorOf(world.host.read(world.connector, id, {}));
    expect(bare.message).toContain("give the id as projects/<project>/vcsConnectors/<id>");

    await asAdmin(world.bb, "DELETE", `v1/projects/payments/vcsConnectors/${id}`);
    const gone = await world.host.read(world.connector, id, outs);
    expect(gone.id).toBe("");
  });

  it("delete removes the connector and its webhook; deleting a gone connector succeeds", async () => {
    const id = nextId();
    const { outs } = await createConnector(world, declare(id));
    const hooks = world.bb.git.hooks(type, repository).length;
    await world.host.delete(world.connector, id, outs);
    expect(world.bb.vcs.connectors().some((c) => c.resourceId === id)).toBe(false);
    expect(world.bb.git.hooks(type, repository)).toHaveLength(hooks - 1);
    await world.host.delete(world.connector, id, outs);
  });

  it("a repository the token cannot see fails naming it and what it sees, before any connector is made", async () => {
    const error = await errorOf(createConnector(world, declare(nextId(), { repository: "platform/secret" })));
    expect(error.message).toContain(
      `the repository platform/secret is not among the repositories the token of Git provider vcsProviders/${prefix} can see`,
    );
    expect(error.message).toContain(`it sees 1: ${repository}`);
    // Which repositories Bytebase lists: a rights filter for GitHub, GitLab, Bitbucket; none for Azure DevOps.
    expect(error.message).toContain(spec.connector.listed);
    if (type === "AZURE_DEVOPS") {
      expect(error.message).toContain("with no rights filter (azure.go)");
      expect(error.message).not.toMatch(/webhook/i);
    } else expect(error.message).toMatch(/Bytebase lists only/);
    expect(
      world.bb.requests.some((r) => r.method === "POST" && r.query === `vcsConnectorId=${prefix}-db-${n}`),
    ).toBe(false);
  });

  it("a branch the Git provider does not have is quoted with what to do", async () => {
    const error = await errorOf(createConnector(world, declare(nextId(), { branch: "nope" })));
    if (type === "AZURE_DEVOPS") {
      // azure.go@2.15.0 GetBranch words a missing branch as any other failure.
      expect(error.message).toContain('"failed to check branch: non-200 GET');
      expect(error.message).toContain("The Git provider did not answer Bytebase's branch check");
    } else {
      expect(error.message).toContain(`404 NotFound: "branch nope not found in repository`);
      expect(error.message).toContain(
        `Create the branch nope in ${repository}, or declare an existing branch`,
      );
    }
  });

  it("a webhook the Git provider refuses is quoted with who may add webhooks and the webhook URL to set", async () => {
    world.bb.git.refusePrivateHookUrls(type);
    try {
      const error = await errorOf(createConnector(world, declare(nextId())));
      expect(error.message).toContain(
        '"failed to create webhook for project payments with error: failed to create webhook:',
      );
      expect(error.message).toContain("The Git provider refused the webhook Bytebase adds for the connector");
      expect(error.message).toContain(spec.connector.webhookRight);
      // The webhook's target: the GitOps Webhook URL setting when set, else the external URL.
      expect(error.message).toContain(
        "the console's GitOps Webhook URL (Settings > General) when set, else its external URL",
      );
      expectNoSecrets(world, error.message);
    } finally {
      world.bb.git.refusePrivateHookUrls(type, false);
    }
  });

  it("a console without an external URL is quoted with where to set it", async () => {
    world.bb.setExternalUrl(null);
    try {
      const error = await errorOf(createConnector(world, declare(nextId())));
      expect(error.message).toContain(`400 FailedPrecondition: "external URL isn't setup yet`);
      expect(error.message).toContain("Set the console's external URL");
      expect(error.message).toContain("unless the GitOps Webhook URL (Settings > General) is set");
    } finally {
      world.bb.setExternalUrl(world.bb.url);
    }
  });

  it("an update to a branch the Git provider lacks is quoted with what to do; the connector keeps its branch", async () => {
    const id = nextId();
    const { outs, inputs } = await createConnector(world, declare(id));
    const next = (await world.host.check(world.connector, inputs, declare(id, { branch: "missing" }))).inputs;
    const error = await errorOf(world.host.update(world.connector, id, outs, next));
    expect(error.message).toContain(
      `Updating branch of connector projects/payments/vcsConnectors/${id} failed`,
    );
    expect(error.message).toMatch(
      /Create the branch missing in .*db, or declare an existing branch|did not answer Bytebase's branch check/,
    );
    expect(world.bb.vcs.connectors().find((c) => c.resourceId === id)!.branch).toBe("main");
  });

  it("a create whose answer was lost is read back by its id, not sent again", async () => {
    const id = nextId();
    world.bb.faults.inject({
      method: "POST",
      path: "/v1/projects/payments/vcsConnectors",
      drop: "after",
      times: 1,
    });
    const { outs } = await createConnector(world, declare(id));
    expect(outs).toMatchObject({ name: `projects/payments/vcsConnectors/${id}`, fullPath: repository });
    expect(world.bb.requests.filter((r) => r.query === `vcsConnectorId=${id}`)).toHaveLength(1);
    expect(world.bb.vcs.connectors().filter((c) => c.resourceId === id)).toHaveLength(1);
  });

  it("the VcsProvider's delete, refused because this connector uses it, names the connector", async () => {
    const id = nextId();
    const { outs } = await createConnector(world, declare(id));
    const providerOuts = {
      name: provider,
      resourceId: prefix,
      consoleUrl: world.bb.url,
      title: spec.defaultTitle,
    };
    const error = await errorOf(world.host.delete(world.vcs, prefix, providerOuts));
    expect(error.message).toContain(`projects/payments/vcsConnectors/${id}`);
    expect(error.message).toContain("vcs_connector_vcs_id_fkey");
    await world.host.delete(world.connector, id, outs);
  });
});

describe("VcsConnector on Bytebase 3.4", () => {
  let world: ConnectorWorld;
  let provider: string;
  beforeAll(async () => {
    world = await startConnectorWorld({ version: "3.4" });
    provider = await makeProvider(world, "GITLAB", "gitlab");
  });
  afterAll(() => world?.close());

  const declare = (resourceId: string, over: Record<string, unknown> = {}) => ({
    project: "default",
    resourceId,
    vcsProvider: provider,
    repository: "platform/db",
    branch: "main",
    baseDirectory: "m",
    ...over,
  });

  it("sends the base directory with its leading / and shows no change against the declared one", async () => {
    const { outs, inputs } = await createConnector(world, declare("db", { baseDirectory: "migrations" }));
    expect(outs.baseDirectory).toBe("/migrations");
    expect(await world.host.diff(world.connector, "db", outs, inputs)).toMatchObject({ changes: "none" });
  });

  it("the VcsProvider's delete, refused by 3.4's foreign key (vcs_connector_vcs_fkey), names the connector", async () => {
    const providerOuts = { name: provider, resourceId: "gitlab", consoleUrl: world.bb.url, title: "GitLab" };
    const error = await errorOf(world.host.delete(world.vcs, "gitlab", providerOuts));
    expect(error.message).toContain("projects/default/vcsConnectors/db");
    expect(error.message).toContain('"vcs_connector_vcs_fkey"');
  });

  it("a connector id outside the provider-id rule (DB_Main) is created: Bytebase checks none on connector ids", async () => {
    const { outs } = await createConnector(world, declare("DB_Main"));
    expect(outs.name).toBe("projects/default/vcsConnectors/DB_Main");
    await world.host.delete(world.connector, "DB_Main", outs);
  });

  it("a GitLab branch with '/' is not found through Bytebase (it does not escape it): the advice says so", async () => {
    world.bb.git.addBranch("GITLAB", "platform/db", "release/1.0");
    const error = await errorOf(createConnector(world, declare("slash", { branch: "release/1.0" })));
    expect(error.message).toContain('404 NotFound: "branch release/1.0 not found in repository');
    expect(error.message).toContain("GitLab: Bytebase asks GitLab for the branch without escaping '/'");
  });

  it("an update to a GitLab branch with '/' gets the same GitLab advice as a create (the provider's type is asked for)", async () => {
    const hint = "(GitLab: Bytebase asks GitLab for the branch without escaping '/'";
    const advice = (message: string) => message.slice(message.indexOf("Create the branch"));
    const created = await errorOf(createConnector(world, declare("moves-2", { branch: "release/9.9" })));
    expect(created.message).toContain(hint);
    const { outs, inputs } = await createConnector(world, declare("moves"));
    const next = (
      await world.host.check(world.connector, inputs, declare("moves", { branch: "release/9.9" }))
    ).inputs;
    const updated = await errorOf(world.host.update(world.connector, "moves", outs, next));
    expect(updated.message).toContain('404 NotFound: "branch release/9.9 not found in repository');
    expect(updated.message).toContain(hint);
    expect(advice(updated.message)).toBe(advice(created.message));
  });
});

describe("VcsConnector against a console that is not 2.15 - 3.4", () => {
  let world: ConnectorWorld;
  beforeAll(async () => {
    world = await startConnectorWorld({ version: "2.14" });
  });
  afterAll(() => world?.close());

  it("create, read and delete fail naming the version found and what to do, before any connector request", async () => {
    const news = {
      project: "default",
      resourceId: "db",
      vcsProvider: "gitlab",
      repository: "platform/db",
      branch: "main",
    };
    const checked = await world.host.check(world.connector, {}, news);
    const outs = {
      name: "projects/default/vcsConnectors/db",
      project: "default",
      resourceId: "db",
      consoleUrl: world.bb.url,
    };
    const errors = [
      await errorOf(world.host.create(world.connector, checked.inputs)),
      await errorOf(world.host.read(world.connector, "db", outs)),
      await errorOf(world.host.delete(world.connector, "db", outs)),
    ];
    for (const error of errors) {
      expect(error.message).toContain("runs Bytebase 2.14.0 (GET /v1/actuator/info)");
      expect(error.message).toContain("VcsConnector supports Bytebase 2.15 to 3.4 only");
      expect(error.message).toContain("upgrade the console to 2.15 - 3.4 first");
    }
    expect(
      world.bb.requests.some((r) => r.path.includes("vcsConnectors") || r.path.includes("vcsProviders")),
    ).toBe(false);
  });
});

// Its own world: a provider host reads the actuator once, so this one must not have read it yet.
describe("VcsConnector against a console whose actuator does not answer", () => {
  let world: ConnectorWorld;
  beforeAll(async () => {
    world = await startConnectorWorld({ version: "2.14" });
  });
  afterAll(() => world?.close());

  it("the route's plain 404 is not taken for a deleted connector, and says once what VcsConnector needs", async () => {
    world.bb.faults.inject({
      path: "/v1/actuator/info",
      status: 404,
      body: '{"code":5,"message":"Not Found","details":[]}',
    });
    const outs = {
      name: "projects/db/vcsConnectors/main",
      project: "db",
      resourceId: "main",
      consoleUrl: world.bb.url,
    };
    const advice =
      `(the console at ${world.bb.url} has no connectors API: VcsConnector needs Bytebase 2.15 to 3.4, so before ` +
      "2.15 link the repository in the project's GitOps settings, and from 3.5 Bytebase has no built-in GitOps (use " +
      "bytebase-action in CI); or bytebase:url (or BYTEBASE_URL) is not the console's own URL: a wrong path prefix " +
      "or a proxy answers this too)";
    const read = await errorOf(world.host.read(world.connector, "main", outs));
    expect(read.message).toBe(
      'Reading connector projects/db/vcsConnectors/main failed: the console answered 404 NotFound: "Not Found" to ' +
        `GET /v1/projects/db/vcsConnectors/main ${advice}`,
    );
    const remove = await errorOf(world.host.delete(world.connector, "main", outs));
    expect(remove.message).toBe(
      'Deleting connector projects/db/vcsConnectors/main failed: the console answered 404 NotFound: "Not Found" to ' +
        `DELETE /v1/projects/db/vcsConnectors/main ${advice}`,
    );
    world.bb.faults.clear();
  });
});

describe("VcsConnector check", () => {
  let world: ConnectorWorld;
  beforeAll(async () => {
    world = await startConnectorWorld();
  });
  afterAll(() => world?.close());

  it("names each bad property, what is wrong and how to fix it", async () => {
    const { failures } = await world.host.check(
      world.connector,
      {},
      {
        project: "projects/a/b",
        resourceId: "DB_Main",
        vcsProvider: "vcsProviders/",
        repository: "https://gitlab.com/platform/db",
        branch: "main branch",
        baseDirectory: "../up",
        databaseGroup: "projects/other/databaseGroups/all",
        token: "x",
      },
    );
    expect(failures).toEqual([
      // An unknown key names no property (the CLI would print its value, perhaps a token).
      {
        property: "",
        reason: expect.stringContaining("the input 'token' is not a property of VcsConnector; remove it"),
      },
    ]);
    const fixed = await world.host.check(
      world.connector,
      {},
      {
        project: "projects/a/b",
        resourceId: "db/main",
        vcsProvider: "vcsProviders/",
        repository: "https://gitlab.com/platform/db",
        branch: "main branch",
        baseDirectory: "../up",
        databaseGroup: "projects/other/databaseGroups/all",
      },
    );
    expect(fixed.failures).toEqual([
      {
        property: "project",
        reason: expect.stringContaining("is not a project: give its id, e.g. payments"),
      },
      { property: "vcsProvider", reason: expect.stringContaining("give a VcsProvider's name output") },
      {
        property: "resourceId",
        reason: expect.stringContaining("holds a '/': the console names a connector"),
      },
      { property: "repository", reason: expect.stringContaining("not a URL") },
      { property: "branch", reason: expect.stringContaining("is not a Git branch name") },
      { property: "baseDirectory", reason: "must stay inside the repository: remove '..'" },
    ]);
    const missing = await world.host.check(world.connector, {}, {});
    expect(missing.failures.map((f) => f.property).sort()).toEqual([
      "branch",
      "project",
      "repository",
      "resourceId",
      "vcsProvider",
    ]);
    expect(missing.failures.every((f) => f.reason.startsWith("is required: set it to"))).toBe(true);
  });

  it("normalises: ids without prefixes, refs/heads/, slashes around paths, the database group's full name", async () => {
    const { inputs, failures } = await world.host.check(
      world.connector,
      {},
      {
        project: "projects/payments",
        resourceId: "db",
        vcsProvider: "vcsProviders/gitlab-main",
        repository: "/platform/db.git/",
        branch: "refs/heads/main",
        baseDirectory: "./migrations//prod/",
        databaseGroup: "all-dbs",
      },
    );
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({
      project: "payments",
      vcsProvider: "gitlab-main",
      repository: "platform/db",
      branch: "main",
      baseDirectory: "migrations/prod",
      databaseGroup: "projects/payments/databaseGroups/all-dbs",
    });
  });
});

// The repository root as each release takes it (vcs_connector_service.go@2.15.0, @2.16.0, @2.19.0): the form sent
// follows the release the actuator reports, and 2.19+ refuse the root on create, so that is said before anything is sent.
describe.each([
  ["2.15.0", "", ""],
  ["2.16.0", "/", "/"],
  ["2.19.0", undefined, "/"],
  ["3.4.1", undefined, "/"],
] as const)("VcsConnector's repository root on Bytebase %s", (version, created, updated) => {
  let world: ConnectorWorld;
  let provider: string;
  beforeAll(async () => {
    world = await startConnectorWorld({ version });
    provider = await makeProvider(world, "GITLAB", "gitlab");
  });
  afterAll(() => world?.close());
  const declare = (resourceId: string, baseDirectory?: string) => ({
    project: "default",
    resourceId,
    vcsProvider: provider,
    repository: "platform/db",
    branch: "main",
    ...(baseDirectory === undefined ? {} : { baseDirectory }),
  });
  const posts = () =>
    world.bb.requests.filter((r) => r.method === "POST" && r.path === "/v1/projects/default/vcsConnectors")
      .length;

  it(
    created === undefined
      ? "create: refused before sending, naming the release rule"
      : `create: sent and stored as ${JSON.stringify(created)}`,
    async () => {
      const before = posts();
      if (created === undefined) {
        const error = await errorOf(createConnector(world, declare("root")));
        expect(error.message).toContain(
          `baseDirectory is the repository root (unset or ""), which Bytebase ${version} cannot create`,
        );
        expect(error.message).toContain(
          'Bytebase 2.19 and later refuse, on create, a base directory that ends with "/"',
        );
        expect(posts()).toBe(before);
        return;
      }
      const { outs, inputs } = await createConnector(world, declare("root"));
      expect([outs.baseDirectory, inputs.baseDirectory]).toEqual([created, ""]);
      expect(await world.host.diff(world.connector, "root", outs, inputs)).toMatchObject({ changes: "none" });
      await world.host.delete(world.connector, "root", outs);
    },
  );

  it(`update to the root: sent as ${JSON.stringify(updated)}`, async () => {
    const { outs, inputs } = await createConnector(world, declare("moves", "migrations"));
    expect(outs.baseDirectory).toBe(version === "2.15.0" ? "migrations" : "/migrations");
    const next = (await world.host.check(world.connector, inputs, declare("moves"))).inputs;
    const { outs: moved } = await world.host.update(world.connector, "moves", outs, next);
    expect(moved.baseDirectory).toBe(updated);
    await world.host.delete(world.connector, "moves", moved);
  });
});
