// VcsProvider (Bytebase 2.15 - 3.4) through the real provider host against the local console of 2.15, for each
// Git provider type: create with the token verified first, refresh with drift, update in place with an exact mask,
// replacement, adoption of an existing id (also the 2.15 upgrade's `azure_devops`), delete (gone, in use), a console
// without the API; and no token anywhere it should not be.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GIT_PROVIDER_TYPES, specFor } from "../../src/catalog";
import { cliLines } from "../harness/secret-inputs";
import { asAdmin, createResource, errorOf, expectNoSecrets } from "./fixture";
import { declareToken, startVcsWorld, type VcsWorld } from "./vcs-fixture";

/** The outputs Pulumi stores in plain text (accessToken and connection are secret outputs). */
const plain = (outs: Record<string, unknown>) => {
  const { accessToken: _t, connection: _c, ...rest } = outs;
  return rest;
};

describe.each(GIT_PROVIDER_TYPES)("%s VcsProvider", (type) => {
  const spec = specFor(type);
  const prefix = type.toLowerCase().replace(/_/g, "-");
  let world: VcsWorld;
  let n = 0;
  const nextId = () => `${prefix}-${++n}`;
  beforeAll(async () => {
    world = await startVcsWorld();
  });
  afterAll(() => world?.close());

  const created = (news: Record<string, unknown>) => createResource(world, news, world.vcs);

  it("verifies the token, creates vcsProviders/<id> with ?vcsProviderId=, and keeps the token out of plain outputs", async () => {
    const id = nextId();
    const news = declareToken(world, type, id);
    const before = world.bb.requests.length;
    const { id: pulumiId, outs } = await created(news);
    expect(pulumiId).toBe(id);
    expect(outs).toMatchObject({
      name: `vcsProviders/${id}`,
      resourceId: id,
      title: spec.defaultTitle,
      type,
      instanceUrl: spec.defaultInstanceUrl,
      accessToken: news.accessToken,
    });
    const verification = outs.verification as {
      checks: { check: string; outcome: string }[];
      verifiedAt: string;
    };
    expect(verification.checks.find((c) => c.check === "token")?.outcome).toBe("verified");
    expect(verification.checks.some((c) => c.outcome === "failed")).toBe(false);
    const posts = world.bb.requests
      .slice(before)
      .filter((r) => r.method === "POST" && r.path === "/v1/vcsProviders");
    expect(posts.map((r) => r.query)).toEqual([`vcsProviderId=${id}`]);
    expect(world.bb.vcs.providers().find((p) => p.resourceId === id)).toMatchObject({
      type,
      url: spec.defaultInstanceUrl,
      accessToken: news.accessToken,
    });
    expectNoSecrets(world, plain(outs), world.vcs, world.host.stderr());
    expect(world.vcs.length).toBeLessThan(2048);
  });

  it("updates title and token in place with exactly the changed paths in update_mask", async () => {
    const id = nextId();
    const news = declareToken(world, type, id);
    const { outs, inputs } = await created(news);
    const rotated = declareToken(world, type, id);
    const next = (
      await world.host.check(world.vcs, inputs, {
        ...news,
        title: "Renamed",
        accessToken: rotated.accessToken,
      })
    ).inputs;
    expect(await world.host.diff(world.vcs, id, outs, next)).toMatchObject({ changes: "some", replaces: [] });
    const before = world.bb.requests.length;
    const { outs: updated } = await world.host.update(world.vcs, id, outs, next);
    expect(updated).toMatchObject({ title: "Renamed", accessToken: rotated.accessToken });
    const patches = world.bb.requests.slice(before).filter((r) => r.method === "PATCH");
    expect(patches.map((r) => [r.path, decodeURIComponent(r.query)])).toEqual([
      [`/v1/vcsProviders/${id}`, "update_mask=title,access_token"],
    ]);
    expect(world.bb.vcs.providers().find((p) => p.resourceId === id)).toMatchObject({
      title: "Renamed",
      accessToken: rotated.accessToken,
    });

    const retitled = (
      await world.host.check(world.vcs, next, { ...news, title: "Again", accessToken: rotated.accessToken })
    ).inputs;
    const mark = world.bb.requests.length;
    await world.host.update(world.vcs, id, updated, retitled);
    expect(
      world.bb.requests
        .slice(mark)
        .filter((r) => r.method === "PATCH")
        .map((r) => r.query),
    ).toEqual(["update_mask=title"]);
    expectNoSecrets(world, plain(updated), world.host.stderr());
  });

  it("replaces (delete first) when type, instanceUrl or resourceId change", async () => {
    const id = nextId();
    const news = declareToken(world, type, id);
    const { outs, inputs } = await created(news);
    const moved = (await world.host.check(world.vcs, inputs, { ...news, resourceId: `${id}-b` })).inputs;
    expect(await world.host.diff(world.vcs, id, outs, moved)).toMatchObject({ replaces: ["resourceId"] });
    const other = type === "GITLAB" ? "GITHUB" : "GITLAB";
    const retyped = await world.host.check(world.vcs, inputs, {
      ...news,
      type: other,
      accessToken: "x".repeat(40),
    });
    const diff = await world.host.diff(world.vcs, id, outs, retyped.inputs);
    expect(diff.replaces).toEqual(expect.arrayContaining(["type", "instanceUrl"]));
    expect(diff.deleteBeforeReplace).toBe(true);
  });

  it("refresh shows drift, and a provider deleted in the console leaves the state", async () => {
    const id = nextId();
    const { outs } = await created(declareToken(world, type, id));
    // Retitled in the console, as a user would in the UI.
    await asAdmin(world.bb, "PATCH", `v1/vcsProviders/${id}?update_mask=title`, {
      title: "Changed in the UI",
    });
    const read = await world.host.read(world.vcs, id, outs);
    expect(read.id).toBe(id);
    expect(read.outs).toMatchObject({
      name: `vcsProviders/${id}`,
      title: "Changed in the UI",
      accessToken: outs.accessToken,
    });
    expect(read.inputs).toMatchObject({ resourceId: id, title: "Changed in the UI", type });

    await world.host.delete(world.vcs, id, outs);
    expect(world.bb.vcs.providers().some((p) => p.resourceId === id)).toBe(false);
    const gone = await world.host.read(world.vcs, id, outs);
    expect(gone.id).toBe("");
    await world.host.delete(world.vcs, id, outs); // deleting a gone provider succeeds
  });

  it("an existing id fails with the console's words and how to take it over; adoptExisting takes it over", async () => {
    const id = nextId();
    const news = declareToken(world, type, id);
    await created(news);
    const again = declareToken(world, type, id);
    const error = await errorOf(created({ ...again, title: "Second" }));
    expect(error.message).toContain(`vcs provider ${id} already exists`);
    expect(error.message).toContain("adoptExisting: true");
    expectNoSecrets(world, error.message);

    const before = world.bb.requests.length;
    const { outs } = await created({ ...again, title: "Second", adoptExisting: true });
    expect(outs).toMatchObject({ name: `vcsProviders/${id}`, title: "Second" });
    const patches = world.bb.requests.slice(before).filter((r) => r.method === "PATCH");
    expect(patches.map((r) => decodeURIComponent(r.query))).toEqual(["update_mask=access_token,title"]);
    expect(world.bb.vcs.providers().find((p) => p.resourceId === id)!.accessToken).toBe(again.accessToken);
  });

  it("adopts the row Bytebase's 2.15 upgrade left (id LOWER(type), no token), and refuses another type or URL", async () => {
    const migrated = type.toLowerCase();
    world.bb.vcs.put({
      resourceId: migrated,
      title: "From 2.14",
      type,
      url: spec.defaultInstanceUrl,
      accessToken: "",
    });
    const news = declareToken(world, type, migrated);
    if (migrated.includes("_")) {
      const refused = await world.host.check(world.vcs, {}, news);
      expect(refused.failures).toEqual([
        { property: "resourceId", reason: expect.stringContaining("set adoptExisting: true") },
      ]);
    }
    const wrongType = type === "GITLAB" ? "GITHUB" : "GITLAB";
    const wrong = declareToken(world, wrongType, migrated);
    const mismatch = await errorOf(created({ ...wrong, adoptExisting: true }));
    expect(mismatch.message).toContain(`is a ${type} provider at ${spec.defaultInstanceUrl}`);

    const { id, outs } = await created({ ...news, adoptExisting: true });
    expect(id).toBe(migrated);
    expect(outs).toMatchObject({ name: `vcsProviders/${migrated}`, title: spec.defaultTitle });
    expect(world.bb.vcs.providers().find((p) => p.resourceId === migrated)!.accessToken).toBe(
      news.accessToken,
    );
  });

  it("a create whose answer was lost is read back by its id, not sent again", async () => {
    const id = nextId();
    const news = declareToken(world, type, id);
    world.bb.faults.inject({ method: "POST", path: "/v1/vcsProviders", drop: "after", times: 1 });
    const { outs } = await created(news);
    expect(outs).toMatchObject({ name: `vcsProviders/${id}`, accessToken: news.accessToken });
    expect(
      world.bb.requests.filter((r) => r.method === "POST" && r.query === `vcsProviderId=${id}`),
    ).toHaveLength(1);
    expect(world.bb.vcs.providers().filter((p) => p.resourceId === id)).toHaveLength(1);
  });

  it("delete refused because connectors use the provider names them and what to do", async () => {
    const id = nextId();
    const { outs } = await created(declareToken(world, type, id));
    world.bb.vcs.addConnector(`vcsProviders/${id}`, "payments", "main");
    const error = await errorOf(world.host.delete(world.vcs, id, outs));
    expect(error.message).toContain("projects/payments/vcsConnectors/main");
    expect(error.message).toContain("vcs_connector_vcs_id_fkey");
    expect(error.message).toContain("retainOnDelete");
    world.bb.vcs.removeConnectors(`vcsProviders/${id}`);
    await world.host.delete(world.vcs, id, outs);
  });
});

