// Reading the console's answers as Bytebase means them, through the real provider host: only Bytebase's own
// not-found means "gone"; the console's version (its actuator) decides whether GitOpsProvider may touch it; a 503
// (Bytebase's 30 s timeout, whose handler still commits) is looked behind before a create is resent; and an
// interrupted `up`'s leftover providers are adopted, each by one resource, with one list per console per run.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ECHO_TIMEOUT_BODY } from "../../src/local-console/faults";
import { startProviderHost, type ProviderHost } from "../harness/provider-host";
import {
  asAdmin,
  oauthEnv,
  repoRoot,
  createResource,
  declareApp,
  errorOf,
  expectNoSecrets,
  startWorld,
  type World,
} from "./fixture";

type Props = Record<string, unknown>;

/** Fast retries, so that the failures below do not wait out the defaults. */
const FAST = {
  BYTEBASE_GITOPS_TIMEOUT_MS: "2000",
  BYTEBASE_GITOPS_RETRY_DELAY_MS: "10",
  BYTEBASE_GITOPS_RETRY_MAX_DELAY_MS: "40",
};
/** What grpc-gateway answers for a route it does not have (and a 2.15+ console for /v1/externalVersionControls). */
const NO_ROUTE = JSON.stringify({ code: 5, message: "Not Found", details: [] });
const EVC = "/v1/externalVersionControls";

/** Another provider host on the world's console, as the next `pulumi up` or `refresh` starts one. */
async function nextRun(world: World): Promise<ProviderHost> {
  const host = await startProviderHost({ cwd: repoRoot, env: { ...oauthEnv(world.bb), ...FAST } });
  await host.configure({
    "bytebase:url": world.bb.url,
    "bytebase:serviceAccount": world.bb.admin.email,
    "bytebase:serviceKey": world.bb.admin.key,
  });
  return host;
}

const count = (world: World, method: string, path: string) =>
  world.bb.requests.filter((r) => r.method === method && r.path === path).length;

describe("only Bytebase's own not-found means gone", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({}, FAST);
  });
  afterEach(() => world.bb.faults.clear());
  afterAll(() => world?.close());

  it("a refresh answered 404 `Not Found` (no such route) fails naming the request and keeps the provider", async () => {
    const { id, outs } = await createResource(world, declareApp(world, "BITBUCKET"));
    world.bb.faults.inject({ method: "GET", path: `${EVC}/${id}`, status: 404, body: NO_ROUTE });
    const error = await errorOf(world.host.read(world.provider, id, outs));
    expect(error.message).toContain(
      `Reading Git provider ${id} failed: the console answered 404 NotFound: "Not Found" to GET ${EVC}/${id}`,
    );
    expect(error.message).toMatch(/check that bytebase:url \(or BYTEBASE_URL\) is the console's own URL/);
    expectNoSecrets(world, error.message);
    // Bytebase's own words, once the provider is really gone, still drop it.
    world.bb.faults.clear();
    await asAdmin(world.bb, "DELETE", `v1/externalVersionControls/${id}`);
    expect((await world.host.read(world.provider, id, outs)).id).toBe("");
  });

  it("a delete answered 404 by a proxy (HTML) fails, and the provider is still in the console", async () => {
    const { id, outs } = await createResource(world, declareApp(world, "BITBUCKET"));
    world.bb.faults.inject({
      method: "DELETE",
      path: `${EVC}/${id}`,
      status: 404,
      body: "<html><body><h1>404 Not Found</h1></body></html>",
      contentType: "text/html",
    });
    const error = await errorOf(world.host.delete(world.provider, id, outs));
    expect(error.message).toMatch(
      new RegExp(
        `^Deleting Git provider ${id} failed: the console answered 404: ".*404 Not Found.*" to DELETE`,
      ),
    );
    expect(world.bb.listProviders().some((p) => p.id === id)).toBe(true);
  });

  it("a 404 on login is a failure of the refresh, never a deleted provider", async () => {
    const { id, outs } = await createResource(world, declareApp(world, "BITBUCKET"));
    const next = await nextRun(world); // a new `pulumi refresh`: a new host, not logged in
    try {
      world.bb.faults.inject({ method: "POST", path: "/v1/auth/login", status: 404, body: NO_ROUTE });
      const error = await errorOf(next.read(world.provider, id, outs));
      expect(error.message).toMatch(
        /Logging in to the console as \S+ failed: the console answered 404 NotFound/,
      );
      expect(error.message).toContain('"Not Found" to POST /v1/auth/login');
      expect(world.bb.listProviders().some((p) => p.id === id)).toBe(true);
    } finally {
      await next.close();
    }
  });
});

