// The state file: everything a test or a user set survives a restart of the console.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startLocalConsole } from "../../src/local-console";
import { call, login, provider } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "local-console-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("--state / stateFile", () => {
  it("persists providers, accounts, settings, links and OAuth apps across restarts", async () => {
    const file = join(dir, "state.json");
    const first = await startLocalConsole({ stateFile: file });
    const token = await login(first.url, first.admin.email, first.admin.key);
    const created = await call(first.url, "POST", "/v1/externalVersionControls", { token, body: provider() });
    expect(created.json.name).toBe("externalVersionControls/101");
    const sa = first.addServiceAccount("ci", "dba");
    first.setExternalUrl("https://bytebase.example.com");
    first.linkProject("101", "Shop");
    const app = first.oauth.register("GITHUB");
    await first.close();
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ nextProviderId: 102 });

    const second = await startLocalConsole({ stateFile: file });
    try {
      expect(second.admin).toEqual(first.admin);
      expect(second.listProviders()).toEqual(first.listProviders());
      const t2 = await login(second.url, sa.email, sa.key);
      expect((await call(second.url, "GET", "/v1/actuator/info")).json.externalUrl).toBe(
        "https://bytebase.example.com",
      );
      expect(
        (await call(second.url, "DELETE", "/v1/externalVersionControls/101", { token: t2 })).status,
      ).toBe(500);
      const next = await call(second.url, "POST", "/v1/externalVersionControls", {
        token: t2,
        body: provider(),
      });
      expect(next.json.name).toBe("externalVersionControls/102");
      const code = second.oauth.issueCode(
        "GITHUB",
        app.applicationId,
        "https://bytebase.example.com/oauth/callback",
      );
      const exchanged = await call(second.url, "POST", "/v1/externalVersionControls/-:exchangeToken", {
        token: t2,
        body: {
          type: "GITHUB",
          instanceUrl: "https://github.com",
          clientId: app.applicationId,
          clientSecret: app.secret,
          code,
        },
      });
      expect(exchanged.status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it("follows the console's own URL when the external URL was never set", async () => {
    const file = join(dir, "default-url.json");
    const first = await startLocalConsole({ stateFile: file });
    await first.close();
    const second = await startLocalConsole({ stateFile: file });
    try {
      expect((await call(second.url, "GET", "/v1/actuator/info")).json.externalUrl).toBe(second.url);
    } finally {
      await second.close();
    }
  });

  it("keeps the state in memory without a file", async () => {
    const a = await startLocalConsole();
    const b = await startLocalConsole();
    expect(a.admin.key).not.toBe(b.admin.key);
    await Promise.all([a.close(), b.close()]);
  });
});
