// WorkloadIdentity, ServiceAccount and ProjectIamMember through the real provider host against the local console at
// 3.15, 3.16 and 3.21: create, update with the exact mask, refresh (a deleted one is gone), delete (soft), a create
// over a soft-deleted id (undeleted, no 409), 20 members of one project at once with a binding made by hand in
// between, and a console older than 3.15.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, expectNoSecrets } from "./fixture";
import { create, startCiWorld, type CiWorld } from "./ci-era-fixture";

const declareIdentity = (over: Record<string, unknown> = {}) => ({
  workloadIdentityId: "deploy-prod",
  project: "payments",
  provider: "GITHUB",
  audiences: ["bytebase"],
  subject: { repository: "acme/payments", environment: "prod" },
  ...over,
});

describe.each(["3.15", "3.16", "3.21"])("Bytebase %s", (version) => {
  let world: CiWorld;
  beforeAll(async () => {
    world = await startCiWorld({ version });
    world.bb.vcs.addProject("payments");
  });
  afterAll(() => world?.close());

  it("creates a workload identity with the built pattern and GitHub's issuer, always sent", async () => {
    const { id, outs } = await create(world, world.identity, declareIdentity());
    expect(id).toBe("deploy-prod@payments.workload.bytebase.com");
    expect(outs).toMatchObject({
      name: "workloadIdentities/deploy-prod@payments.workload.bytebase.com",
      member: "workloadIdentity:deploy-prod@payments.workload.bytebase.com",
      subjectPattern: "repo:acme/payments:environment:prod",
      issuerUrl: "https://token.actions.githubusercontent.com",
      audiences: ["bytebase"],
    });
    const remote = await world.admin("GET", `/v1/workloadIdentities/${id}`);
    expect(remote.json.workloadIdentityConfig).toEqual({
      providerType: "GITHUB",
      issuerUrl: "https://token.actions.githubusercontent.com",
      allowedAudiences: ["bytebase"],
      subjectPattern: "repo:acme/payments:environment:prod",
    });
  });

  it("updates in place with ?update_mask= naming exactly what changed", async () => {
    const id = "deploy-prod@payments.workload.bytebase.com";
    const { outs: olds } = await world.host.read(world.identity, id, {});
    const checked = await world.host.check(
      world.identity,
      {},
      declareIdentity({ title: "Prod", audiences: ["bb"] }),
    );
    const d = await world.host.diff(world.identity, id, olds, checked.inputs);
    expect([d.changes, d.replaces]).toEqual(["some", []]);
    const before = world.bb.requests.length;
    const { outs } = await world.host.update(world.identity, id, olds, checked.inputs);
    expect(outs).toMatchObject({ title: "Prod", audiences: ["bb"] });
    const patch = world.bb.requests.slice(before).find((r) => r.method === "PATCH");
    expect(new URLSearchParams(patch?.query).get("update_mask")).toBe("title,workload_identity_config");
    const replaced = await world.host.diff(
      world.identity,
      id,
      olds,
      (
        await world.host.check(
          world.identity,
          {},
          declareIdentity({
            provider: "GITLAB",
            subject: "project_path:acme/payments:ref_type:branch:ref:main",
          }),
        )
      ).inputs,
    );
    expect(replaced.replaces).toContain("provider");
  });

  it("reads an identity deleted in the console as gone; a create of its id undeletes it with the declared config", async () => {
    const id = "deploy-prod@payments.workload.bytebase.com";
    await world.admin("DELETE", `/v1/workloadIdentities/${id}`);
    expect((await world.host.read(world.identity, id, {})).id).toBe("");
    const { outs } = await create(
      world,
      world.identity,
      declareIdentity({ subject: { repository: "acme/payments", branch: "main" } }),
    );
    expect(outs.subjectPattern).toBe("repo:acme/payments:ref:refs/heads/main");
    expect((await world.admin("GET", `/v1/workloadIdentities/${id}`)).json.state).toBe("ACTIVE");
    await world.host.delete(world.identity, id, outs);
    expect((await world.admin("GET", `/v1/workloadIdentities/${id}`)).json.state).toBe("DELETED");
    await world.host.delete(world.identity, id, outs); // already gone: fine
  });

  it("refuses a subject that admits too little precision, naming the property", async () => {
    const checked = await world.host.check(
      world.identity,
      {},
      declareIdentity({ subject: { repository: "acme/payments" } }),
    );
    expect(checked.failures).toEqual([
      {
        property: "subject.branch",
        reason: expect.stringMatching(/^give exactly one of branch, tag, environment or pullRequest/),
      },
    ]);
    const issuer = await world.host.check(
      world.identity,
      {},
      declareIdentity({ issuerUrl: "https://token.actions.githubusercontent.com/" }),
    );
    expect(issuer.failures[0]?.property).toBe("issuerUrl");
  });

  it("creates a service account whose key is a secret output, rotates it with keyVersion, and logs in with it", async () => {
    const { id, outs, inputs } = await create(world, world.account, {
      serviceAccountId: "ci",
      project: "payments",
    });
    expect(id).toBe("ci@payments.service.bytebase.com");
    const key = outs.serviceKey as string;
    expect(key).toMatch(/^bbs_/);
    world.secrets.push(key);
    const next = await world.host.update(world.account, id, outs, { ...inputs, keyVersion: 1 });
    expect(next.outs.serviceKey).not.toBe(key);
    world.secrets.push(next.outs.serviceKey as string);
    const login = await world.admin("POST", "/v1/auth/login", { email: id, password: next.outs.serviceKey });
    expect(login.status).toBe(200);
    const refreshed = await world.host.read(world.account, id, next.outs);
    expect(refreshed.outs.serviceKey).toBe(next.outs.serviceKey);
    const { serviceKey: _k, connection: _c, ...plain } = refreshed.outs;
    expectNoSecrets(world, plain, world.host.stderr());
    await world.host.delete(world.account, id, next.outs);
    expect((await world.host.read(world.account, id, next.outs)).id).toBe("");
  });

  it("adds 20 members of one project at once, keeps a binding made by hand in between, removes only its own", async () => {
    const members = Array.from({ length: 20 }, (_, i) => `user:dev${i}@acme.com`);
    const creates = members.map((member) =>
      create(world, world.member, { project: "payments", role: "roles/projectDeveloper", member }),
    );
    // A person adds a binding in the console while the creates run.
    const hand = (async () => {
      const policy = await world.admin("GET", "/v1/projects/payments:getIamPolicy");
      const bindings = (policy.json.bindings as unknown[] | undefined) ?? [];
      const bind = { role: "roles/projectViewer", members: ["user:auditor@acme.com"] };
      for (let i = 0; i < 20; i++) {
        const fresh = await world.admin("GET", "/v1/projects/payments:getIamPolicy");
        const set = await world.admin("POST", "/v1/projects/payments:setIamPolicy", {
          policy: { bindings: [...((fresh.json.bindings as unknown[]) ?? bindings), bind] },
          etag: fresh.json.etag ?? "",
        });
        if (set.status === 200) return;
      }
      throw new Error("the hand-made binding never landed");
    })();
    const made = await Promise.all([...creates, hand]).then(
      (all) => all.slice(0, 20) as Awaited<(typeof creates)[number]>[],
    );
    const policy = (await world.admin("GET", "/v1/projects/payments:getIamPolicy")).json as {
      bindings: Array<{ role: string; members: string[] }>;
    };
    const developers = policy.bindings.find((b) => b.role === "roles/projectDeveloper")!;
    expect([...developers.members].sort()).toEqual([...members].sort());
    expect(policy.bindings.find((b) => b.role === "roles/projectViewer")?.members).toEqual([
      "user:auditor@acme.com",
    ]);
    // Refresh: a member removed in the console is gone.
    const first = made[0]!;
    expect((await world.host.read(world.member, first.id, first.outs)).id).toBe(first.id);
    await Promise.all(made.map((m) => world.host.delete(world.member, m.id, m.outs)));
    const after = (await world.admin("GET", "/v1/projects/payments:getIamPolicy")).json as typeof policy;
    expect(after.bindings).toEqual([
      { role: "roles/projectViewer", members: ["user:auditor@acme.com"], condition: {} },
    ]);
    expect((await world.host.read(world.member, first.id, first.outs)).id).toBe("");
  });
});