describe("VcsProvider against a console that is not 2.15 - 3.4", () => {
  let world: VcsWorld;
  beforeAll(async () => {
    world = await startVcsWorld({ version: "2.14" });
  });
  afterAll(() => world?.close());

  const outs = () => ({
    name: "vcsProviders/gitlab-main",
    resourceId: "gitlab-main",
    consoleUrl: world.bb.url,
    title: "GitLab",
  });

  it("create, read and delete fail naming the version found and what to do, before any provider request", async () => {
    const news = declareToken(world, "GITLAB", "gitlab-main");
    const checked = await world.host.check(world.vcs, {}, news);
    const errors = [
      await errorOf(world.host.create(world.vcs, checked.inputs)),
      await errorOf(world.host.read(world.vcs, "gitlab-main", outs())),
      await errorOf(world.host.delete(world.vcs, "gitlab-main", outs())),
    ];
    for (const error of errors) {
      expect(error.message).toContain("runs Bytebase 2.14.0 (GET /v1/actuator/info)");
      expect(error.message).toContain("VcsProvider supports Bytebase 2.15 to 3.4 only");
      expect(error.message).toContain("declare them with GitOpsProvider");
    }
    expect(world.bb.requests.some((r) => r.path.startsWith("/v1/vcsProviders"))).toBe(false);
    expectNoSecrets(world, ...errors.map((e) => e.message), world.host.stderr());
  });
});

