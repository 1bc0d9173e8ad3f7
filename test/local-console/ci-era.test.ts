// The CI-era services of the local console at 3.15, 3.16 and 3.21: workload identities, service accounts and
// project IAM over real HTTP, with 3.x marshaling, soft deletes, etags and grpc-gateway's 3.x routing errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedLocalConsole } from "../../src/local-console";
import { call, login, setup, type CallOptions } from "./helpers";

type Req = (method: string, path: string, o?: CallOptions) => ReturnType<typeof call>;
const CONFIG = {
  providerType: "GITHUB",
  issuerUrl: "https://token.actions.githubusercontent.com",
  allowedAudiences: ["bytebase"],
  subjectPattern: "repo:acme/shop:environment:prod",
};

describe.each(["3.15", "3.16", "3.21"])("Bytebase %s", (version) => {
  let c: StartedLocalConsole;
  let req: Req;
  beforeAll(async () => {
    ({ c, req } = await setup({ version, rateLimit: true }));
  });
  afterAll(() => c.close());

  const create = (id: string, body: unknown, parent = "projects/default") =>
    req("POST", `/v1/${parent}/workloadIdentities?workloadIdentityId=${id}`, { body });

  it("creates a project's workload identity and answers it without zero values", async () => {
    const a = await create("deploy", { title: "Deploy", workloadIdentityConfig: CONFIG });
    expect(a.status).toBe(200);
    expect(a.json).toEqual({
      name: "workloadIdentities/deploy@default.workload.bytebase.com",
      state: "ACTIVE",
      email: "deploy@default.workload.bytebase.com",
      title: "Deploy",
      workloadIdentityConfig: CONFIG,
    });
    const got = await req("GET", "/v1/workloadIdentities/deploy@default.workload.bytebase.com");
    expect(got.json).toEqual(a.json);
    const bare = await create("bare", {});
    expect(bare.json).toEqual({
      name: "workloadIdentities/bare@default.workload.bytebase.com",
      state: "ACTIVE",
      email: "bare@default.workload.bytebase.com",
    });
  });

  it("honours only the exact mask paths: the nested paths derived from a body change nothing", async () => {
    const name = "/v1/workloadIdentities/deploy@default.workload.bytebase.com";
    const nested = await req("PATCH", name, {
      body: { title: "Renamed", workloadIdentityConfig: { ...CONFIG, subjectPattern: "*" } },
    });
    expect(nested.json.title).toBe("Renamed");
    expect((nested.json.workloadIdentityConfig as Record<string, unknown>).subjectPattern).toBe(
      CONFIG.subjectPattern,
    );
    const masked = await req("PATCH", `${name}?update_mask=workload_identity_config`, {
      body: {
        workloadIdentityConfig: { providerType: "GITHUB", subjectPattern: "repo:acme/shop:pull_request" },
      },
    });
    expect(masked.json.workloadIdentityConfig).toEqual({
      providerType: "GITHUB",
      subjectPattern: "repo:acme/shop:pull_request",
    });
  });

  it("deletes softly: GET answers DELETED, a create of the id 409 until :undelete", async () => {
    const name = "/v1/workloadIdentities/bare@default.workload.bytebase.com";
    expect((await req("DELETE", name)).json).toEqual({});
    expect((await req("GET", name)).json.state).toBe("DELETED");
    const again = await req("DELETE", name);
    expect([again.status, again.json.message]).toEqual([
      404,
      'workload identity "bare@default.workload.bytebase.com" has been deleted',
    ]);
    const dup = await create("bare", {});
    expect([dup.status, dup.json.code, dup.json.message]).toEqual([
      409,
      6,
      'workload identity with email "bare@default.workload.bytebase.com" already exists',
    ]);
    const listed = await req("GET", "/v1/projects/default/workloadIdentities");
    expect((listed.json.workloadIdentities as unknown[]).length).toBe(1);
    expect((await req("POST", `${name}:undelete`, { body: {} })).json.state).toBe("ACTIVE");
    const active = await req("POST", `${name}:undelete`, { body: {} });
    expect([active.status, active.json.message]).toEqual([
      400,
      'workload identity "bare@default.workload.bytebase.com" is already active',
    ]);
  });

  it("takes the workspace parent as this version does", async () => {
    const dash = await create("ws-dash", {}, "workspaces/-");
    if (version === "3.21") expect([dash.status, dash.json.message]).toEqual([403, "workspace mismatch"]);
    else expect(dash.json.email).toBe("ws-dash@workload.bytebase.com");
    const info = await req("GET", "/v1/actuator/info");
    const workspace =
      (info.json.workspace as string | undefined) ?? `workspaces/${info.json.workspaceId as string}`;
    expect(Object.keys(info.json)).toContain(version === "3.21" ? "workspace" : "workspaceId");
    expect((await create("ws", {}, workspace)).json.email).toBe("ws@workload.bytebase.com");
  });

  it("refuses an unknown field as protojson does; from 3.16 a whole-request body's error suggests fields", async () => {
    // A body of one field (the identity): no suggestion at any version (checked on a real 3.21.1).
    const a = await create("typo", { titel: "x" });
    expect([a.status, a.json.message]).toEqual([400, 'proto: (line 1:2): unknown field "titel"']);
    const b = await req("POST", "/v1/projects/default:setIamPolicy", { body: { polcy: {} } });
    expect([b.status, b.json.message]).toEqual([
      400,
      version === "3.15"
        ? 'proto: (line 1:2): unknown field "polcy"'
        : 'did you mean: "policy"?: proto: (line 1:2): unknown field "polcy"',
    ]);
  });

  it("creates service accounts with a bbs_ key that logs in, rotates with mask service_key, and stops at delete", async () => {
    const a = await req("POST", "/v1/projects/default/serviceAccounts?serviceAccountId=ci", {
      body: { title: "CI" },
    });
    expect(a.json).toMatchObject({ email: "ci@default.service.bytebase.com", state: "ACTIVE", title: "CI" });
    const key = a.json.serviceKey as string;
    expect(key).toMatch(/^bbs_[A-Za-z0-9]{20}$/);
    expect(await login(c.url, "ci@default.service.bytebase.com", key)).toBeTruthy();
    const name = "/v1/serviceAccounts/ci@default.service.bytebase.com";
    expect((await req("GET", name)).json.serviceKey).toBeUndefined();
    const rotated = await req("PATCH", `${name}?update_mask=service_key`, { body: {} });
    const next = rotated.json.serviceKey as string;
    expect(next).toMatch(/^bbs_/);
    expect(next).not.toBe(key);
    await expect(login(c.url, "ci@default.service.bytebase.com", key)).rejects.toThrow(/401/);
    await req("DELETE", name);
    await expect(login(c.url, "ci@default.service.bytebase.com", next)).rejects.toThrow(/401/);
  });

  it("sets a project's IAM policy with etags: a stale one is ABORTED, the whole policy replaced", async () => {
    const empty = await req("GET", "/v1/projects/default:getIamPolicy");
    expect(empty.json).toEqual({});
    const member = "workloadIdentity:deploy@default.workload.bytebase.com";
    const set = await req("POST", "/v1/projects/default:setIamPolicy", {
      body: {
        policy: { bindings: [{ role: "roles/gitopsServiceAgent", members: [member, member] }] },
        etag: "",
      },
    });
    expect(set.json).toEqual({
      bindings: [{ role: "roles/gitopsServiceAgent", members: [member], condition: {} }],
      etag: expect.stringMatching(/^\d+$/),
    });
    const stale = await req("POST", "/v1/projects/default:setIamPolicy", {
      body: {
        policy: { bindings: [{ role: "roles/projectDeveloper", members: ["user:a@b.com"] }] },
        etag: "1",
      },
    });
    expect([stale.status, stale.json.code, stale.json.message]).toEqual([
      409,
      10,
      "there is concurrent update to the project iam policy, please refresh and try again",
    ]);
    const refusals: Array<[unknown, number, string]> = [
      [{ policy: { bindings: [] } }, 400, "IAM Binding is empty"],
      [{}, 400, "IAM Policy is required"],
      [
        { policy: { bindings: [{ role: "roles/nope", members: ["user:a@b.com"] }] } },
        400,
        "IAM Binding role roles/nope does not exist",
      ],
      [
        { policy: { bindings: [{ role: "roles/projectViewer", members: ["a@b.com"] }] } },
        500,
        "failed to convert iam member with error: invalid_argument: unsupported member a@b.com",
      ],
    ];
    for (const [body, status, message] of refusals) {
      const a = await req("POST", "/v1/projects/default:setIamPolicy", { body });
      expect([a.status, a.json.message]).toEqual([status, message]);
    }
    expect((await req("GET", "/v1/projects/default:getIamPolicy")).json).toEqual(set.json);
  });

  it("answers unknown routes with 3.x's routing error, and has no rate limiter", async () => {
    const none = await req("GET", "/v1/vcsProviders");
    expect([none.status, none.json]).toEqual([
      404,
      // protojson.MarshalOptions{} leaves the status's empty `details` out.
      { code: 2, message: "not_found: gateway routing error 404: request method GET, URI /v1/vcsProviders" },
    ]);
    const wrong = await req("PUT", "/v1/projects/default:getIamPolicy");
    expect(wrong.status).toBe(405);
    const answers = await Promise.all(Array.from({ length: 80 }, () => req("GET", "/v1/actuator/info")));
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });

  it("lets a workspace member read identities but not create them", async () => {
    const m = c.addServiceAccount("reader", "member");
    const token = await login(c.url, m.email, m.key);
    const denied = await call(c.url, "POST", "/v1/projects/default/workloadIdentities?workloadIdentityId=x", {
      token,
      body: {},
    });
    expect([denied.status, denied.json.message]).toEqual([
      403,
      'permission denied for method "/bytebase.v1.WorkloadIdentityService/CreateWorkloadIdentity", user does not have permission "bb.workloadIdentities.create", extra [projects/default]',
    ]);
    expect((await call(c.url, "GET", "/v1/projects/default/workloadIdentities", { token })).status).toBe(200);
  });
});
