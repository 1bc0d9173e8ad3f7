// The externalVersionControls resource (Bytebase 2.14, the default): ids, validation, apiUrl, grpc-gateway's routing
// and mask rules, heap-order lists, pgx errors, %2F names, delete refused while in use, ListProjectGitOpsInfo.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedLocalConsole } from "../../src/local-console";
import { call, provider, setup, type CallOptions } from "./helpers";

let c: StartedLocalConsole;
let req: (method: string, path: string, o?: CallOptions) => ReturnType<typeof call>;

beforeAll(async () => {
  ({ c, req } = await setup());
});
afterAll(() => c.close());

const create = (overrides: Record<string, unknown> = {}) =>
  req("POST", "/v1/externalVersionControls", { body: provider(overrides) });

describe("create, get, list", () => {
  it("assigns ids from 101, derives apiUrl, discards unknown keys, never returns the secret", async () => {
    const first = await create({ extra: "dropped" });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      name: "externalVersionControls/101",
      title: "GitHub.com",
      type: "GITHUB",
      url: "https://github.com",
      apiUrl: "https://api.github.com",
      applicationId: "Ov23liAbCdEfGhIjKlMn",
      secret: "",
    });
    expect((await create()).json.name).toBe("externalVersionControls/102");
    expect(c.listProviders().find((p) => p.id === "101")?.secret).toBe(provider().secret);
  });

  it.each([
    ["GITHUB", "https://ghe.example.com", "https://ghe.example.com/api/v3"],
    ["GITLAB", "https://gitlab.com", "https://gitlab.com/api/v4"],
    ["BITBUCKET", "https://bitbucket.org", "https://api.bitbucket.org/2.0"],
    ["AZURE_DEVOPS", "https://dev.azure.com", "https://dev.azure.com"],
    ["GITLAB", "https://git.example.com/gitlab", "https://git.example.com/gitlab/api/v4"],
  ])("derives the apiUrl of %s %s", async (type, url, apiUrl) => {
    const answer = await create({ type, url });
    expect(answer.json).toMatchObject({ type, url, apiUrl, secret: "" });
  });

  it("trims the URL's trailing '/' but derives the apiUrl from the URL as given", async () => {
    const github = await create({ url: "https://github.com/" });
    expect(github.json).toMatchObject({ url: "https://github.com", apiUrl: "https://github.com//api/v3" });
    const gitlab = await create({ type: "GITLAB", url: "https://gitlab.com//" });
    expect(gitlab.json).toMatchObject({ url: "https://gitlab.com", apiUrl: "https://gitlab.com///api/v4" });
    // Azure DevOps' apiUrl is the URL itself: with its '/' it fails the vcs table's api_url check.
    const azure = await create({ type: "AZURE_DEVOPS", url: "https://dev.azure.com/" });
    expect(azure.status).toBe(500);
    expect(azure.json.message).toBe(
      'Failed to create external version control: ERROR: new row for relation "vcs" violates check constraint "vcs_api_url_check" (SQLSTATE 23514)',
    );
  });

  it("has no duplicate check: identical bodies make two providers", async () => {
    const a = await create({ title: "Twin" });
    const b = await create({ title: "Twin" });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.json.name).not.toBe(b.json.name);
  });

  it.each([
    ["title", "Empty ExternalVersionControl.Title"],
    ["type", "Empty ExternalVersionControl.Type"],
    ["url", "Empty ExternalVersionControl.Url"],
    ["applicationId", "Empty ExternalVersionControl.ApplicationId"],
    ["secret", "Empty ExternalVersionControl.Secret"],
  ])("refuses an empty %s with 400 %j", async (field, message) => {
    const answer = await create({ [field]: field === "type" ? "TYPE_UNSPECIFIED" : "" });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ code: 3, message, details: [] });
  });

  it("fails a url without http(s):// in the database (500, pgx's text)", async () => {
    const answer = await create({ url: "github.com" });
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({
      code: 13,
      message:
        'Failed to create external version control: ERROR: new row for relation "vcs" violates check constraint "vcs_api_url_check" (SQLSTATE 23514)',
      details: [],
    });
  });

  it("refuses an unknown enum value and malformed JSON with 400", async () => {
    expect((await create({ type: "GITEA" })).json.code).toBe(3);
    const bad = await req("POST", "/v1/externalVersionControls", { body: "{not json" });
    expect(bad.status).toBe(400);
  });

  it("gets by id, with the slash escaped or not; 400 for a non-numeric id, 404 for an unknown one", async () => {
    expect((await req("GET", "/v1/externalVersionControls/101")).json.name).toBe(
      "externalVersionControls/101",
    );
    expect((await req("GET", "/v1/externalVersionControls%2F101")).json.name).toBe(
      "externalVersionControls/101",
    );
    const bad = await req("GET", "/v1/externalVersionControls/x");
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ code: 3, message: 'invalid ID "x"', details: [] });
    const missing = await req("GET", "/v1/externalVersionControls/999");
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe(5);
  });

  it("lists every provider without order (an updated one comes last), secrets blank", async () => {
    const names = async () =>
      (
        (await req("GET", "/v1/externalVersionControls")).json.externalVersionControls as Array<
          Record<string, unknown>
        >
      ).map((p) => p.name);
    const answer = await req("GET", "/v1/externalVersionControls");
    const list = answer.json.externalVersionControls as Array<Record<string, unknown>>;
    expect(answer.json.nextPageToken).toBe("");
    expect(list.length).toBe(c.listProviders().length);
    expect(list[0]!.name).toBe("externalVersionControls/101");
    expect(list.every((p) => p.secret === "")).toBe(true);
    expect((await req("PATCH", "/v1/externalVersionControls/101", { body: { title: "Moved" } })).status).toBe(
      200,
    );
    const after = await names();
    expect(after.at(-1)).toBe("externalVersionControls/101");
    expect(after[0]).toBe("externalVersionControls/102");
  });
});