// Its own world: a provider host reads the actuator once, so this one must not have read it yet.
describe("VcsProvider against a console whose actuator does not answer", () => {
  let world: VcsWorld;
  beforeAll(async () => {
    world = await startVcsWorld({ version: "2.14" });
  });
  afterAll(() => world?.close());
  const outs = () => ({
    name: "vcsProviders/gitlab-main",
    resourceId: "gitlab-main",
    consoleUrl: world.bb.url,
    title: "GitLab",
  });

  it("when the actuator does not answer, the route's plain 404 is not taken for a deleted provider", async () => {
    world.bb.faults.inject({
      path: "/v1/actuator/info",
      status: 404,
      body: '{"code":5,"message":"Not Found","details":[]}',
    });
    const advice =
      `(the console at ${world.bb.url} has no /v1/vcsProviders API: VcsProvider needs Bytebase 2.15 to 3.4, so for ` +
      "2.5 to 2.14 declare GitOpsProvider, and from 3.5 Bytebase has no built-in GitOps (use bytebase-action in CI); " +
      "or bytebase:url (or BYTEBASE_URL) is not the console's own URL: a wrong path prefix or a proxy answers this too)";
    const read = await errorOf(world.host.read(world.vcs, "gitlab-main", outs()));
    expect(read.message).toBe(
      'Reading Git provider vcsProviders/gitlab-main failed: the console answered 404 NotFound: "Not Found" to ' +
        `GET /v1/vcsProviders/gitlab-main ${advice}`,
    );
    const remove = await errorOf(world.host.delete(world.vcs, "gitlab-main", outs()));
    expect(remove.message).toBe(
      'Deleting Git provider vcsProviders/gitlab-main failed: the console answered 404 NotFound: "Not Found" to ' +
        `DELETE /v1/vcsProviders/gitlab-main ${advice}`,
    );
    world.bb.faults.clear();
  });
});

