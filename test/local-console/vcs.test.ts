// The externalVersionControls resource: ids, validation, apiUrl, masks, %2F names, delete refused while in use.
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
  it("assigns ids from 101, derives apiUrl, strips the trailing '/', never returns the secret", async () => {
    const first = await create({ url: "https://github.com/", extra: "dropped" });
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
  ])("derives the apiUrl of %s %s", async (type, url, apiUrl) => {
    const answer = await create({ type, url });
    expect(answer.json).toMatchObject({ type, url, apiUrl, secret: "" });
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

  it("fails a url without http(s):// in the database (500)", async () => {
    const answer = await create({ url: "github.com" });
    expect(answer.status).toBe(500);
    expect(answer.json.code).toBe(13);
    expect(answer.json.message).toMatch(/^Failed to create external version control: /);
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

  it("lists every provider in id order, secrets blank", async () => {
    const answer = await req("GET", "/v1/externalVersionControls");
    const list = answer.json.externalVersionControls as Array<Record<string, unknown>>;
    expect(answer.json.nextPageToken).toBe("");
    expect(list.length).toBe(c.listProviders().length);
    expect(list[0]!.name).toBe("externalVersionControls/101");
    expect(list.every((p) => p.secret === "")).toBe(true);
  });

  it("answers unknown routes with 404 Not Found", async () => {
    expect((await req("GET", "/v1/nothing")).json).toEqual({ code: 5, message: "Not Found", details: [] });
  });
});

describe("update", () => {
  it("takes the mask from the query (snake_case or camelCase) and ignores other paths", async () => {
    const name = (await create()).json.name as string;
    const body = {
      title: "Renamed",
      applicationId: "Ov23liZZZZZZZZZZZZZZ",
      url: "https://other.example.com",
      type: "GITLAB",
    };
    const a = await req("PATCH", `/v1/${name}?update_mask=title,url,type`, { body });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({
      title: "Renamed",
      applicationId: "Ov23liAbCdEfGhIjKlMn",
      url: "https://github.com",
      type: "GITHUB",
    });
    const b = await req("PATCH", `/v1/${name}?update_mask=applicationId`, { body });
    expect(b.json).toMatchObject({ applicationId: "Ov23liZZZZZZZZZZZZZZ", secret: "" });
  });

  it("takes the mask from the body's keys when the query has none", async () => {
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

  it("answers 404 for an unknown id and 400 for a non-numeric one", async () => {
    expect((await req("PATCH", "/v1/externalVersionControls/4242", { body: { title: "x" } })).status).toBe(
      404,
    );
    expect(
      (await req("PATCH", "/v1/externalVersionControls/abc", { body: { title: "x" } })).json.message,
    ).toBe('invalid ID "abc"');
  });
});

describe("delete and linked projects", () => {
  it("refuses to delete a provider a project uses (500), then deletes it once unlinked", async () => {
    const name = (await create()).json.name as string;
    const id = name.split("/")[1]!;
    c.linkProject(id, "Payments DB");
    const projects = await req("GET", `/v1/${name}/projects`);
    expect(projects.json.projectGitopsInfo).toEqual([
      expect.objectContaining({ name: "projects/payments-db/gitOpsInfo", title: "Payments DB", vcsUid: id }),
    ]);
    const refused = await req("DELETE", `/v1/${name}`);
    expect(refused.status).toBe(500);
    expect(refused.json.code).toBe(13);
    expect(refused.json.message).toMatch(/foreign key constraint/);
    expect(c.listProviders().some((p) => p.id === id)).toBe(true);
    c.unlinkProjects(name);
    const deleted = await req("DELETE", `/v1/${name.replace("/", "%2F")}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({});
    expect((await req("GET", `/v1/${name}`)).status).toBe(404);
    expect((await req("DELETE", `/v1/${name}`)).status).toBe(404);
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