describe("grpc-gateway routing", () => {
  it("answers an unknown /v1/ route with 404 Not Found, a known path with the wrong method with 501", async () => {
    expect((await req("GET", "/v1/nothing")).json).toEqual({ code: 5, message: "Not Found", details: [] });
    const wrongMethod = await req("PUT", "/v1/externalVersionControls/101", { body: provider() });
    expect(wrongMethod.status).toBe(501);
    expect(wrongMethod.json).toEqual({ code: 12, message: "Method Not Allowed", details: [] });
    expect((await req("POST", "/v1/externalVersionControls/101", { body: {} })).status).toBe(501);
    expect((await req("GET", "/v1/externalVersionControls/101:searchProjects")).json.message).toBe(
      'invalid ID "101:searchProjects"',
    );
  });

  it("answers paths outside /v1/ from the web app: 200 HTML, whatever the method", async () => {
    for (const method of ["GET", "POST"]) {
      const body = method === "POST" ? provider() : undefined;
      const answer = await req(method, "/bytebase/v1/externalVersionControls", { body });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toMatch(/^text\/html/);
      expect(answer.text).toMatch(/^<!DOCTYPE html>/);
    }
    expect((await call(c.url, "GET", "/healthz")).text).toBe("OK");
  });
});

describe("update: grpc-gateway's mask rules", () => {
  const body = {
    title: "Renamed",
    applicationId: "Ov23liZZZZZZZZZZZZZZ",
    url: "https://other.example.com",
    type: "GITLAB",
  };

  it("builds the mask from the body's keys when the query has none; the service ignores url and type", async () => {
    const name = (await create()).json.name as string;
    const answer = await req("PATCH", `/v1/${name.replace("/", "%2F")}`, {
      body: { secret: "ffffffffffffffffffffffffffffffffffffffff", url: "https://ignored.example.com" },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ url: "https://github.com", secret: "" });
    const id = name.split("/")[1];
    expect(c.listProviders().find((p) => p.id === id)?.secret).toBe(
      "ffffffffffffffffffffffffffffffffffffffff",
    );
    const both = await req("PATCH", `/v1/${name}`, {
      body: { title: "B", application_id: "Ov23liYYYYYYYYYYYYYY" },
    });
    expect(both.json).toMatchObject({ title: "B", applicationId: "Ov23liYYYYYYYYYYYYYY" });
  });

  it("refuses an unknown body key with 400, even when the query names the mask", async () => {
    const name = (await create()).json.name as string;
    for (const path of [`/v1/${name}`, `/v1/${name}?update_mask=title`]) {
      const answer = await req("PATCH", path, { body: { title: "x", displayName: "x" } });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({
        code: 3,
        message: 'could not find field "displayName" in "bytebase.v1.ExternalVersionControl"',
        details: [],
      });
    }
    expect(c.listProviders().find((p) => `externalVersionControls/${p.id}` === name)?.title).toBe(
      "GitHub.com",
    );
  });

  it("lets ?update_mask= replace the body's mask verbatim: snake_case paths only", async () => {
    const name = (await create()).json.name as string;
    const a = await req("PATCH", `/v1/${name}?update_mask=title,url,type`, { body });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({
      title: "Renamed",
      applicationId: "Ov23liAbCdEfGhIjKlMn",
      url: "https://github.com",
      type: "GITHUB",
    });
    for (const mask of [
      "applicationId",
      "title, application_id",
      "external_version_control.application_id",
    ]) {
      const ignored = await req("PATCH", `/v1/${name}?update_mask=${encodeURIComponent(mask)}`, { body });
      expect(ignored.status).toBe(200);
      expect(ignored.json.applicationId).toBe("Ov23liAbCdEfGhIjKlMn");
    }
    const json = await req("PATCH", `/v1/${name}?updateMask=application_id`, { body });
    expect(json.json).toMatchObject({ applicationId: "Ov23liZZZZZZZZZZZZZZ", secret: "" });
  });

  it("refuses the mask parameter given twice with 400", async () => {
    const name = (await create()).json.name as string;
    const answer = await req("PATCH", `/v1/${name}?update_mask=title&update_mask=secret`, { body });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      code: 3,
      message: 'too many values for field "update_mask": title, secret',
      details: [],
    });
  });

  it.each([
    ["title", "title should not be empty"],
    ["application_id", "application_id should not be empty"],
    ["secret", "secret should not be empty"],
  ])("refuses an empty masked %s with 400", async (path, message) => {
    const name = (await create()).json.name as string;
    const answer = await req("PATCH", `/v1/${name}?update_mask=${path}`, { body: { title: "" } });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ code: 3, message, details: [] });
  });

  it("answers 404 with Bytebase's own message for an unknown id and 400 for a non-numeric one", async () => {
    const missing = await req("PATCH", "/v1/externalVersionControls/4242", { body: { title: "x" } });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      code: 5,
      message: "External version control not found: <nil>",
      details: [],
    });
    expect(
      (await req("PATCH", "/v1/externalVersionControls/abc", { body: { title: "x" } })).json.message,
    ).toBe('invalid ID "abc"');
  });
});

