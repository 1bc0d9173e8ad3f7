// A 2.14 state file opened by a 2.15 console: migrated as Bytebase 2.15.0's migration does
// (backend/migrator/migration/prod/2.15/0003, 0005, 0013@2.15.0), once; refused by a 2.14 console afterwards, and
// by a 3.4 console before it (3.4.1 carries migrations from 2.22 only).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startLocalConsole } from "../../src/local-console";
import { call, login, provider } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "local-console-upgrade-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS = ["gitlab secret one 0123456789", "gitlab secret two 0123456789", "azure secret 0123456789"];

/** A 2.14 console's state file: two GitLab providers (the first deleted and made again), an Azure DevOps, a link. */
async function stateOf214(name: string): Promise<string> {
  const file = join(dir, `${name}.json`);
  const c = await startLocalConsole({ stateFile: file, rateLimit: false });
  const token = await login(c.url, c.admin.email, c.admin.key);
  const make = async (over: Record<string, unknown>) =>
    (await call(c.url, "POST", "/v1/externalVersionControls", { token, body: provider(over) })).json
      .name as string;
  const gitlab = { type: "GITLAB", url: "https://gitlab.com", applicationId: "a".repeat(64) };
  // 101 is deleted: the lowest id of GitLab is then 102, made before 103.
  const gone = await make({ ...gitlab, title: "Gone", secret: "x" });
  await call(c.url, "DELETE", `/v1/${gone}`, { token });
  await make({ ...gitlab, title: "GitLab", secret: SECRETS[0] }); // 102
  await make({ ...gitlab, title: "GitLab (team)", secret: SECRETS[1], url: "https://gitlab.example.com/" }); // 103
  await make({
    title: "Azure DevOps",
    type: "AZURE_DEVOPS",
    url: "https://dev.azure.com",
    applicationId: "6d1b7a2e-3f4c-4b5a-9c8d-7e6f5a4b3c2d",
    secret: SECRETS[2],
  }); // 104
  c.linkProject("102", "Shop", "shop-db");
  c.linkProject("104", "Ledger", "ledger", {
    fullPath: "contoso/Finance/ledger",
    webUrl: "https://dev.azure.com/contoso/Finance/_git/ledger",
    branch: "release",
    baseDirectory: "/db/migrations",
    externalId: "contoso/4f1c/9a2b",
    webhookId: "contoso/77",
    webhookSecret: "hook secret",
  });
  await c.close();
  return file;
}