describe("the console's version", () => {
  const worlds: World[] = [];
  /**
   * A console of that version: the local console's own eras (2.5 - 3.4), or, for a version it does not reproduce,
   * the nearest era with its actuator answering that version (proto/v1/actuator_service.proto@3.4.1: `version`,
   * `externalUrl`).
   */
  const world = async (version: string) => {
    const reproduced = /^(2\.([5-9]|1[0-5])|3\.[0-4])\./.test(version) ? version : undefined;
    const w = await startWorld({ version: reproduced ?? (version.startsWith("3.") ? "3.4" : "2.14") }, FAST);
    worlds.push(w);
    if (!reproduced)
      w.bb.faults.inject({
        method: "GET",
        path: "/v1/actuator/info",
        body: JSON.stringify({ version, externalUrl: w.bb.url }), // the default external URL
      });
    return w;
  };
  afterAll(() => Promise.all(worlds.map((w) => w.close())));

  it.each([
    ["2.15.0", /runs Bytebase 2\.15\.0 .*declare them with the `VcsProvider` resource/],
    ["3.4.1", /runs Bytebase 3\.4\.1 .*`VcsProvider`/],
    ["3.5.0", /runs Bytebase 3\.5\.0 .*Bytebase 3\.5 removed built-in GitOps/],
    ["2.4.2", /runs Bytebase 2\.4\.2 .*upgrade the console to 2\.14/],
  ])(
    "%s: every operation fails with the version and what to do, and touches no Git provider",
    async (v, says) => {
      const w = await world(v);
      const app = { ...declareApp(w, "BITBUCKET"), title: "Versioned" };
      const checked = await w.host.check(w.provider, {}, app);
      const outs: Props = {
        ...checked.inputs,
        name: "externalVersionControls/101",
        instanceUrl: "https://bitbucket.org",
        consoleUrl: w.bb.url,
        scopes: [],
      };
      const errors = [
        await errorOf(w.host.create(w.provider, checked.inputs)),
        await errorOf(w.host.read(w.provider, "101", outs)),
        await errorOf(w.host.update(w.provider, "101", outs, { ...checked.inputs, title: "Renamed" })),
        await errorOf(w.host.delete(w.provider, "101", outs)),
      ];
      for (const e of errors) {
        expect(e.message).toMatch(says);
        expect(e.message).toContain("GitOpsProvider supports Bytebase 2.5 to 2.14 only");
      }
      expect(errors.map((e) => e.message.split(" failed")[0])).toEqual([
        'Creating Git provider "Versioned"',
        "Reading Git provider 101",
        "Updating Git provider 101",
        "Deleting Git provider 101",
      ]);
      expect(w.bb.requests.filter((r) => r.path.startsWith(EVC))).toEqual([]);
      // Read once per client (the host keeps one client per console and service account).
      expect(count(w, "GET", "/v1/actuator/info")).toBe(1);
    },
  );

  it.each(["2.5.0", "2.13.2", "2.14.0", "development"])(
    "%s: manages providers (a build without a release number is let through)",
    async (v) => {
      const w = await world(v);
      const { id, outs } = await createResource(w, declareApp(w, "BITBUCKET"));
      await w.host.read(w.provider, id, outs);
      await w.host.delete(w.provider, id, outs);
      expect(count(w, "GET", "/v1/actuator/info")).toBe(1);
      // The external URL comes with the version: the profile setting is not read.
      expect(count(w, "GET", "/v1/settings/bb.workspace.profile")).toBe(0);
    },
  );

  it("a console that does not answer the actuator (404) is used as it answers: external URL from the profile, only Bytebase's own not-found means gone", async () => {
    const w = await world("2.14.0");
    w.bb.faults.inject({ method: "GET", path: "/v1/actuator/info", status: 404, body: NO_ROUTE });
    const { id, outs } = await createResource(w, declareApp(w, "BITBUCKET"));
    expect(count(w, "GET", "/v1/settings")).toBe(1); // ListSettings: every role may
    w.bb.faults.inject({ method: "GET", path: `${EVC}/${id}`, status: 404, body: NO_ROUTE });
    const error = await errorOf(w.host.read(w.provider, id, outs));
    expect(error.message).toMatch(
      /answered 404 NotFound: "Not Found" to GET .*GitOpsProvider: 2\.5 to 2\.14/,
    );
  });
});

