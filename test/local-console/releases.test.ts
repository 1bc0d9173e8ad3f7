// Each release of the access-token era (2.15.0 - 3.4.1) served by its row of the rule table (versions.ts
// RULE_CHANGES): the base directory (vcs_connector_service.go@2.15.0, @2.16.0, @2.19.0), the marshaling and the
// unknown route's 404 (backend/server/server.go@3.0.0, @3.4.1), the rate limiter (routers.go@3.3.1 vs @3.4.1), the
// in-use foreign key (3.4/0007##less_id.sql@3.4.1), the webhook's target (gitopsWebhookUrl), and :searchRepositories
// following every page at the Git provider while the token check reads the first only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitProviderType } from "../../src/catalog";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { call, setup, type Answer, type CallOptions } from "./helpers";

const URLS: Record<GitProviderType, string> = {
  GITLAB: "https://gitlab.com",
  GITHUB: "https://github.com",
  BITBUCKET: "https://bitbucket.org",
  AZURE_DEVOPS: "https://dev.azure.com",
};

/** A console of `version` with project `payments`, and a GitLab provider `gl` whose token sees `platform/db`. */
async function consoleOf(version: string, opts: { rateLimit?: boolean } = {}) {
  const { c, req } = await setup({ version, ...opts });
  c.vcs.addProject("payments");
  const { token } = c.git.issueToken("GITLAB", { repositories: ["platform/db"] });
  const made = await req("POST", "/v1/vcsProviders?vcsProviderId=gl", {
    body: { title: "GitLab", type: "GITLAB", url: URLS.GITLAB, accessToken: token },
  });
  expect(made.status).toBe(200);
  const [repo] = (await req("POST", "/v1/vcsProviders/gl:searchRepositories", { body: {} })).json
    .repositories as { id: string; fullPath: string }[];
  const connector = (id: string, baseDirectory: string) =>
    req("POST", `/v1/projects/payments/vcsConnectors?vcsConnectorId=${id}`, {
      body: {
        title: "db",
        vcsProvider: "vcsProviders/gl",
        externalId: repo!.id,
        fullPath: repo!.fullPath,
        branch: "main",
        baseDirectory,
      },
    });
  return { c, req, connector };
}

describe("the releases between the eras", () => {
  it.each(["2.16", "2.19.0", "2.22.3", "2.23.1", "3.0", "3.1.2", "3.3.1"])(
    "--version %s is served, reported as that release",
    async (version) => {
      const c = await startLocalConsole({ version, rateLimit: false });
      try {
        const info = await call(c.url, "GET", "/v1/actuator/info");
        expect(info.json.version).toBe(/^\d+\.\d+$/.test(version) ? `${version}.0` : version);
        expect((await call(c.url, "GET", "/v1/vcsProviders")).status).toBe(401); // the route exists
      } finally {
        await c.close();
      }
    },
  );

  it("refuses what no Bytebase release is", async () => {
    for (const version of ["2.24", "3.5", "1.9"])
      await expect(startLocalConsole({ version })).rejects.toThrow(
        /a release of 2\.5 - 2\.23, 3\.0 - 3\.4 or 3\.15 - 3\.21/,
      );
  });
});

describe.each([
  // [release, a bare "migrations" on create, the root "/" on create, "/migrations/" on create]
  ["2.15.0", "migrations", "", "migrations"],
  ["2.16.0", 'base directory should start with "/"', "/", "/migrations/"],
  ["2.18.0", 'base directory should start with "/"', "/", "/migrations/"],
  [
    "2.19.0",
    'base directory should start with "/"',
    'base directory should not end with "/"',
    'base directory should not end with "/"',
  ],
  [
    "3.4.1",
    'base directory should start with "/"',
    'base directory should not end with "/"',
    'base directory should not end with "/"',
  ],
])("Bytebase %s: the base directory", (version, bare, root, trailing) => {
  let bb: Awaited<ReturnType<typeof consoleOf>>;
  beforeAll(async () => {
    bb = await consoleOf(version);
  });
  afterAll(() => bb?.c.close());
  const outcome = (a: Answer) =>
    a.status === 200 ? ((a.json.baseDirectory as string | undefined) ?? "") : a.json.message;

  it("create: stored or refused by the release's rule", async () => {
    expect(outcome(await bb.connector("bare", "migrations"))).toBe(bare);
    expect(outcome(await bb.connector("root", "/"))).toBe(root);
    expect(outcome(await bb.connector("trailing", "/migrations/"))).toBe(trailing);
  });

  it("update: only the leading '/' is checked from 2.16 (the root '/' is accepted)", async () => {
    expect((await bb.connector("upd", version === "2.15.0" ? "m" : "/m")).status).toBe(200);
    const patched = await bb.req(
      "PATCH",
      "/v1/projects/payments/vcsConnectors/upd?update_mask=base_directory",
      {
        body: { baseDirectory: "/" },
      },
    );
    expect([patched.status, patched.json.baseDirectory ?? ""]).toEqual([
      200,
      version === "2.15.0" ? "" : "/",
    ]);
  });
});

