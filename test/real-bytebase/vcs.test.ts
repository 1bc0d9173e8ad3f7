// VcsProvider and VcsConnector through the real dynamic-provider host against a real Bytebase 2.15.0 and 3.4.1 (built
// here; skipped when not built), with the local console's fake Git providers as the Git side: self-managed GitLab
// (`<url>/api/v4`) and GitHub Enterprise (`<url>/api/v3`); Bitbucket and Azure DevOps are cloud-only in Bytebase
// and in our catalog, so a real Bytebase cannot be pointed at a fake of them. Create, read, refresh of a change made
// through the console's API, update in place, a connector (repository looked up, webhook made), the provider's
// delete while in use, deletes, and a wrong service key.
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitProviderType } from "../../src/catalog";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { call, login } from "../../scripts/bytebase/bootstrap";
import { repoRoot } from "../../scripts/demo/examples";
import { serializeProvider, startProviderHost, type ProviderHost } from "../harness/provider-host";
import { describeRealBytebase, startRealBytebase, type StartedBytebase } from "../harness/real-bytebase";

const { serializedVcsProvider, serializedVcsConnector } = createRequire(`${repoRoot}/package.json`)(
  "./dist/resource/serialized-provider.js",
) as typeof import("../../src/resource/serialized-provider");

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => new Error("expected a failure"),
    (e: Error) => e,
  );

/** The foreign key a provider's delete names while a connector uses it (3.4/0007##less_id.sql renamed it). */
const IN_USE_KEY: Record<string, string> = {
  "2.15.0": "vcs_connector_vcs_id_fkey",
  "3.4.1": "vcs_connector_vcs_fkey",
};

/** How the console stores the base directory `migrations`: without a leading "/" at 2.15.0, with one at 3.4.1. */
const STORED_DIR: Record<string, string> = { "2.15.0": "migrations", "3.4.1": "/migrations" };

describeRealBytebase(["2.15.0", "3.4.1"], "VcsProvider and VcsConnector", (v) => {
  let bb: StartedBytebase;
  let git: StartedLocalConsole;
  let host: ProviderHost;
  let vcs: string;
  let connector: string;
  let token: string;
  const api = async (method: string, path: string, body?: unknown) =>
    call(bb.url, method, path, body, (token ??= await login(bb.url, bb.serviceAccount)));

  beforeAll(async () => {
    git = await startLocalConsole({ version: "3.4", rateLimit: false });
    bb = await startRealBytebase(v.version);
    host = await startProviderHost({ cwd: repoRoot });
    await host.configure({
      "bytebase:url": bb.url,
      "bytebase:serviceAccount": bb.serviceAccount.email,
      "bytebase:serviceKey": bb.serviceAccount.secret,
    });
    vcs = await serializeProvider(serializedVcsProvider);
    connector = await serializeProvider(serializedVcsConnector);
  }, 360_000);
  afterAll(async () => {
    await host?.close();
    await bb?.stop();
    await git?.close();
  }, 60_000);

  const create = async (provider: string, news: Record<string, unknown>) => {
    const checked = await host.check(provider, {}, news);
    expect(checked.failures).toEqual([]);
    return { inputs: checked.inputs, ...(await host.create(provider, checked.inputs)) };
  };

  describe.each(["GITLAB", "GITHUB"] as GitProviderType[])("%s (self-managed, at the fake)", (type) => {
    const id = `${type.toLowerCase()}-real`;
    const declare = () => ({
      resourceId: id,
      type,
      instanceUrl: git.oauth.url(type),
      accessToken: git.git.issueToken(type, { repositories: ["platform/db"] }).token,
    });

    it("creates, reads, refreshes a change made in the console, updates in place, and deletes", async () => {
      const news = declare();
      const { outs, inputs } = await create(vcs, news);
      expect(outs).toMatchObject({ name: `vcsProviders/${id}`, resourceId: id, type });
      const stored = await api("GET", `v1/vcsProviders/${id}`);
      expect(stored.json).toMatchObject({ name: `vcsProviders/${id}`, type, url: git.oauth.url(type) });
      expect(await host.diff(vcs, id, outs, inputs)).toMatchObject({ changes: "none" });

      expect(
        (await api("PATCH", `v1/vcsProviders/${id}?update_mask=title`, { title: "Changed" })).status,
      ).toBe(200);
      expect((await host.read(vcs, id, outs, inputs)).outs).toMatchObject({ title: "Changed" });

      const next = (
        await host.check(vcs, inputs, { ...news, title: "Renamed", accessToken: declare().accessToken })
      ).inputs;
      expect(await host.diff(vcs, id, outs, next)).toMatchObject({ changes: "some", replaces: [] });
      const { outs: updated } = await host.update(vcs, id, outs, next);
      expect(updated).toMatchObject({ title: "Renamed" });
      expect((await api("GET", `v1/vcsProviders/${id}`)).json).toMatchObject({ title: "Renamed" });

      await host.delete(vcs, id, updated);
      expect((await api("GET", `v1/vcsProviders/${id}`)).status).toBe(404);
      expect((await host.read(vcs, id, updated)).id).toBe("");
    });

    it("connects a repository (webhook at the Git provider), refuses the provider's delete while in use", async () => {
      const provider = await create(vcs, declare());
      const name = provider.outs.name as string;
      const cid = `${type.toLowerCase()}-db`;
      const made = await create(connector, {
        project: "projects/default",
        resourceId: cid,
        vcsProvider: name,
        repository: "platform/db",
        branch: "main",
        baseDirectory: "migrations",
      });
      expect(made.outs).toMatchObject({ name: `projects/default/vcsConnectors/${cid}`, branch: "main" });
      const stored = await api("GET", `v1/projects/default/vcsConnectors/${cid}`);
      expect(stored.json).toMatchObject({
        baseDirectory: STORED_DIR[v.version],
        branch: "main",
        fullPath: "platform/db",
      });
      expect(git.git.hooks(type, "platform/db").some((h) => h.url.startsWith(bb.url))).toBe(true);

      const inUse = await errorOf(host.delete(vcs, provider.id, provider.outs));
      expect(inUse.message).toContain(IN_USE_KEY[v.version]);

      git.git.addBranch(type, "platform/db", "release");
      const next = (await host.check(connector, made.inputs, { ...made.inputs, branch: "release" })).inputs;
      const { outs } = await host.update(connector, cid, made.outs, next);
      expect(outs).toMatchObject({ branch: "release" });
      expect((await api("GET", `v1/projects/default/vcsConnectors/${cid}`)).json).toMatchObject({
        branch: "release",
      });

      await host.delete(connector, cid, outs);
      expect((await host.read(connector, cid, outs)).id).toBe("");
      await host.delete(vcs, provider.id, provider.outs);
    });
  });

  it("a wrong service key fails with the console's own words, and no key in them", async () => {
    const other = await startProviderHost({ cwd: repoRoot });
    try {
      const wrong = "bbs_wrongwrongwrongwrong";
      await other.configure({
        "bytebase:url": bb.url,
        "bytebase:serviceAccount": bb.serviceAccount.email,
        "bytebase:serviceKey": wrong,
      });
      const error = await errorOf(other.read(vcs, "gitlab-none", { name: "vcsProviders/gitlab-none" }));
      expect(error.message).toContain("The email or password is not valid.");
      expect(error.message).not.toContain(wrong);
    } finally {
      await other.close();
    }
  });
});
