// WorkloadIdentity, ServiceAccount and ProjectIamMember through the real provider host against a REAL Bytebase 3.15+:
// the console of BYTEBASE_URL, BYTEBASE_SERVICE_ACCOUNT, BYTEBASE_SERVICE_KEY (a workspace admin) when set, else the
// newest release in this machine's cache (3.21.1, started as `npm run bytebase` does): create, an in-place update, refresh, soft delete and a create over it (undelete), a
// workspace-level identity, a service key and its rotation, 21 bindings of one project at once and their delete.
// It makes a project `ci-era-<random>` for it. Skipped, saying why, without such a console.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../local-console/helpers";
import { serializeProvider, startProviderHost, type ProviderHost } from "../harness/provider-host";
import { createRequire } from "node:module";
import { repoRoot } from "../provider/fixture";
import { startRealBytebase, type StartedBytebase } from "../harness/real-bytebase";
import { isBuilt } from "../../scripts/bytebase/server";

let url = process.env.BYTEBASE_URL?.replace(/\/+$/, "");
let account = process.env.BYTEBASE_SERVICE_ACCOUNT;
let key = process.env.BYTEBASE_SERVICE_KEY;
/** The cached release started when no console is given. */
const NEWEST = "3.21.1";
let started: StartedBytebase | undefined;
const serialized = createRequire(`${repoRoot}/package.json`)(
  "./dist/resource/serialized-provider.js",
) as typeof import("../../src/resource/serialized-provider");

/** Why this console cannot run these (no console given, or one before 3.15: the real-CLI tier may give a 3.4.1). */
async function skipReason(): Promise<string> {
  if (!url || !account || !key)
    return `BYTEBASE_URL, BYTEBASE_SERVICE_ACCOUNT and BYTEBASE_SERVICE_KEY are not set, and Bytebase ${NEWEST} is not in the cache`;
  const info = await call(url, "GET", "/v1/actuator/info").catch(() => undefined);
  const [major, minor] = String(info?.json.version ?? "")
    .split(".")
    .map(Number);
  return major === 3 && minor! >= 15
    ? ""
    : `the console at ${url} runs ${String(info?.json.version)}, not 3.15+`;
}

describe("a real Bytebase 3.15+ (skipped without one)", { timeout: 300_000 }, () => {
  let skip = "";
  const project = `ci-era-${randomBytes(3).toString("hex")}`;
  let host: ProviderHost;
  let token: string;
  const p = { identity: "", account: "", member: "" };
  const up = async (provider: string, news: Record<string, unknown>) => {
    const checked = await host.check(provider, {}, news);
    expect(checked.failures).toEqual([]);
    return { inputs: checked.inputs, ...(await host.create(provider, checked.inputs)) };
  };
  const declare = (over: Record<string, unknown> = {}) => ({
    workloadIdentityId: "deploy-prod",
    project,
    provider: "GITHUB",
    audiences: ["bytebase"],
    subject: { repository: "acme/shop", environment: "prod" },
    ...over,
  });

  beforeAll(async () => {
    if (!url && isBuilt(NEWEST)) {
      started = await startRealBytebase(NEWEST);
      url = started.url;
      account = started.serviceAccount.email;
      key = started.serviceAccount.secret;
    }
    skip = await skipReason();
    if (skip) return;
    token = (await call(url!, "POST", "/v1/auth/login", { body: { email: account, password: key } })).json
      .token as string;
    expect(
      (await call(url!, "POST", `/v1/projects?projectId=${project}`, { token, body: { title: project } }))
        .status,
    ).toBe(200);
    host = await startProviderHost({ cwd: repoRoot, env: {} });
    await host.configure({
      "bytebase:url": url!,
      "bytebase:serviceAccount": account!,
      "bytebase:serviceKey": key!,
    });
    p.identity = await serializeProvider(serialized.serializedWorkloadIdentity);
    p.account = await serializeProvider(serialized.serializedServiceAccount);
    p.member = await serializeProvider(serialized.serializedProjectIamMember);
  });
  afterAll(async () => {
    await host?.close();
    if (token) await call(url!, "DELETE", `/v1/projects/${project}`, { token });
    await started?.stop();
  });

  it("creates, updates in place, refreshes, deletes softly and undeletes a workload identity", async (ctx) => {
    if (skip) return ctx.skip(skip);
    const made = await up(p.identity, declare());
    expect(made.outs).toMatchObject({
      subjectPattern: "repo:acme/shop:environment:prod",
      member: `workloadIdentity:deploy-prod@${project}.workload.bytebase.com`,
    });
    const news = (await host.check(p.identity, {}, declare({ title: "Prod", audiences: ["bb"] }))).inputs;
    const updated = await host.update(p.identity, made.id, made.outs, news);
    expect((await host.read(p.identity, made.id, updated.outs)).outs).toMatchObject({
      title: "Prod",
      audiences: ["bb"],
    });
    await host.delete(p.identity, made.id, updated.outs);
    expect((await host.read(p.identity, made.id, updated.outs)).id).toBe("");
    const again = await up(p.identity, declare());
    expect(again.outs).toMatchObject({ title: "", audiences: ["bytebase"] });
    await host.delete(p.identity, again.id, again.outs);
    const ws = await up(p.identity, declare({ workloadIdentityId: `ws-${project}`, project: undefined }));
    expect(ws.id).toBe(`ws-${project}@workload.bytebase.com`);
    await host.delete(p.identity, ws.id, ws.outs);
  });

  it("creates a service account with a key, rotates it, and 21 bindings of one project at once", async (ctx) => {
    if (skip) return ctx.skip(skip);
    const sa = await up(p.account, { serviceAccountId: "ci", project });
    expect(String(sa.outs.serviceKey)).toMatch(/^bbs_/);
    const rotated = await host.update(p.account, sa.id, sa.outs, { ...sa.inputs, keyVersion: 1 });
    expect(rotated.outs.serviceKey).not.toBe(sa.outs.serviceKey);
    const members = [
      ...Array.from({ length: 20 }, (_, i) => `user:dev${i}@acme.com`),
      String(sa.outs.member),
    ];
    const made = await Promise.all(
      members.map((member) => up(p.member, { project, role: "roles/projectDeveloper", member })),
    );
    const policy = (await call(url!, "GET", `/v1/projects/${project}:getIamPolicy`, { token })).json as {
      bindings: Array<{ role: string; members: string[] }>;
    };
    expect(policy.bindings.find((b) => b.role === "roles/projectDeveloper")?.members.sort()).toEqual(
      members.sort(),
    );
    await Promise.all(made.map((m) => host.delete(p.member, m.id, m.outs)));
    const after = (await call(url!, "GET", `/v1/projects/${project}:getIamPolicy`, { token }))
      .json as typeof policy;
    expect(after.bindings.map((b) => b.role)).toEqual(["roles/projectOwner"]);
    await host.delete(p.account, sa.id, rotated.outs);
  });
});