describe("a 503 is ambiguous, a 429 is not", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({}, FAST);
    await createResource(world, declareApp(world, "BITBUCKET")); // the run's one list is behind us
  });
  afterEach(() => world.bb.faults.clear());
  afterAll(() => world?.close());

  const mine = (app: { applicationId: string }) =>
    world.bb.listProviders().filter((p) => p.applicationId === app.applicationId);

  it("a create answered 503 (HTML) by Bytebase's timeout while its handler commits: looked for, adopted, not resent", async () => {
    const app = { ...declareApp(world, "BITBUCKET"), title: "Timed out" };
    const [posts, lists] = [count(world, "POST", EVC), count(world, "GET", EVC)];
    world.bb.faults.inject({ method: "POST", path: EVC, timeout: true, times: 1 });
    const { id } = await createResource(world, app);
    expect(mine(app)).toEqual([expect.objectContaining({ id, title: "Timed out" })]);
    expect(count(world, "POST", EVC) - posts).toBe(1);
    expect(count(world, "GET", EVC) - lists).toBe(1);
  });

  it("a create answered 503 that made nothing: looked for, then sent again", async () => {
    const app = { ...declareApp(world, "BITBUCKET"), title: "Unavailable" };
    const [posts, lists] = [count(world, "POST", EVC), count(world, "GET", EVC)];
    world.bb.faults.inject({ method: "POST", path: EVC, status: 503, body: ECHO_TIMEOUT_BODY, times: 1 });
    const { id } = await createResource(world, app);
    expect(mine(app)).toEqual([expect.objectContaining({ id })]);
    expect(count(world, "POST", EVC) - posts).toBe(2);
    expect(count(world, "GET", EVC) - lists).toBe(1);
  });

  it("a create answered 429 (the rate limiter, before any handler): sent again without looking", async () => {
    const app = { ...declareApp(world, "BITBUCKET"), title: "Rate limited" };
    const [posts, lists] = [count(world, "POST", EVC), count(world, "GET", EVC)];
    world.bb.faults.inject({ method: "POST", path: EVC, status: 429, body: "null", times: 2 });
    const { id } = await createResource(world, app);
    expect(mine(app)).toEqual([expect.objectContaining({ id })]);
    expect(count(world, "POST", EVC) - posts).toBe(3);
    expect(count(world, "GET", EVC) - lists).toBe(0);
  });
});

describe("an interrupted up leaves no duplicate", () => {
  it("adopts each leftover once, creates the rest, says so, and lists the console once", async () => {
    const world = await startWorld({}, FAST); // a new `pulumi up`: a new host
    try {
      const app = { ...declareApp(world, "BITBUCKET"), title: "Interrupted" };
      // Two earlier runs were cancelled after the console made the provider: two leftovers, stale secrets.
      const leftovers: string[] = [];
      for (let i = 0; i < 2; i++) {
        const made = (await asAdmin(world.bb, "POST", "v1/externalVersionControls", {
          title: app.title,
          type: "BITBUCKET",
          url: "https://bitbucket.org",
          applicationId: app.applicationId,
          secret: "stale-secret",
        })) as { name: string };
        leftovers.push(made.name.split("/")[1]!);
      }
      const otherTitle = { ...app, title: "Not the same" };
      const [posts, lists] = [count(world, "POST", EVC), count(world, "GET", EVC)];
      const results = await Promise.all([
        createResource(world, app),
        createResource(world, app),
        createResource(world, app),
        createResource(world, otherTitle),
      ]);
      const ids = results.map((r) => r.id);
      expect(new Set(ids).size).toBe(4);
      expect(ids.filter((id) => leftovers.includes(id)).sort()).toEqual([...leftovers].sort());
      const all = world.bb.listProviders().filter((p) => p.applicationId === app.applicationId);
      expect(all).toHaveLength(4); // two adopted, two made
      for (const p of all) expect(p.secret).toBe(app.secret);
      expect(count(world, "GET", EVC) - lists).toBe(1);
      expect(count(world, "POST", EVC) - posts).toBe(2);
      for (const id of leftovers) {
        const line = `Git provider "Interrupted": adopted externalVersionControls/${id} (same type, URL, application id and title)`;
        expect(await world.host.stderrWith(line)).toContain(line);
      }
      expectNoSecrets(world, world.host.stderr());
    } finally {
      await world.close();
    }
  });

  it("never adopts a provider that a resource of the run owns (diffed, read, updated or deleted in it)", async () => {
    const world = await startWorld({}, FAST);
    try {
      const app = { ...declareApp(world, "BITBUCKET"), title: "Owned" };
      const first = await createResource(world, app);
      // The next `up` (a new host): the recorded resource is diffed, then an identical new one is created.
      const next = await nextRun(world);
      try {
        await next.diff(world.provider, first.id, first.outs, first.inputs);
        const checked = await next.check(world.provider, {}, app);
        const second = await next.create(world.provider, checked.inputs);
        expect(second.id).not.toBe(first.id);
        expect(next.stderr()).not.toContain("adopted");
      } finally {
        await next.close();
      }
    } finally {
      await world.close();
    }
  });
});
