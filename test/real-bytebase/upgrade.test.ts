// The 2.14 -> 2.15 upgrade on a real Bytebase (run when 2.14.1 and 2.15.0 are both built here): a Git provider made
// on 2.14.1 through the externalVersionControls API, then 2.15.0 started on the same database migrates it
// (backend/migrator/migration/prod/2.15/0005##vcs_resource_id.sql: the oldest of its type becomes `LOWER(type)`, no
// token), and a VcsProvider with adoptExisting takes it over through the real provider host, setting its token.
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { call, login } from "../../scripts/bytebase/bootstrap";
import { repoRoot } from "../../scripts/demo/examples";
import { serializeProvider, startProviderHost, type ProviderHost } from "../harness/provider-host";
import { realVersion, startRealBytebase, type StartedBytebase } from "../harness/real-bytebase";

const { serializedVcsProvider } = createRequire(`${repoRoot}/package.json`)(
  "./dist/resource/serialized-provider.js",
) as typeof import("../../src/resource/serialized-provider");

const from = realVersion("2.14.1");
const to = realVersion("2.15.0");
const missing = [from, to].filter((v) => !v.built).map((v) => v.version);
const title = missing.length
  ? `the 2.14 -> 2.15 upgrade on a real Bytebase (skipped, not built: ${missing.join(", ")})`
  : "the 2.14 -> 2.15 upgrade on a real Bytebase (2.14.1, then 2.15.0 on its database)";

(missing.length ? describe.skip : describe)(title, { timeout: 120_000 }, () => {
  let git: StartedLocalConsole;
  let bb: StartedBytebase | undefined;
  let host: ProviderHost | undefined;
  beforeAll(async () => {
    git = await startLocalConsole({ version: "2.15", rateLimit: false });
  });
  afterAll(async () => {
    await host?.close();
    await bb?.stop();
    await git?.close();
  }, 60_000);

  it(
    "migrates a 2.14 GitLab provider to vcsProviders/gitlab without a token; adoptExisting sets one",
    { timeout: 600_000 },
    async () => {
      bb = await startRealBytebase(from.version);
      const app = git.demoApps.GITLAB;
      const url = git.oauth.url("GITLAB");
      const made = await call(
        bb.url,
        "POST",
        "v1/externalVersionControls",
        { title: "From 2.14", type: "GITLAB", url, applicationId: app.applicationId, secret: app.secret },
        await login(bb.url, bb.serviceAccount),
      );
      expect(made.status).toBe(200);
      await bb.stop({ keepDatabase: true });

      bb = await startRealBytebase(to.version, bb);
      const token = await login(bb.url, bb.serviceAccount);
      const listed = await call(bb.url, "GET", "v1/vcsProviders", undefined, token);
      expect(listed.json.vcsProviders).toEqual([
        expect.objectContaining({ name: "vcsProviders/gitlab", title: "From 2.14", type: "GITLAB", url }),
      ]);

      host = await startProviderHost({ cwd: repoRoot });
      await host.configure({
        "bytebase:url": bb.url,
        "bytebase:serviceAccount": bb.serviceAccount.email,
        "bytebase:serviceKey": bb.serviceAccount.secret,
      });
      const vcs = await serializeProvider(serializedVcsProvider);
      const news = {
        resourceId: "gitlab",
        type: "GITLAB",
        instanceUrl: url,
        title: "From 2.14",
        accessToken: git.git.issueToken("GITLAB", { repositories: ["platform/db"] }).token,
        adoptExisting: true,
      };
      const checked = await host.check(vcs, {}, news);
      expect(checked.failures).toEqual([]);
      const { outs } = await host.create(vcs, checked.inputs);
      expect(outs).toMatchObject({ name: "vcsProviders/gitlab", title: "From 2.14" });
      // The token took: Bytebase lists the repositories with it.
      const repos = await call(bb.url, "POST", "v1/vcsProviders/gitlab:searchRepositories", {}, token);
      expect(repos.json).toMatchObject({
        repositories: [expect.objectContaining({ fullPath: "platform/db" })],
      });
    },
  );
});