describe("delete and linked projects", () => {
  it("refuses to delete a provider a project uses (500), then deletes it once unlinked", async () => {
    const name = (await create()).json.name as string;
    const id = name.split("/")[1]!;
    c.linkProject(id, "Payments DB", "payments-migrations");
    const projects = await req("GET", `/v1/${name}/projects`);
    expect(projects.json.projectGitopsInfo).toEqual([
      expect.objectContaining({
        name: "projects/payments-db/gitOpsInfo",
        title: "payments-migrations",
        vcsUid: id,
      }),
    ]);
    const refused = await req("DELETE", `/v1/${name}`);
    expect(refused.status).toBe(500);
    expect(refused.json).toEqual({
      code: 13,
      message:
        'Failed to delete external version control: ERROR: update or delete on table "vcs" violates foreign key constraint "repository_vcs_id_fkey" on table "repository" (SQLSTATE 23503)',
      details: [],
    });
    expect(c.listProviders().some((p) => p.id === id)).toBe(true);
    c.unlinkProjects(name);
    const deleted = await req("DELETE", `/v1/${name.replace("/", "%2F")}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({});
    expect((await req("GET", `/v1/${name}`)).status).toBe(404);
    expect((await req("DELETE", `/v1/${name}`)).status).toBe(404);
  });

  it("lists the linked repositories of any id without checking that the provider exists", async () => {
    const answer = await req("GET", "/v1/externalVersionControls/98765/projects");
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ projectGitopsInfo: [] });
    expect((await req("GET", "/v1/externalVersionControls/x/projects")).status).toBe(400);
  });

  it("lists no repositories for :searchProjects", async () => {
    const answer = await req("POST", "/v1/externalVersionControls/101:searchProjects", {
      body: { accessToken: "t" },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ projects: [] });
    expect(() => c.linkProject("9999")).toThrow();
  });
});