describe.each([
  ["2.23.0", "emit", "Not Found", true, "vcs_connector_vcs_id_fkey"],
  ["3.0.0", "emit", "routing-error", true, "vcs_connector_vcs_id_fkey"],
  ["3.3.1", "emit", "routing-error", true, "vcs_connector_vcs_id_fkey"],
  ["3.4.1", "omit", "routing-error", false, "vcs_connector_vcs_fkey"],
] as const)("Bytebase %s: the gateway", (version, marshaling, notFound, limiter, fkey) => {
  let bb: Awaited<ReturnType<typeof consoleOf>>;
  beforeAll(async () => {
    bb = await consoleOf(version, { rateLimit: true });
  });
  afterAll(() => bb?.c.close());

  it(`${marshaling === "emit" ? "emits" : "leaves out"} empty fields, ${marshaling === "emit" ? "discards" : "refuses"} unknown body keys`, async () => {
    const list = await bb.req("GET", "/v1/vcsProviders");
    expect("nextPageToken" in list.json).toBe(marshaling === "emit");
    expect("accessToken" in (list.json.vcsProviders as object[])[0]!).toBe(marshaling === "emit");
    const error = await bb.req("GET", "/v1/vcsProviders/nope");
    expect("details" in error.json).toBe(marshaling === "emit");
    const extra = await bb.req("POST", "/v1/projects/payments/vcsConnectors?vcsConnectorId=extra", {
      body: {
        vcsProvider: "vcsProviders/gl",
        branch: "main",
        baseDirectory: "/m",
        fullPath: "x",
        color: "red",
      },
    });
    if (marshaling === "emit") expect(extra.json.message).not.toMatch(/unknown field/);
    else
      expect([extra.status, extra.json.message]).toEqual([400, 'proto: (line 1:86): unknown field "color"']);
  });

  it(`answers an unknown route 404 ${notFound === "Not Found" ? "Not Found" : "with the request URI"}`, async () => {
    const missing = await bb.req("GET", "/v1/nowhere/x?y=1");
    expect([missing.status, missing.json.code, missing.json.message]).toEqual([
      404,
      5,
      notFound === "Not Found"
        ? "Not Found"
        : "Routing error. Please check the request URI /v1/nowhere/x?y=1",
    ]);
  });

  it(`${limiter ? "has" : "has no"} rate limiter`, () => {
    expect(bb.c.rateLimit.on).toBe(limiter);
  });

  it(`names ${fkey} when a provider in use is deleted`, async () => {
    expect((await bb.connector("in-use", "/m")).status).toBe(200);
    const refused = await bb.req("DELETE", "/v1/vcsProviders/gl");
    expect([refused.status, refused.json.message]).toEqual([
      500,
      `Failed to delete vcs provider: ERROR: update or delete on table "vcs" violates foreign key constraint "${fkey}" on table "vcs_connector" (SQLSTATE 23503)`,
    ]);
  });
});