describe("VcsProvider check", () => {
  let world: VcsWorld;
  beforeAll(async () => {
    world = await startVcsWorld();
  });
  afterAll(() => world?.close());

  it("names each bad property, what is wrong and how to fix it, never the token", async () => {
    const token = "glpat-secretsecretsecret01";
    const news = {
      resourceId: "Team_GitLab",
      type: "BITBUCKET",
      instanceUrl: "https://bitbucket.example.com",
      accessToken: token,
      scopes: ["api"],
    };
    const { failures } = await world.host.check(world.vcs, {}, news);
    expect(failures).toEqual([
      // An unknown key and the token name no property: the CLI prints a named property's value in plaintext.
      {
        property: "",
        reason: expect.stringContaining("the input 'scopes' is not a property of VcsProvider; remove it"),
      },
      { property: "resourceId", reason: expect.stringContaining("breaks Bytebase's resource-id rule") },
      {
        property: "instanceUrl",
        reason: "Bitbucket.org has one address: use https://bitbucket.org (or leave instanceUrl out)",
      },
      {
        property: "",
        reason: expect.stringMatching(/^the input 'accessToken' .*'<Bitbucket username>:<app password>'/),
      },
    ]);
    // As the CLI prints them (the value of a named property in plaintext): the token is in none.
    for (const line of cliLines("VcsProvider", news, failures)) expect(line).not.toContain(token);
    const missing = await world.host.check(world.vcs, {}, {});
    expect(missing.failures.map((f) => f.property).sort()).toEqual(["", "resourceId", "type"]);
    expect(missing.failures.map((f) => f.reason.replace(/^the input 'accessToken' /, ""))).toEqual(
      missing.failures.map(() => expect.stringMatching(/^is required: set it to/)),
    );
  });

  it("fills the defaults: title and instance URL per type, verifyToken true, adoptExisting false", async () => {
    const { inputs, failures } = await world.host.check(
      world.vcs,
      {},
      {
        resourceId: "ado",
        type: "AZURE_DEVOPS",
        accessToken: "a".repeat(52),
      },
    );
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({
      title: "Azure DevOps",
      instanceUrl: "https://dev.azure.com",
      verifyToken: true,
      adoptExisting: false,
    });
  });
});

// Bytebase keeps the path of a self-managed instance URL (vcs_provider_service.go@2.15.0: TrimRight(url, "/")) and
// asks its API under it (plugin/vcs/gitlab/gitlab.go@2.15.0 `<url>/api/v4`, github.go `<url>/api/v3`).
describe("instance URLs served under a path", () => {
  let world: VcsWorld;
  beforeAll(async () => {
    world = await startVcsWorld();
  });
  afterAll(() => world?.close());

  it.each(["GITHUB", "GITLAB"] as const)(
    "accepts a self-managed %s under a path, and not its cloud host with one",
    async (type) => {
      const spec = specFor(type);
      const token = type === "GITLAB" ? "glpat-" + "a".repeat(20) : "ghp_" + "a".repeat(36);
      const news = { resourceId: "self-managed", type, accessToken: token };
      const ok = await world.host.check(
        world.vcs,
        {},
        { ...news, instanceUrl: "https://git.example.com/scm/" },
      );
      expect(ok.failures).toEqual([]);
      expect(ok.inputs.instanceUrl).toBe("https://git.example.com/scm");
      const cloud = new URL(spec.defaultInstanceUrl).host;
      const bad = await world.host.check(world.vcs, {}, { ...news, instanceUrl: `https://${cloud}/acme` });
      expect(bad.failures).toEqual([
        {
          property: "instanceUrl",
          reason: expect.stringMatching(`serves .* at its root; use https://${cloud}`),
        },
      ]);
      const asked: string[] = [];
      await spec.accessToken.inspect(
        token,
        "https://git.example.com/scm",
        async (url) => {
          asked.push(url);
          return { status: 401, headers: {}, body: {} };
        },
        0,
      );
      expect(asked[0]).toMatch(
        type === "GITLAB"
          ? /^https:\/\/git\.example\.com\/scm\/api\/v4\//
          : /^https:\/\/git\.example\.com\/scm\/api\/v3\//,
      );
    },
  );

  it.each(["AZURE_DEVOPS", "BITBUCKET"] as const)("keeps %s to its one URL", async (type) => {
    const spec = specFor(type);
    const { failures } = await world.host.check(
      world.vcs,
      {},
      { resourceId: "cloud", type, accessToken: "x", instanceUrl: `${spec.defaultInstanceUrl}/acme` },
    );
    expect(failures.filter((f) => f.property === "instanceUrl")).toEqual([
      {
        property: "instanceUrl",
        reason: expect.stringMatching(/has the path '\/acme'; .* has one instance URL/),
      },
    ]);
  });
});
