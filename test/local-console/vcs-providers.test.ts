// The local console's `vcsProviders` (Bytebase 2.15 and 3.4) as vcs_provider_service.go@2.15.0 answers: the order of
// create's checks, the resource-id rule, the token checked at the fake Git provider with Bytebase's words, the update
// mask, getVCS's not-found, the in-use foreign key, the member's permissions, and the fake Git APIs themselves.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedLocalConsole } from "../../src/local-console";
import { call, login, setup, type CallOptions, type Answer } from "./helpers";

describe.each(["2.15", "3.4"])("Bytebase %s vcsProviders", (version) => {
  let c: StartedLocalConsole;
  let req: (method: string, path: string, o?: CallOptions) => Promise<Answer>;
  beforeAll(async () => {
    ({ c, req } = await setup({ version }));
  });
  afterAll(() => c?.close());

  const body = (token: string, over: Record<string, unknown> = {}) => ({
    title: "GitLab",
    type: "GITLAB",
    url: "https://gitlab.com",
    accessToken: token,
    ...over,
  });

  it("creates, gets, lists; an existing id is 409 before the id rule; a bad id is 400", async () => {
    const { token } = c.git.issueToken("GITLAB");
    const made = await req("POST", "/v1/vcsProviders?vcsProviderId=gitlab-main", { body: body(token) });
    expect(made.status).toBe(200);
    // 2.15 - 3.3 emit the empty INPUT_ONLY accessToken; 3.4.1's marshaler leaves it out (server.go@3.4.1).
    expect(made.json).toEqual({
      name: "vcsProviders/gitlab-main",
      title: "GitLab",
      type: "GITLAB",
      url: "https://gitlab.com",
      ...(version === "3.4" ? {} : { accessToken: "" }),
    });
    expect((await req("GET", "/v1/vcsProviders/gitlab-main")).json.name).toBe("vcsProviders/gitlab-main");
    expect(((await req("GET", "/v1/vcsProviders")).json.vcsProviders as unknown[]).length).toBeGreaterThan(0);
    const again = await req("POST", "/v1/vcsProviders?vcsProviderId=gitlab-main", { body: body(token) });
    expect([again.status, again.json.message]).toEqual([409, "vcs provider gitlab-main already exists"]);
    c.vcs.put({
      resourceId: "azure_devops",
      title: "Azure DevOps",
      type: "AZURE_DEVOPS",
      url: "https://dev.azure.com",
      accessToken: "",
    });
    const migrated = await req("POST", "/v1/vcsProviders?vcsProviderId=azure_devops", { body: body(token) });
    expect([migrated.status, migrated.json.message]).toEqual([
      409,
      "vcs provider azure_devops already exists",
    ]);
    const bad = await req("POST", "/v1/vcsProviders?vcsProviderId=Bad_Id", { body: body(token) });
    expect([bad.status, bad.json.message]).toEqual([400, "invalid vcs provider ID Bad_Id"]);
    expect((await req("GET", "/v1/vcsProviders/azure_devops")).status).toBe(200);
  });

  it("validates Title, Type, Url, Secret in that order, then checks the token at the Git provider", async () => {
    const empty = await req("POST", "/v1/vcsProviders?vcsProviderId=x1", { body: { type: "GITLAB" } });
    expect(empty.json.message).toBe("Empty VCSProvider.Title");
    const noToken = await req("POST", "/v1/vcsProviders?vcsProviderId=x1", { body: body("") });
    expect(noToken.json.message).toBe("Empty VCSProvider.Secret");
    const refused = await req("POST", "/v1/vcsProviders?vcsProviderId=x1", {
      body: body("glpat-unknown0000000000"),
    });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(
      /^failed to fetch repositories, please check if the token has right permissions: fetch paginated list: failed to fetch repository list from URL https:\/\/gitlab\.com\/api\/v4\/projects\?membership=true&simple=true&min_access_level=40&page=1&per_page=100, status code: 401, body: \{"message":"401 Unauthorized"\}$/,
    );
    expect(refused.text).not.toContain("glpat-unknown");
  });

  it("PATCH honours the mask's title and access_token (re-checking the token); not found is getVCS's words", async () => {
    const first = c.git.issueToken("GITHUB");
    await req("POST", "/v1/vcsProviders?vcsProviderId=gh", {
      body: body(first.token, { type: "GITHUB", url: "https://github.com", title: "GitHub" }),
    });
    const renamed = await req("PATCH", "/v1/vcsProviders/gh?update_mask=title,url", {
      body: { title: "GH", url: "https://x.example" },
    });
    expect(renamed.json).toMatchObject({ title: "GH", url: "https://github.com" });
    const bad = await req("PATCH", "/v1/vcsProviders/gh?update_mask=access_token", {
      body: { accessToken: "ghp_nope" },
    });
    expect(bad.status).toBe(400);
    const second = c.git.issueToken("GITHUB");
    expect(
      (
        await req("PATCH", "/v1/vcsProviders/gh?update_mask=access_token", {
          body: { accessToken: second.token },
        })
      ).status,
    ).toBe(200);
    expect(c.vcs.providers().find((p) => p.resourceId === "gh")!.accessToken).toBe(second.token);
    // An unknown key: the body-built mask refuses it (2.15 - 3.3 discard it on decoding); 3.4.1's decoder first.
    const unknownKey = await req("PATCH", "/v1/vcsProviders/gh", { body: { secret: "x" } });
    expect(unknownKey.json.message).toBe(
      version === "3.4"
        ? 'proto: (line 1:2): unknown field "secret"'
        : 'could not find field "secret" in "bytebase.v1.VCSProvider"',
    );
    const missing = await req("GET", "/v1/vcsProviders/nope");
    expect([missing.status, missing.json.message]).toEqual([404, "vcs provider vcsProviders/nope not found"]);
  });

  it("delete with connectors is the foreign-key 500; the connectors are listed; a member only reads", async () => {
    const { token } = c.git.issueToken("BITBUCKET");
    await req("POST", "/v1/vcsProviders?vcsProviderId=bb", {
      body: body(token, { type: "BITBUCKET", url: "https://bitbucket.org" }),
    });
    c.vcs.addConnector("vcsProviders/bb", "payments", "main");
    const refused = await req("DELETE", "/v1/vcsProviders/bb");
    expect(refused.status).toBe(500);
    // DeleteVCSProvider (vcs_provider_service.go@2.15.0, @3.4.1) wraps the store's Postgres error (pgconn's
    // `<severity>: <message> (SQLSTATE <code>)`); vcs_connector.vcs_id at 2.15.0, vcs_connector.vcs at 3.4.1
    // (LATEST.sql): Postgres names the key after it.
    expect(refused.json.message).toBe(
      'Failed to delete vcs provider: ERROR: update or delete on table "vcs" violates foreign key constraint ' +
        `"vcs_connector_vcs${version === "3.4" ? "" : "_id"}_fkey" on table "vcs_connector" (SQLSTATE 23503)`,
    );
    expect((await req("GET", "/v1/vcsProviders/bb/vcsConnectors")).json.vcsConnectors).toMatchObject([
      { name: "projects/payments/vcsConnectors/main", vcsProvider: "vcsProviders/bb" },
    ]);
    const member = c.addServiceAccount("reader", "member");
    const memberToken = await login(c.url, member.email, member.key);
    expect((await call(c.url, "GET", "/v1/vcsProviders/bb", { token: memberToken })).status).toBe(200);
    const denied = await call(c.url, "DELETE", "/v1/vcsProviders/bb", { token: memberToken });
    expect([denied.status, denied.json.message]).toEqual([
      403,
      'permission denied for method "/bytebase.v1.VCSProviderService/DeleteVCSProvider", user does not have permission "bb.vcsProviders.delete", extra []',
    ]);
    c.vcs.removeConnectors("vcsProviders/bb");
    expect((await req("DELETE", "/v1/vcsProviders/bb")).status).toBe(200);
  });

  it(":searchRepositories lists what the stored token sees, as Bytebase maps each type", async () => {
    const { token } = c.git.issueToken("AZURE_DEVOPS", { repositories: ["platform/db"] });
    await req("POST", "/v1/vcsProviders?vcsProviderId=ado", {
      body: body(token, { type: "AZURE_DEVOPS", url: "https://dev.azure.com" }),
    });
    const found = await req("POST", "/v1/vcsProviders/ado:searchRepositories", { body: {} });
    expect(found.json.repositories).toEqual([
      {
        // azure.go@2.15.0: `<organization>/<project id>/<repository id>`, GUIDs at Azure DevOps.
        id: expect.stringMatching(/^contoso\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/),
        title: "db",
        fullPath: "contoso/platform/db",
        webUrl: expect.stringContaining("/contoso/platform/_git/db"),
      },
    ]);
  });
});

describe("Bytebase 2.14 has no vcsProviders", () => {
  it("answers the gateway's 404", async () => {
    const { c, req } = await setup({ version: "2.14" });
    try {
      const answer = await req("GET", "/v1/vcsProviders");
      expect([answer.status, answer.json.message]).toEqual([404, "Not Found"]);
    } finally {
      await c.close();
    }
  });
});