describe("upgrading a 2.14 state file to 2.15", () => {
  it("renames the rows LOWER(type) / vcs-<8 hex>, drops the OAuth credentials, keeps the links as connectors", async () => {
    const file = await stateOf214("migrate");
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ schemaVersion: "2.14.0" });
    const c = await startLocalConsole({ stateFile: file, version: "2.15", rateLimit: false });
    try {
      const token = await login(c.url, c.admin.email, c.admin.key);
      const listed = (await call(c.url, "GET", "/v1/vcsProviders", { token })).json.vcsProviders as Array<
        Record<string, string>
      >;
      const other = listed.find((p) => p.title === "GitLab (team)")!.name!;
      expect(other).toMatch(/^vcsProviders\/vcs-[0-9a-f]{8}$/);
      expect(listed).toEqual([
        {
          name: "vcsProviders/gitlab",
          title: "GitLab",
          type: "GITLAB",
          url: "https://gitlab.com",
          accessToken: "",
        },
        {
          name: other,
          title: "GitLab (team)",
          type: "GITLAB",
          url: "https://gitlab.example.com",
          accessToken: "",
        },
        {
          name: "vcsProviders/azure_devops",
          title: "Azure DevOps",
          type: "AZURE_DEVOPS",
          url: "https://dev.azure.com",
          accessToken: "",
        },
      ]);
      expect(c.vcs.providers().map((p) => p.accessToken)).toEqual(["", "", ""]);
      const connectors = await call(c.url, "GET", "/v1/vcsProviders/gitlab/vcsConnectors", { token });
      // 0013##vcs_connector.sql@2.15.0 keeps the old row's repository, branch, base directory and ids.
      expect(connectors.json.vcsConnectors).toEqual([
        expect.objectContaining({
          name: "projects/shop/vcsConnectors/default",
          vcsProvider: "vcsProviders/gitlab",
          title: "shop-db",
          fullPath: "bytebase/shop-db",
          webUrl: "https://gitlab.com/bytebase/shop-db",
          branch: "main",
          baseDirectory: "bytebase",
          externalId: "bytebase/shop-db",
        }),
      ]);
      const ledger = await call(c.url, "GET", "/v1/vcsProviders/azure_devops/vcsConnectors", { token });
      expect((ledger.json.vcsConnectors as object[])[0]).toMatchObject({
        vcsProvider: "vcsProviders/azure_devops",
        title: "ledger",
        fullPath: "contoso/Finance/ledger",
        webUrl: "https://dev.azure.com/contoso/Finance/_git/ledger",
        branch: "release",
        baseDirectory: "/db/migrations",
        externalId: "contoso/4f1c/9a2b",
      });
      expect(c.vcs.connectors().find((x) => x.project === "ledger")).toMatchObject({
        webhookId: "contoso/77",
        webhookSecret: "hook secret",
      });
      // The old API and its rows are gone; so are the application ids and secrets, from the file too.
      expect((await call(c.url, "GET", "/v1/externalVersionControls", { token })).status).toBe(404);
      expect(c.listProviders()).toEqual([]);
      const text = readFileSync(file, "utf8");
      for (const secret of [...SECRETS, "a".repeat(64)]) expect(text).not.toContain(secret);
      expect(JSON.parse(text)).toMatchObject({ schemaVersion: "2.15.0" });
      // The migrated id breaks the create rule but the row exists: create says so; a token can be set on it.
      const issued = c.git.issueToken("AZURE_DEVOPS");
      const body = { title: "Azure DevOps", type: "AZURE_DEVOPS", url: "https://dev.azure.com" };
      const create = await call(c.url, "POST", "/v1/vcsProviders?vcsProviderId=azure_devops", {
        token,
        body: { ...body, accessToken: issued.token },
      });
      expect([create.status, create.json.message]).toEqual([409, "vcs provider azure_devops already exists"]);
      const patched = await call(c.url, "PATCH", "/v1/vcsProviders/azure_devops?update_mask=access_token", {
        token,
        body: { accessToken: issued.token },
      });
      expect(patched.status).toBe(200);
    } finally {
      await c.close();
    }

    // Opened again by 2.15: not migrated a second time (same ids, the token kept).
    const again = await startLocalConsole({ stateFile: file, version: "2.15.0", rateLimit: false });
    try {
      const ids = again.vcs.providers().map((p) => p.resourceId);
      expect(ids).toHaveLength(3);
      expect(ids.filter((id) => id.startsWith("vcs-"))).toHaveLength(1);
      expect(again.vcs.providers().find((p) => p.resourceId === "azure_devops")!.accessToken).not.toBe("");
    } finally {
      await again.close();
    }

    // Bytebase has no downgrade: a 2.14 console refuses the migrated file, naming it and what to do.
    const refused = startLocalConsole({ stateFile: file, version: "2.14" });
    await expect(refused).rejects.toThrow(`${file} was migrated to Bytebase 2.15.0`);
    await expect(refused).rejects.toThrow("Start the console with --version 2.15 (or later)");
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ schemaVersion: "2.15.0" });

    // 3.4 opens the migrated file and records its own version.
    const later = await startLocalConsole({ stateFile: file, version: "3.4" });
    expect(later.vcs.providers()).toHaveLength(3);
    await later.close();
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ schemaVersion: "3.4.1" });
  });

  it("a 3.4 console refuses a 2.14 state (migrations from 2.22 only) and says to pass through 2.15", async () => {
    const file = await stateOf214("to-3.4");
    const before = readFileSync(file, "utf8");
    const refused = startLocalConsole({ stateFile: file, version: "3.4" });
    await expect(refused).rejects.toThrow("Must upgrade to Bytebase 3.3.1 first");
    await expect(refused).rejects.toThrow("Start the console with --version 2.15 on it first");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("reads files of older local consoles: no version and vcsProviders = 2.15, else 2.14", async () => {
    const file = await stateOf214("legacy");
    const data = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    delete data.schemaVersion;
    writeFileSync(file, JSON.stringify(data));
    const migrated = await startLocalConsole({ stateFile: file, version: "2.15" });
    expect(migrated.vcs.providers().map((p) => p.resourceId)).toContain("azure_devops");
    await migrated.close();
    const upgraded = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    delete upgraded.schemaVersion;
    writeFileSync(file, JSON.stringify(upgraded));
    await expect(startLocalConsole({ stateFile: file, version: "2.14" })).rejects.toThrow(
      "was migrated to Bytebase 2.15.0",
    );
  });
});
