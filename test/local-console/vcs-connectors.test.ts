// The local console's `vcsConnectors` (Bytebase 2.15 and 3.4) as vcs_connector_service.go@2.15.0 / @3.4.1 answer:
// create's checks in their order (external URL, project, id, provider, branch at the Git provider), the webhook added
// at the Git provider and removed on delete (each of the four types), the update mask, the base directory per
// version, the project-scoped ACL, the in-use foreign key the provider's delete then meets, and a connector's delete
// whose provider row is gone.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitProviderType } from "../../src/catalog";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { call, login, setup, type Answer, type CallOptions } from "./helpers";

const URLS: Record<GitProviderType, string> = {
  GITLAB: "https://gitlab.com",
  GITHUB: "https://github.com",
  BITBUCKET: "https://bitbucket.org",
  AZURE_DEVOPS: "https://dev.azure.com",
};
/** What the wizard sends as externalId (RepositorySetupWizard.vue@2.15.0): the full path for GitHub and Bitbucket. */
const BY_PATH = new Set<GitProviderType>(["GITHUB", "BITBUCKET"]);
const TYPES = Object.keys(URLS) as GitProviderType[];

describe.each(["2.15", "3.4"] as const)("Bytebase %s vcsConnectors", (version) => {
  let c: StartedLocalConsole;
  let req: (method: string, path: string, o?: CallOptions) => Promise<Answer>;
  let n = 0;
  beforeAll(async () => {
    ({ c, req } = await setup({ version }));
    c.vcs.addProject("payments");
  });
  afterAll(() => c?.close());

  /** A provider of the type whose token sees `platform/db`, and that repository as `:searchRepositories` lists it. */
  async function providerWithRepo(type: GitProviderType) {
    const id = `${type.toLowerCase().replace(/_/g, "-")}-${++n}`;
    const { token } = c.git.issueToken(type, { repositories: ["platform/db"] });
    const made = await req("POST", `/v1/vcsProviders?vcsProviderId=${id}`, {
      body: { title: type, type, url: URLS[type], accessToken: token },
    });
    expect(made.status).toBe(200);
    const found = await req("POST", `/v1/vcsProviders/${id}:searchRepositories`, { body: {} });
    const repo = (
      found.json.repositories as { id: string; title: string; fullPath: string; webUrl: string }[]
    )[0]!;
    // The repository's id as each plugin's FetchRepositoryList@2.15.0 gives it (Bitbucket: the uuid).
    const ID_FORM: Record<GitProviderType, RegExp> = {
      GITLAB: /^\d+$/,
      GITHUB: /^\d+$/,
      BITBUCKET: /^\{[0-9a-f-]{36}\}$/,
      AZURE_DEVOPS: /^contoso\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/,
    };
    expect(repo.id).toMatch(ID_FORM[type]);
    const externalId = BY_PATH.has(type) ? repo.fullPath : repo.id;
    const body = (over: Record<string, unknown> = {}) => ({
      title: repo.title,
      vcsProvider: `vcsProviders/${id}`,
      externalId,
      fullPath: repo.fullPath,
      webUrl: repo.webUrl,
      branch: "main",
      baseDirectory: "/migrations",
      ...over,
    });
    return { id, repo, externalId, body };
  }

  it.each(TYPES)(
    "%s: checks the branch, adds the webhook at the Git provider, answers get and list; delete removes the hook",
    async (type) => {
      const { id, repo, externalId, body } = await providerWithRepo(type);
      const made = await req("POST", `/v1/projects/payments/vcsConnectors?vcsConnectorId=db-${n}`, {
        body: body(),
      });
      expect(made.status).toBe(200);
      expect(made.json).toMatchObject({
        name: `projects/payments/vcsConnectors/db-${n}`,
        title: "db",
        vcsProvider: `vcsProviders/${id}`,
        externalId,
        fullPath: repo.fullPath,
        webUrl: repo.webUrl,
        branch: "main",
        baseDirectory: version === "3.4" || type === "AZURE_DEVOPS" ? "/migrations" : "migrations",
      });
      // The empty database group: emitted by 2.15 - 3.3, left out by 3.4.1's marshaler (server.go@3.4.1).
      expect(made.json.databaseGroup).toBe(version === "3.4" ? undefined : "");
      // convertStoreVCSConnector@2.15.0 has creator and times; 3.4.1 dropped them.
      expect("creator" in made.json).toBe(version === "2.15");
      const hooks = c.git.hooks(type, repo.fullPath);
      // 3.4.1 adds one Azure DevOps subscription per pull-request event.
      expect(hooks).toHaveLength(type === "AZURE_DEVOPS" && version === "3.4" ? 3 : 1);
      expect(hooks[0]!.url).toMatch(
        new RegExp(`^${c.externalUrl}/hook/workspaces/[^/]+/projects/payments/vcsConnectors/db-${n}$`),
      );
      expect((await req("GET", `/v1/projects/payments/vcsConnectors/db-${n}`)).json).toEqual(made.json);
      expect((await req("GET", "/v1/projects/payments/vcsConnectors")).json.vcsConnectors).toContainEqual(
        made.json,
      );
      expect((await req("GET", `/v1/vcsProviders/${id}/vcsConnectors`)).json.vcsConnectors).toEqual([
        made.json,
      ]);
      const inUse = await req("DELETE", `/v1/vcsProviders/${id}`);
      // The foreign key's name: vcs_connector.vcs_id at 2.15.0, vcs_connector.vcs at 3.4.1 (LATEST.sql).
      expect(inUse.json.message).toContain(
        `violates foreign key constraint "${version === "3.4" ? "vcs_connector_vcs_fkey" : "vcs_connector_vcs_id_fkey"}"`,
      );

      expect((await req("DELETE", `/v1/projects/payments/vcsConnectors/db-${n}`)).status).toBe(200);
      expect(c.git.hooks(type, repo.fullPath)).toEqual([]);
      const gone = await req("GET", `/v1/projects/payments/vcsConnectors/db-${n}`);
      expect([gone.status, gone.json.message]).toEqual([404, `vcs connector "db-${n}" not found`]);
      expect((await req("DELETE", `/v1/vcsProviders/${id}`)).status).toBe(200);
    },
  );

  it.each(TYPES)(
    "%s: a missing branch is the plugin's answer in checkBranchExistence's words",
    async (type) => {
      const { externalId, body } = await providerWithRepo(type);
      const missing = await req("POST", "/v1/projects/payments/vcsConnectors?vcsConnectorId=nobranch", {
        body: body({ branch: "release" }),
      });
      if (type === "AZURE_DEVOPS") {
        // azure.go@2.15.0 GetBranch has no NotFound case: any non-2xx is "failed to check branch".
        expect(missing.status).toBe(500);
        expect(missing.json.message).toMatch(
          /^failed to check branch: non-200 GET https:\/\/dev\.azure\.com\/contoso\/.*\/stats\/branches\?api-version=7\.0&name=release status code 404 with body ".*TF401175/,
        );
      } else
        expect([missing.status, missing.json.message]).toEqual([
          404,
          `branch release not found in repository ${externalId}`,
        ]);
      const repoPath = type === "AZURE_DEVOPS" ? "contoso/platform/db" : "platform/db";
      c.git.addBranch(type, repoPath, "release");
      const made = await req("POST", "/v1/projects/payments/vcsConnectors?vcsConnectorId=nobranch", {
        body: body({ branch: "release" }),
      });
      expect(made.status).toBe(200);
      await req("DELETE", "/v1/projects/payments/vcsConnectors/nobranch");
    },
  );

  it.each(TYPES)(
    "%s: a webhook the Git provider refuses is create's Internal error; nothing is stored",
    async (type) => {
      const { body } = await providerWithRepo(type);
      c.git.refusePrivateHookUrls(type);
      try {
        const refused = await req("POST", "/v1/projects/payments/vcsConnectors?vcsConnectorId=refused", {
          body: body(),
        });
        expect(refused.status).toBe(500);
        expect(refused.json.message).toMatch(
          /^failed to create webhook for project payments with error: failed to create webhook: failed to create webhook/,
        );
        if (type === "GITLAB") expect(refused.json.message).toContain("status code: 422");
        if (type === "GITLAB")
          expect(refused.json.message).toContain("https://docs.gitlab.com/ee/security/webhooks.html");
        if (type === "GITHUB")
          expect(refused.json.message).toContain("isn't reachable over the public Internet");
        expect(c.vcs.connectors().some((x) => x.resourceId === "refused")).toBe(false);
      } finally {
        c.git.refusePrivateHookUrls(type, false);
      }
    },
  );

  it("create checks in Bytebase's order: body, external URL, project, id, provider, branch", async () => {
    const { body } = await providerWithRepo("GITLAB");
    const post = (project: string, id: string, b?: unknown) =>
      req(
        "POST",
        `/v1/projects/${project}/vcsConnectors?vcsConnectorId=${id}`,
        b === undefined ? {} : { body: b },
      );
    const empty = await post("payments", "x");
    expect([empty.status, empty.json.message]).toEqual([400, "vcs connector must be set"]);
    c.setExternalUrl(null);
    try {
      const noUrl = await post("nope", "x", body());
      expect([noUrl.status, noUrl.json.message]).toEqual([
        400,
        "external URL isn't setup yet, see https://www.bytebase.com/docs/get-started/install/external-url",
      ]);
    } finally {
      c.setExternalUrl(c.url);
    }
    const noProject = await post("nope", "x", body());
    expect([noProject.status, noProject.json.message]).toEqual([
      404,
      'project with resource id "nope" not found',
    ]);
    c.vcs.addProject("old");
    c.vcs.archiveProject("old");
    expect((await post("old", "x", body())).json.message).toBe('project with resource id "old" had deleted');
    expect((await post("default", "dup", body())).status).toBe(200);
    const dup = await post("default", "dup", body());
    expect([dup.status, dup.json.message]).toEqual([409, 'vcs connector "dup" already exists']);
    const badName = await post("default", "x", body({ vcsProvider: "gitlab" }));
    expect([badName.status, badName.json.message]).toEqual([400, 'invalid request "gitlab"']);
    const noProvider = await post("default", "x", body({ vcsProvider: "vcsProviders/nope" }));
    expect([noProvider.status, noProvider.json.message]).toEqual([404, "vcs nope not found"]);
    const noBranch = await post("default", "x", body({ branch: "" }));
    expect([noBranch.status, noBranch.json.message]).toEqual([400, "branch name is required"]);
    await req("DELETE", "/v1/projects/default/vcsConnectors/dup");
  });

  it("PATCH honours branch (checked again), base_directory and database_group; nothing else", async () => {
    const { body } = await providerWithRepo("GITHUB");
    await req("POST", "/v1/projects/payments/vcsConnectors?vcsConnectorId=patched", { body: body() });
    const path = "/v1/projects/payments/vcsConnectors/patched";
    const noBranch = await req("PATCH", `${path}?update_mask=branch`, { body: { branch: "dev" } });
    expect([noBranch.status, noBranch.json.message]).toEqual([
      404,
      "branch dev not found in repository platform/db",
    ]);
    c.git.addBranch("GITHUB", "platform/db", "dev");
    const changed = await req("PATCH", `${path}?update_mask=branch,base_directory,database_group,title`, {
      body: {
        branch: "dev",
        baseDirectory: "/schema",
        databaseGroup: "projects/payments/databaseGroups/all",
        title: "ignored",
      },
    });
    expect(changed.json).toMatchObject({
      branch: "dev",
      baseDirectory: version === "3.4" ? "/schema" : "schema",
      databaseGroup: "projects/payments/databaseGroups/all",
      title: "db",
    });
    if (version === "3.4") {
      const noSlash = await req("PATCH", `${path}?update_mask=base_directory`, {
        body: { baseDirectory: "x" },
      });
      expect([noSlash.status, noSlash.json.message]).toEqual([400, 'base directory should start with "/"']);
    }
    const missing = await req("PATCH", "/v1/projects/payments/vcsConnectors/nope?update_mask=branch", {
      body: { branch: "main" },
    });
    expect([missing.status, missing.json.message]).toEqual([404, 'vcs connector "nope" not found']);
    await req("DELETE", path);
  });

  it("base directory: 2.15 trims it (Azure DevOps gets a leading /), 3.4 refuses one without a leading / or with a trailing /", async () => {
    const { body } = await providerWithRepo("GITLAB");
    const post = (id: string, dir: string) =>
      req("POST", `/v1/projects/payments/vcsConnectors?vcsConnectorId=${id}`, {
        body: body({ baseDirectory: dir }),
      });
    const bare = await post("dir-a", "migrations/");
    const trailing = await post("dir-b", "/migrations/");
    if (version === "2.15") {
      expect([bare.json.baseDirectory, trailing.json.baseDirectory]).toEqual(["migrations", "migrations"]);
    } else {
      expect([bare.status, bare.json.message]).toEqual([400, 'base directory should start with "/"']);
      expect([trailing.status, trailing.json.message]).toEqual([
        400,
        'base directory should not end with "/"',
      ]);
      expect((await post("dir-root", "")).json.message).toBe('base directory should start with "/"');
    }
    for (const id of ["dir-a", "dir-b"]) await req("DELETE", `/v1/projects/payments/vcsConnectors/${id}`);
  });

  it("a workspace member is refused with the project in `extra`; an unknown project is get's words", async () => {
    const member = c.addServiceAccount(`member-${version.replace(".", "-")}`, "member");
    const token = await login(c.url, member.email, member.key);
    const denied = await call(c.url, "GET", "/v1/projects/payments/vcsConnectors", { token });
    expect([denied.status, denied.json.message]).toEqual([
      403,
      'permission denied for method "/bytebase.v1.VCSConnectorService/ListVCSConnectors", user does not have permission "bb.vcsConnectors.list", extra [payments]',
    ]);
    const unknown = await req("GET", "/v1/projects/nope/vcsConnectors/x");
    expect([unknown.status, unknown.json.message]).toEqual([404, 'project "nope" not found']);
  });
});

