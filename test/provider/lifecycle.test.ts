// The resource's life through the real provider host against the local console: create, refresh with drift,
// update in place with an exact mask, replacement, import by id, delete (gone, in use), an expired token, a
// console that is down; and no secret anywhere it should not be.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GIT_PROVIDER_TYPES, specFor } from "../../src/catalog";
import { permissionAdvice } from "../../src/client/permissions";
import { startProviderHost } from "../harness/provider-host";
import {
  asAdmin,
  repoRoot,
  createResource,
  declareApp,
  errorOf,
  expectNoSecrets,
  hostAs,
  nonSecretOutputs,
  startWorld,
  type World,
} from "./fixture";

describe.each(GIT_PROVIDER_TYPES)("%s provider lifecycle", (type) => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world?.close());

  it("creates the provider in the console, with every output and nothing secret in the wrong place", async () => {
    const app = declareApp(world, type);
    const { id, outs } = await createResource(world, { ...app, title: "Team Git" });
    expect(id).toMatch(/^\d+$/);
    expect(Number(id)).toBeGreaterThanOrEqual(101);
    expect(outs).toMatchObject({
      name: `externalVersionControls/${id}`,
      title: "Team Git",
      type,
      applicationId: app.applicationId,
      callbackUrl: `${world.bb.url}/oauth/callback`,
      consoleCallbackUrl: `${world.bb.url}/oauth/callback`,
      secret: app.secret,
      scopes: [],
    });
    expect(outs.apiUrl).toEqual(expect.any(String));
    const stored = world.bb.listProviders().find((p) => p.id === id)!;
    expect(stored).toMatchObject({
      title: "Team Git",
      type,
      applicationId: app.applicationId,
      secret: app.secret,
    });
    expectNoSecrets(world, nonSecretOutputs(outs), world.provider, world.host.stderr());
    expect(world.provider.length).toBeLessThan(2048);
  });

  it("diffs without calling the console, and updates in place with a mask of exactly the changed fields", async () => {
    const app = declareApp(world, type);
    const { id, outs, inputs } = await createResource(world, app);
    const before = world.bb.requests.length;
    const same = await world.host.diff(world.provider, id, outs, inputs);
    expect(same).toMatchObject({ changes: "none", replaces: [] });
    const retitled = (await world.host.check(world.provider, inputs, { ...app, title: "Renamed" })).inputs;
    const changed = await world.host.diff(world.provider, id, outs, retitled);
    expect(changed).toMatchObject({ changes: "some", replaces: [] });
    expect(world.bb.requests.length).toBe(before);

    const { outs: updated } = await world.host.update(world.provider, id, outs, retitled);
    expect(updated).toMatchObject({ title: "Renamed", name: `externalVersionControls/${id}` });
    const patches = world.bb.requests.slice(before).filter((r) => r.method === "PATCH");
    expect(patches.map((r) => [r.path, r.query])).toEqual([
      [`/v1/externalVersionControls/${id}`, "update_mask=title"],
    ]);
    expect(world.bb.listProviders().find((p) => p.id === id)!.title).toBe("Renamed");
  });

  it("updates the secret in place, and stores it", async () => {
    const app = declareApp(world, type);
    const { id, outs, inputs } = await createResource(world, app);
    const rotated = world.bb.oauth.register(type, { applicationId: app.applicationId });
    world.secrets.push(rotated.secret);
    const news = (await world.host.check(world.provider, inputs, { ...app, secret: rotated.secret })).inputs;
    expect(await world.host.diff(world.provider, id, outs, news)).toMatchObject({
      changes: "some",
      replaces: [],
    });
    const before = world.bb.requests.length;
    await world.host.update(world.provider, id, outs, news);
    const patch = world.bb.requests.slice(before).find((r) => r.method === "PATCH")!;
    expect([patch.path, patch.query]).toEqual([`/v1/externalVersionControls/${id}`, "update_mask=secret"]);
    expect(world.bb.listProviders().find((p) => p.id === id)!.secret).toBe(rotated.secret);
  });

  it("replaces on a change of type, instance URL or console", async () => {
    const app = declareApp(world, type);
    const { id, outs, inputs } = await createResource(world, app);
    const otherType = type === "GITLAB" ? "GITHUB" : "GITLAB";
    expect(
      (await world.host.diff(world.provider, id, outs, { ...inputs, type: otherType })).replaces,
    ).toEqual(["type"]);
    const moved = { ...inputs, instanceUrl: "https://git.example.com" };
    expect((await world.host.diff(world.provider, id, outs, moved)).replaces).toEqual(["instanceUrl"]);
    const elsewhere = { ...inputs, connection: { url: "https://other-console.example.com" } };
    expect((await world.host.diff(world.provider, id, outs, elsewhere)).replaces).toEqual(["connection"]);
  });

  it("shows drift made in the console on refresh, and forgets a provider deleted there", async () => {
    const app = declareApp(world, type);
    const { id, outs } = await createResource(world, app);
    await asAdmin(world.bb, "PATCH", `v1/externalVersionControls/${id}?update_mask=title`, {
      title: "Edited in UI",
    });
    const refreshed = await world.host.read(world.provider, id, outs);
    expect(refreshed.id).toBe(id);
    expect(refreshed.outs).toMatchObject({
      title: "Edited in UI",
      secret: app.secret,
      applicationId: app.applicationId,
    });
    expect(refreshed.inputs).toMatchObject({ title: "Edited in UI", type });
    const back = await world.host.diff(world.provider, id, refreshed.outs, {
      ...refreshed.inputs,
      title: outs.title,
    });
    expect(back).toMatchObject({ changes: "some", replaces: [] });

    await asAdmin(world.bb, "DELETE", `v1/externalVersionControls/${id}`);
    expect((await world.host.read(world.provider, id, refreshed.outs)).id).toBe("");
  });

  it("adopts an existing provider by id (importId): sets title, application id and secret, makes nothing new", async () => {
    const app = declareApp(world, type);
    const url = (app.instanceUrl as string | undefined) ?? specFor(type).defaultInstanceUrl;
    const made = (await asAdmin(world.bb, "POST", "v1/externalVersionControls", {
      ...{ title: "Made by hand", type, url, applicationId: app.applicationId, secret: "stale" },
    })) as { name: string };
    const id = made.name.split("/")[1]!;
    const count = world.bb.listProviders().length;
    const before = world.bb.requests.length;
    const adopted = await createResource(world, { ...app, title: "Adopted", importId: made.name });
    expect(adopted.id).toBe(id);
    expect(adopted.outs).toMatchObject({ name: made.name, title: "Adopted", secret: app.secret });
    expect(world.bb.listProviders().length).toBe(count);
    expect(world.bb.listProviders().find((p) => p.id === id)).toMatchObject({
      title: "Adopted",
      secret: app.secret,
    });
    const patch = world.bb.requests.slice(before).find((r) => r.method === "PATCH")!;
    expect(decodeURIComponent(patch.query)).toBe("update_mask=secret,title");
    // After creation importId changes nothing.
    const same = await world.host.diff(world.provider, id, adopted.outs, {
      ...adopted.inputs,
      importId: "999",
    });
    expect(same.changes).toBe("none");
  });

  it("refuses to adopt a provider of another type or that does not exist", async () => {
    const app = declareApp(world, type);
    const other = (await asAdmin(world.bb, "POST", "v1/externalVersionControls", {
      ...{ title: "Other", type: type === "GITLAB" ? "GITHUB" : "GITLAB", url: "https://git.example.com" },
      ...{ applicationId: "x", secret: "y" },
    })) as { name: string };
    const checked = await world.host.check(world.provider, {}, { ...app, importId: other.name });
    const wrongType = await errorOf(world.host.create(world.provider, checked.inputs));
    expect(wrongType.message).toMatch(
      /importId: Git provider \d+ is a \w+ provider at https:\/\/git\.example\.com/,
    );
    const missing = await world.host.check(world.provider, {}, { ...app, importId: "99999" });
    expect((await errorOf(world.host.create(world.provider, missing.inputs))).message).toMatch(
      /importId: the console at .* has no Git provider 99999/,
    );
    const bad = await world.host.check(world.provider, {}, { ...app, importId: "my-provider" });
    expect(bad.failures).toEqual([{ property: "importId", reason: expect.stringMatching(/numeric id/) }]);
  });

  it("reads a provider by id with the program's inputs (a Resource.get), by number or name", async () => {
    const app = declareApp(world, type);
    const { id } = await createResource(world, { ...app, title: "Read me" });
    const read = await world.host.read(world.provider, id, {}, app);
    expect(read.id).toBe(id);
    expect(read.outs).toMatchObject({ title: "Read me", secret: app.secret });
    expect(read.inputs).toMatchObject({ type, applicationId: app.applicationId, title: "Read me" });
    expect((await world.host.read(world.provider, `externalVersionControls/${id}`, {}, app)).id).toBe(id);
    expect((await errorOf(world.host.read(world.provider, "my-provider", {}, app))).message).toMatch(
      /numeric id \(e\.g\. 101\)/,
    );
  });

  it("deletes, counts an already deleted provider as deleted, and explains a provider still in use", async () => {
    const app = declareApp(world, type);
    const { id, outs } = await createResource(world, app);
    world.bb.linkProject(id, "Payments DB", "payments-migrations");
    const inUse = await errorOf(world.host.delete(world.provider, id, outs));
    // ListProjectGitOpsInfo's `title` is the repository's (bytebase project_service.go@2.14.0).
    expect(inUse.message).toMatch(
      /still used by the GitOps repositories of the Bytebase project\(s\) projects\/payments-db \(repository "payments-migrations", \S+\)/,
    );
    expect(inUse.message).toMatch(/disconnect that repository .*pulumi state delete <urn>/);
    expect(inUse.message).toMatch(/retainOnDelete: true.* recorded by a `pulumi up` before/);
    expect(inUse.message).not.toMatch(/keep the provider with the resource option retainOnDelete/);
    expectNoSecrets(world, inUse.message, world.host.stderr());
    world.bb.unlinkProjects(id);
    await world.host.delete(world.provider, id, outs);
    expect(world.bb.listProviders().some((p) => p.id === id)).toBe(false);
    await world.host.delete(world.provider, id, outs);
  });
});

