// The workspace profile setting (external URL normalization, the body is the Setting) and the public actuator info.
// Who may read and change it, per version: versions.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedLocalConsole } from "../../src/local-console";
import { call, login, setup, type CallOptions } from "./helpers";

let c: StartedLocalConsole;
let req: (method: string, path: string, o?: CallOptions) => ReturnType<typeof call>;

beforeAll(async () => {
  ({ c, req } = await setup({ version: "2.13.2" }));
});
afterAll(() => c.close());

const PATH = "/v1/settings/bb.workspace.profile";
const patch = (externalUrl: string) =>
  req("PATCH", PATH, {
    body: { name: "settings/bb.workspace.profile", value: { workspaceProfileSettingValue: { externalUrl } } },
  });

describe("bb.workspace.profile", () => {
  it("defaults the external URL to the console's own URL", async () => {
    const answer = await req("GET", PATH);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      name: "settings/bb.workspace.profile",
      value: { workspaceProfileSettingValue: { externalUrl: c.url, disallowSignup: false } },
    });
  });

  it.each([
    ["  https://bytebase.example.com/  ", "https://bytebase.example.com"],
    ["https://bytebase.example.com:443", "https://bytebase.example.com"],
    ["http://bytebase.example.com:80/", "http://bytebase.example.com"],
    ["http://10.0.0.5:8080", "http://10.0.0.5:8080"],
    ["https://example.com/bytebase", "https://example.com/bytebase"],
  ])("normalizes %j to %j as Bytebase does", async (given, stored) => {
    const answer = await patch(given);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ value: { workspaceProfileSettingValue: { externalUrl: stored } } });
    expect((await call(c.url, "GET", "/v1/actuator/info")).json.externalUrl).toBe(stored);
  });

  it("refuses a URL without http(s) with 400 invalid external url", async () => {
    const answer = await patch("bytebase.example.com");
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      code: 3,
      message: "invalid external url: bytebase.example.com must start with http:// or https://",
      details: [],
    });
  });

  it("takes the body as the Setting: a body wrapped as {setting} carries no value and unsets the URL", async () => {
    await patch("https://bytebase.example.com");
    const answer = await req("PATCH", PATH, {
      body: {
        setting: {
          name: "settings/bb.workspace.profile",
          value: { workspaceProfileSettingValue: { externalUrl: "https://wrapped.example.com" } },
        },
      },
    });
    expect(answer.status).toBe(200);
    expect((await req("GET", PATH)).json).toMatchObject({
      value: { workspaceProfileSettingValue: { externalUrl: "" } },
    });
  });

  it("needs a token to read it; a Developer may read it on 2.13", async () => {
    const m = c.addServiceAccount("reader", "member");
    const token = await login(c.url, m.email, m.key);
    expect((await call(c.url, "GET", PATH, { token })).status).toBe(200);
    expect((await call(c.url, "GET", PATH)).status).toBe(401);
  });

  // ListSettings needs bb.settings.list, held by every workspace role (bytebase acl.yaml@2.14.0).
  it("is listed by GET /v1/settings to any role", async () => {
    c.setExternalUrl("https://bb.example.com");
    const m = c.addServiceAccount("lister", "member");
    const token = await login(c.url, m.email, m.key);
    const answer = await call(c.url, "GET", "/v1/settings", { token });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      settings: [
        expect.objectContaining({
          name: "settings/bb.workspace.profile",
          value: {
            workspaceProfileSettingValue: expect.objectContaining({ externalUrl: "https://bb.example.com" }),
          },
        }),
      ],
    });
    expect((await call(c.url, "GET", "/v1/settings")).status).toBe(401);
  });

  it("is also set programmatically (null unsets it)", async () => {
    c.setExternalUrl("https://bb.example.com/ ");
    expect(c.externalUrl).toBe("https://bb.example.com");
    c.setExternalUrl(null);
    expect((await call(c.url, "GET", "/v1/actuator/info")).json.externalUrl).toBe("");
    expect(() => c.setExternalUrl("ftp://x")).toThrow(/invalid external url/);
  });
});

describe("GET /v1/actuator/info", () => {
  it("answers without a token, with the version and the external URL", async () => {
    c.setExternalUrl("https://bytebase.example.com");
    const answer = await call(c.url, "GET", "/v1/actuator/info");
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      version: "2.13.2",
      externalUrl: "https://bytebase.example.com",
      saas: false,
    });
  });

  it("starts with no external URL when asked to", async () => {
    const { c: bare } = await setup({ externalUrl: null });
    try {
      expect((await call(bare.url, "GET", "/v1/actuator/info")).json).toMatchObject({
        externalUrl: "",
        version: "2.14.0",
      });
    } finally {
      await bare.close();
    }
  });
});
