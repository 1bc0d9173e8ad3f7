// Bytebase per version: what the actuator reports, who may do what (2.5 - 2.13 roles, 2.14 acl.yaml), 2.15's routes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalConsole, type Role, type StartedLocalConsole } from "../../src/local-console";
import { call, login, provider, setup } from "./helpers";

const PROFILE = "/v1/settings/bb.workspace.profile";
const EVC = "/v1/externalVersionControls";
const setting = (externalUrl: string) => ({
  name: "settings/bb.workspace.profile",
  value: { workspaceProfileSettingValue: { externalUrl } },
});

/** A console of `version` and a caller of each role. */
async function consoleOf(version: string) {
  const { c, token: admin } = await setup({ version, externalUrl: "https://bytebase.example.com" });
  const tokens: Record<Role, string> = { admin, dba: "", member: "" };
  for (const role of ["dba", "member"] as const) {
    const sa = c.addServiceAccount(`${role}-bot`, role);
    tokens[role] = await login(c.url, sa.email, sa.key);
  }
  const as = (role: Role, method: string, path: string, body?: unknown) =>
    call(c.url, method, path, { token: tokens[role], body });
  return { c, as };
}

describe("GET /v1/actuator/info per version", () => {
  it.each([
    ["2.5", "2.5.0", []],
    ["2.13", "2.13.0", ["lsp", "preUpdateBackup"]],
    ["2.14", "2.14.0", ["lsp", "preUpdateBackup", "iamGuard", "unlicensedFeatures"]],
    ["2.15", "2.15.0", ["lsp", "preUpdateBackup", "iamGuard", "unlicensedFeatures"]],
    ["2.14.2", "2.14.2", ["iamGuard"]],
    ["2.10", "2.10.0", []],
  ])("--version %s reports %s with that version's fields", async (version, reported, extra) => {
    const c = await startLocalConsole({ version });
    try {
      const info = await call(c.url, "GET", "/v1/actuator/info");
      expect(info.status).toBe(200);
      expect(info.json.version).toBe(reported);
      expect(Object.keys(info.json)).toEqual(
        expect.arrayContaining(["externalUrl", "workspaceId", ...extra]),
      );
      if (extra.length === 0) expect(info.json).not.toHaveProperty("lsp");
      if (!extra.includes("iamGuard")) expect(info.json).not.toHaveProperty("iamGuard");
      expect(c.version.reported).toBe(reported);
    } finally {
      await c.close();
    }
  });

  it("defaults to 2.14 and refuses a version it does not reproduce, naming the choices", async () => {
    const c = await startLocalConsole();
    try {
      expect((await call(c.url, "GET", "/v1/actuator/info")).json.version).toBe("2.14.0");
    } finally {
      await c.close();
    }
    for (const version of ["2.4", "3.4.1", "latest", "2"])
      await expect(startLocalConsole({ version })).rejects.toThrow(/2\.5, 2\.13, 2\.14, 2\.15/);
  });
});

describe.each(["2.5", "2.13"])("Bytebase %s: role checks only on settings updates", (version) => {
  let c: StartedLocalConsole;
  let as: Awaited<ReturnType<typeof consoleOf>>["as"];
  beforeAll(async () => {
    ({ c, as } = await consoleOf(version));
  });
  afterAll(() => c.close());

  it("lets a Developer (member) create, update, delete and list linked projects of Git providers", async () => {
    const created = await as("member", "POST", EVC, provider());
    expect(created.status).toBe(200);
    const name = created.json.name as string;
    expect((await as("member", "PATCH", `/v1/${name}`, { title: "Dev's" })).json.title).toBe("Dev's");
    expect((await as("member", "GET", `/v1/${name}/projects`)).status).toBe(200);
    expect((await as("member", "DELETE", `/v1/${name}`)).status).toBe(200);
  });

  it("lets every role read the profile, Owner and DBA change it, and refuses a Developer", async () => {
    for (const role of ["admin", "dba", "member"] as const)
      expect((await as(role, "GET", PROFILE)).status).toBe(200);
    expect((await as("dba", "PATCH", PROFILE, setting("https://dba.example.com"))).status).toBe(200);
    expect(c.externalUrl).toBe("https://dba.example.com");
    const denied = await as("member", "PATCH", PROFILE, setting("https://dev.example.com"));
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({
      code: 7,
      message: 'only workspace owner and DBA can access method "/bytebase.v1.SettingService/SetSetting"',
      details: [],
    });
    expect(c.externalUrl).toBe("https://dba.example.com");
  });
});