describe("the console session", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world?.close());

  it("logs in once, and again when the 1-hour token expires mid-run", async () => {
    const app = declareApp(world, "BITBUCKET");
    const logins = () => world.bb.requests.filter((r) => r.path === "/v1/auth/login").length;
    const { id, outs } = await createResource(world, app);
    await world.host.read(world.provider, id, outs);
    expect(logins()).toBe(1);
    world.bb.advanceClock(61 * 60_000);
    const refreshed = await world.host.read(world.provider, id, outs);
    expect(refreshed.id).toBe(id);
    expect(logins()).toBe(2);
  });

  it("fails with the console's own words when it refuses, and retries when it says later", async () => {
    const app = declareApp(world, "BITBUCKET");
    const { id, outs } = await createResource(world, app);
    world.bb.faults.inject({
      path: `/v1/externalVersionControls/${id}`,
      status: 503,
      retryAfter: 0,
      times: 1,
    });
    expect((await world.host.read(world.provider, id, outs)).id).toBe(id);
    const remove = world.bb.faults.inject({
      method: "GET",
      path: `/v1/externalVersionControls/${id}`,
      status: 403,
    });
    const refused = await errorOf(world.host.read(world.provider, id, outs));
    remove();
    expect(refused.message).toMatch(/Reading Git provider \d+ failed: the console answered 403/);
    expect(refused.message).toMatch(/Admin or DBA role/);
  });

  // A 2.14 Member lacks bb.settings.get but holds bb.settings.list (bytebase backend/component/iam/acl.yaml@2.14.0).
  it("reads the external URL as every role may (ListSettings), so a Member service account can refresh", async () => {
    const member = world.bb.addServiceAccount("reader@service.bytebase.com", "member");
    world.secrets.push(member.key);
    const { id, outs } = await createResource(world, declareApp(world, "BITBUCKET"));
    const host = await hostAs(world, member);
    try {
      // A console whose actuator does not answer (a proxy): the external URL comes from the settings.
      const noActuator = world.bb.faults.inject({ method: "GET", path: "/v1/actuator/info", status: 404 });
      const remove = world.bb.faults.inject({ method: "GET", path: "/v1/settings", status: 403, times: 1 });
      const refused = await errorOf(host.read(world.provider, id, outs));
      remove();
      expect(refused.message).toMatch(/external URL failed: the console answered 403.*bb\.settings\.list/);
      const from = world.bb.requests.length;
      expect((await host.read(world.provider, id, outs)).outs).toMatchObject({
        callbackUrl: `${world.bb.url}/oauth/callback`,
      });
      const paths = world.bb.requests.slice(from).map((r) => `${r.method} ${r.path}`);
      expect(paths).toContain("GET /v1/settings");
      expect(paths).not.toContain("GET /v1/settings/bb.workspace.profile");
      noActuator();
    } finally {
      await host.close();
    }
  });

  it("names the roles of the console's version in a 403's advice: a 2.14 Member may not create", async () => {
    const member = world.bb.addServiceAccount("member@service.bytebase.com", "member");
    world.secrets.push(member.key);
    const host = await hostAs(world, member);
    try {
      const checked = await host.check(world.provider, {}, declareApp(world, "GITLAB"));
      const refused = await errorOf(host.create(world.provider, checked.inputs));
      expect(refused.message).toMatch(/answered 403 PermissionDenied/);
      expect(refused.message).toMatch(/on Bytebase 2\.14 a Member may read Git providers but not create/);
      expectNoSecrets(world, refused.message, host.stderr());
    } finally {
      await host.close();
    }
  });

  it("has role advice for each console version", () => {
    expect(permissionAdvice("2.13.0")).toMatch(/workspace Owner or DBA role/);
    expect(permissionAdvice("2.5.2")).toMatch(/workspace Owner or DBA role/);
    expect(permissionAdvice("2.14.1")).toMatch(
      /workspace Admin or DBA role .*a Member may read Git providers/,
    );
    expect(permissionAdvice("3.4.1")).toMatch(/Admin or DBA role .*project Owner role/);
    expect(permissionAdvice()).toMatch(/Admin or DBA role \(Owner or DBA before Bytebase 2\.14/);
  });

  it("does not make a second provider when the answer to a create is lost", async () => {
    const app = declareApp(world, "BITBUCKET");
    const count = () => world.bb.listProviders().filter((p) => p.applicationId === app.applicationId).length;
    world.bb.faults.inject({ method: "POST", path: "/v1/externalVersionControls", drop: "after", times: 1 });
    const { id } = await createResource(world, { ...app, title: "Lost answer" });
    expect(count()).toBe(1);
    expect(world.bb.listProviders().find((p) => p.id === id)?.title).toBe("Lost answer");
  });

  it("says the console is unreachable, and where the setting is, when it is down", async () => {
    const app = declareApp(world, "BITBUCKET");
    const { id, outs } = await createResource(world, app);
    world.bb.faults.inject({ path: /.*/, drop: "before" });
    const down = await errorOf(world.host.read(world.provider, id, outs));
    world.bb.faults.clear();
    expect(down.message).toMatch(/could not reach the console at http:\/\/127\.0\.0\.1:\d+/);
    expect(down.message).toMatch(/bytebase:url/);
    expectNoSecrets(world, down.message, world.host.stderr());
  });
});