describe("a console older than 3.15", () => {
  let world: CiWorld;
  beforeAll(async () => {
    world = await startCiWorld({ version: "3.4" });
  });
  afterAll(() => world?.close());

  it("fails each operation saying which version it found and what to do", async () => {
    const checked = await world.host.check(world.identity, {}, declareIdentity({ project: "default" }));
    const error = await errorOf(world.host.create(world.identity, checked.inputs));
    expect(error.message).toMatch(
      /Creating workload identity deploy-prod@default\.workload\.bytebase\.com failed: the console at http:\/\/127\.0\.0\.1:\d+ runs Bytebase 3\.4\.1 \(GET \/v1\/actuator\/info\), and WorkloadIdentity supports Bytebase 3\.15 and later only: before 3\.5 Bytebase's GitOps lives in the console \(GitOpsProvider for 2\.5 - 2\.14, VcsProvider and VcsConnector for 2\.15 - 3\.4\): declare those, or upgrade the console to 3\.15 or later\.$/,
    );
    const member = await errorOf(
      world.host.create(world.member, {
        project: "default",
        role: "roles/projectViewer",
        member: "user:a@b.com",
      }),
    );
    expect(member.message).toMatch(/ProjectIamMember supports Bytebase 3\.15 and later only/);
  });
});