describe("Bytebase 2.14: acl.yaml permissions, checked before the handler", () => {
  let c: StartedLocalConsole;
  let as: Awaited<ReturnType<typeof consoleOf>>["as"];
  let name: string;
  beforeAll(async () => {
    ({ c, as } = await consoleOf("2.14"));
    name = (await as("admin", "POST", EVC, provider())).json.name as string;
  });
  afterAll(() => c.close());

  const denial = (method: string, permission: string) => ({
    code: 7,
    message: `permission denied for method "/bytebase.v1.${method}", user does not have permission "${permission}", extra []`,
    details: [],
  });

  it("lets a Member list, get, search and verify, but not create, update, delete or list linked projects", async () => {
    expect((await as("member", "GET", EVC)).status).toBe(200);
    expect((await as("member", "GET", `/v1/${name}`)).status).toBe(200);
    expect((await as("member", "POST", `/v1/${name}:searchProjects`, {})).status).toBe(200);
    const exchange = await as("member", "POST", `${EVC}/-:exchangeToken`, { type: "GITHUB" });
    expect(exchange.status).toBe(400); // past the ACL: the handler wants instance URL, client id, secret, code
    const cases: Array<[string, string, unknown, string, string]> = [
      ["POST", EVC, provider(), "ExternalVersionControlService/CreateExternalVersionControl", "create"],
      [
        "PATCH",
        `/v1/${name}`,
        { title: "x" },
        "ExternalVersionControlService/UpdateExternalVersionControl",
        "update",
      ],
      [
        "DELETE",
        `/v1/${name}`,
        undefined,
        "ExternalVersionControlService/DeleteExternalVersionControl",
        "delete",
      ],
      [
        "GET",
        `/v1/${name}/projects`,
        undefined,
        "ExternalVersionControlService/ListProjectGitOpsInfo",
        "listProjects",
      ],
    ];
    for (const [method, path, body, rpc, permission] of cases) {
      const denied = await as("member", method, path, body);
      expect(denied.status).toBe(403);
      expect(denied.json).toEqual(denial(rpc, `bb.externalVersionControls.${permission}`));
    }
    expect(c.listProviders().find((p) => `externalVersionControls/${p.id}` === name)?.title).toBe(
      "GitHub.com",
    );
  });

  it("refuses before the handler: a Member gets 403, not the handler's 404 or 400", async () => {
    const missing = await as("member", "PATCH", `${EVC}/4242`, { title: "x" });
    expect(missing.status).toBe(403);
    const invalid = await as("member", "POST", EVC, provider({ title: "" }));
    expect(invalid.status).toBe(403);
    // ...but after grpc-gateway decoded the body: a malformed one is 400 first.
    expect((await as("member", "PATCH", `/v1/${name}`, { nope: 1 })).status).toBe(400);
  });

  it("denies a Member the profile (no bb.settings.get) and its update; a DBA holds both", async () => {
    const read = await as("member", "GET", PROFILE);
    expect(read.status).toBe(403);
    expect(read.json).toEqual(denial("SettingService/GetSetting", "bb.settings.get"));
    const write = await as("member", "PATCH", PROFILE, setting("https://member.example.com"));
    expect(write.json).toEqual(denial("SettingService/UpdateSetting", "bb.settings.set"));
    expect((await as("dba", "GET", PROFILE)).status).toBe(200);
    expect((await as("dba", "PATCH", PROFILE, setting("https://dba.example.com"))).status).toBe(200);
    expect(c.externalUrl).toBe("https://dba.example.com");
  });

  it("lets a DBA manage Git providers", async () => {
    const created = await as("dba", "POST", EVC, provider());
    expect(created.status).toBe(200);
    const own = created.json.name as string;
    expect((await as("dba", "GET", `/v1/${own}/projects`)).status).toBe(200);
    expect((await as("dba", "DELETE", `/v1/${own}`)).status).toBe(200);
  });
});

describe("Bytebase 2.15: the externalVersionControls API is gone", () => {
  let c: StartedLocalConsole;
  let as: Awaited<ReturnType<typeof consoleOf>>["as"];
  beforeAll(async () => {
    ({ c, as } = await consoleOf("2.15"));
  });
  afterAll(() => c.close());

  it("answers every externalVersionControls route with grpc-gateway's 404 Not Found", async () => {
    const routes: Array<[string, string, unknown?]> = [
      ["GET", EVC],
      ["POST", EVC, provider()],
      ["GET", `${EVC}/101`],
      ["PATCH", `${EVC}/101`, { title: "x" }],
      ["DELETE", `${EVC}/101`],
      ["GET", `${EVC}/101/projects`],
      ["POST", `${EVC}/-:exchangeToken`, {}],
    ];
    for (const [method, path, body] of routes) {
      const answer = await as("admin", method, path, body);
      expect([answer.status, answer.json]).toEqual([404, { code: 5, message: "Not Found", details: [] }]);
    }
    expect(c.listProviders()).toEqual([]);
  });

  it("still serves login, the actuator and the settings with 2.14's permissions", async () => {
    expect((await as("admin", "GET", PROFILE)).status).toBe(200);
    expect((await as("member", "GET", PROFILE)).status).toBe(403);
  });
});

describe("authentication messages per version", () => {
  it("says `access token is expired` on 2.5 and `access token expired` from 2.10", async () => {
    for (const [version, message] of [
      ["2.5", "access token is expired"],
      ["2.13", "access token expired"],
    ] as const) {
      const { c, token } = await setup({ version });
      try {
        c.advanceClock(2 * 60 * 60 * 1000);
        expect((await call(c.url, "GET", EVC, { token })).json.message).toBe(message);
      } finally {
        await c.close();
      }
    }
  });
});