describe("the connector's webhook target", () => {
  let c: StartedLocalConsole;
  let req: (method: string, path: string, o?: CallOptions) => Promise<Answer>;
  let connector: (id: string, dir: string) => Promise<Answer>;
  beforeAll(async () => {
    ({ c, req, connector } = await consoleOf("3.4"));
  });
  afterAll(() => c?.close());

  it("is the gitopsWebhookUrl setting when set (normalized as the external URL), else the external URL", async () => {
    expect((await connector("plain", "/m")).status).toBe(200);
    const profile = (gitopsWebhookUrl: string) => ({
      name: "settings/bb.workspace.profile",
      value: { workspaceProfileSettingValue: { externalUrl: c.externalUrl, gitopsWebhookUrl } },
    });
    const bad = await req("PATCH", "/v1/settings/bb.workspace.profile", {
      body: profile("hooks.example.com"),
    });
    expect([bad.status, bad.json.message]).toEqual([
      400,
      "invalid GitOps webhook URL: hooks.example.com must start with http:// or https://",
    ]);
    const set = await req("PATCH", "/v1/settings/bb.workspace.profile", {
      body: profile("https://hooks.example.com:443/"),
    });
    expect(set.status).toBe(200);
    expect((await call(c.url, "GET", "/v1/actuator/info")).json.gitopsWebhookUrl).toBe(
      "https://hooks.example.com",
    );
    expect((await connector("hooked", "/m")).status).toBe(200);
    const urls = c.git.hooks("GITLAB", "platform/db").map((h) => h.url);
    expect(urls).toEqual([
      expect.stringMatching(
        new RegExp(`^${c.externalUrl}/hook/workspaces/[^/]+/projects/payments/vcsConnectors/plain$`),
      ),
      expect.stringMatching(
        /^https:\/\/hooks\.example\.com\/hook\/workspaces\/[^/]+\/projects\/payments\/vcsConnectors\/hooked$/,
      ),
    ]);
  });
});

describe(":searchRepositories follows every page; the token check reads the first", () => {
  let c: StartedLocalConsole;
  let req: (method: string, path: string, o?: CallOptions) => Promise<Answer>;
  beforeAll(async () => {
    ({ c, req } = await setup({ version: "3.4" }));
  });
  afterAll(() => c?.close());
  const many = Array.from({ length: 230 }, (_, i) => `team/repo-${String(i).padStart(3, "0")}`);

  it.each(["GITLAB", "GITHUB", "BITBUCKET"] as const)(
    "%s: all 230 repositories, in pages of 100",
    async (type) => {
      const { token } = c.git.issueToken(type, { repositories: many });
      const id = `many-${type.toLowerCase()}`;
      const made = await req("POST", `/v1/vcsProviders?vcsProviderId=${id}`, {
        body: { title: type, type, url: URLS[type], accessToken: token },
      });
      expect(made.status).toBe(200);
      const found = await req("POST", `/v1/vcsProviders/${id}:searchRepositories`, { body: {} });
      const paths = (found.json.repositories as { fullPath: string }[]).map((r) => r.fullPath);
      expect(paths).toHaveLength(230);
      expect(new Set(paths)).toEqual(new Set(many));
    },
  );

  it("AZURE_DEVOPS: the token check reads the first organization only, the search every one", async () => {
    const { token } = c.git.issueToken("AZURE_DEVOPS", { organizations: ["contoso", "fabrikam"] });
    c.faults.inject({ target: "AZURE_DEVOPS", path: "/fabrikam/_apis/git/repositories", status: 500 });
    try {
      const made = await req("POST", "/v1/vcsProviders?vcsProviderId=two-orgs", {
        body: { title: "Azure", type: "AZURE_DEVOPS", url: URLS.AZURE_DEVOPS, accessToken: token },
      });
      expect(made.status).toBe(200);
      const found = await req("POST", "/v1/vcsProviders/two-orgs:searchRepositories", { body: {} });
      expect(found.status).toBe(500);
      expect(found.json.message).toMatch(
        /^Failed to fetch external project list: failed to list repositories under the organization fabrikam: non-200 GET/,
      );
    } finally {
      c.faults.clear();
    }
    const found = await req("POST", "/v1/vcsProviders/two-orgs:searchRepositories", { body: {} });
    expect((found.json.repositories as { fullPath: string }[]).map((r) => r.fullPath)).toEqual([
      "contoso/platform/db",
      "fabrikam/platform/db",
    ]);
  });
});