describe("configuration", () => {
  it("says a refresh or destroy logs in with the config saved at the last up when the saved key is refused", async () => {
    const world = await startWorld();
    try {
      const ci = world.bb.addServiceAccount("rotated@service.bytebase.com", "admin");
      const { id, outs } = await createResource(world, declareApp(world, "BITBUCKET"));
      const rotated = world.bb.addServiceAccount(ci.email, "admin"); // the key is rotated in the console
      world.secrets.push(ci.key, rotated.key);
      // A refresh's or destroy's provider host: configured from the state, i.e. with the key of the last `up`.
      const saved = await hostAs(world, ci);
      try {
        const read = await errorOf(saved.read(world.provider, id, outs));
        expect(read.message).toMatch(/Logging in .* failed: the console answered 401/);
        expect(read.message).toMatch(
          /This was a read \(`pulumi refresh`\).*saved in the state at the last `pulumi up`/,
        );
        expect(read.message).toMatch(/run `pulumi up` first .*`pulumi refresh --run-program`/);
        const removed = await errorOf(saved.delete(world.provider, id, outs));
        expect(removed.message).toMatch(
          /This was a delete \(`pulumi destroy`.*`pulumi destroy --run-program`/,
        );
        expect(world.bb.listProviders().some((p) => p.id === id)).toBe(true);
        expectNoSecrets(world, read.message, removed.message, saved.stderr());
      } finally {
        await saved.close();
      }
    } finally {
      await world.close();
    }
  });

  it("names every missing connection setting and where it can come from", async () => {
    const world = await startWorld();
    try {
      const bare = await startProviderHost({ cwd: repoRoot, env: { BYTEBASE_URL: "" } });
      try {
        await bare.configure({});
        const app = declareApp(world, "BITBUCKET");
        const checked = await bare.check(world.provider, {}, app);
        const error = await errorOf(bare.create(world.provider, checked.inputs));
        expect(error.message).toMatch(
          /connection is incomplete: set url \(connection\.url, config bytebase:url or env BYTEBASE_URL\)/,
        );
        expect(error.message).toMatch(/serviceKey/);
      } finally {
        await bare.close();
      }
    } finally {
      await world.close();
    }
  });

  it("takes the connection from the resource over the stack config, and keeps its key out of every error", async () => {
    const world = await startWorld();
    try {
      const member = world.bb.addServiceAccount("member@service.bytebase.com", "member");
      world.secrets.push(member.key);
      const app = declareApp(world, "BITBUCKET");
      const news = {
        ...app,
        connection: { url: world.bb.url, serviceAccount: member.email, serviceKey: member.key },
      };
      const checked = await world.host.check(world.provider, {}, news);
      const error = await errorOf(world.host.create(world.provider, checked.inputs));
      // On Bytebase 2.14 a Member may neither read the profile (bb.settings.get) nor create (the console's 403 either way).
      expect(error.message).toMatch(/failed: the console answered 403/);
      expectNoSecrets(world, error.message, world.host.stderr());
    } finally {
      await world.close();
    }
  });
});