describe("Bytebase 2.14 has no vcsConnectors", () => {
  it("answers the gateway's 404", async () => {
    const { c, req } = await setup({ version: "2.14" });
    try {
      const answer = await req("GET", "/v1/projects/default/vcsConnectors");
      expect([answer.status, answer.json.message]).toEqual([404, "Not Found"]);
    } finally {
      await c.close();
    }
  });
});

// The foreign key keeps a connector's provider, so only a state whose provider row is gone reaches this answer.
describe.each(["2.15", "3.4"] as const)("Bytebase %s DeleteVCSConnector without its provider", (version) => {
  const dir = mkdtempSync(join(tmpdir(), "local-console-connector-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is NotFound naming the connector's own id (2.15.0) or the provider's resource id (3.4.1)", async () => {
    const file = join(dir, "state.json");
    const first = await startLocalConsole({ version, stateFile: file, rateLimit: false });
    first.vcs.addProject("payments");
    first.vcs.put({
      resourceId: "gl",
      title: "GitLab",
      type: "GITLAB",
      url: "https://gitlab.com",
      accessToken: "",
    });
    first.vcs.addConnector("vcsProviders/gl", "payments", "one");
    first.vcs.addConnector("vcsProviders/gl", "payments", "two");
    await first.close();
    const state = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown[]>;
    // vcs_connector.id: the sequence restarts at 101 (LATEST.sql@2.15.0, @3.4.1).
    expect(state.vcsConnectors!.map((c) => (c as { uid: number }).uid)).toEqual([101, 102]);
    writeFileSync(file, JSON.stringify({ ...state, vcsProviders: [] }));
    const second = await startLocalConsole({ version, stateFile: file, rateLimit: false });
    try {
      const token = await login(second.url, second.admin.email, second.admin.key);
      const answer = await call(second.url, "DELETE", "/v1/projects/payments/vcsConnectors/two", { token });
      expect([answer.status, answer.json.message]).toEqual([
        404,
        version === "3.4" ? "vcs provider gl not found" : "vcs provider 102 not found",
      ]);
    } finally {
      await second.close();
    }
  });
});
