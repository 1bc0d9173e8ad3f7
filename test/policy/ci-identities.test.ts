// The CI-identity policies through @pulumi/policy's analyze / analyze-stack RPCs: each with a stack it passes and one
// it stops, the deploy identity joined to its bindings by the email computed from id and project (first preview).
import { describe, expect, it } from "vitest";
import {
  ciRolesPolicy,
  deployIdentityTrustPolicy,
  gitopsGuardPolicies,
  identityAudiencePolicy,
  identityIssuerPolicy,
  identitySubjectPolicy,
  literalServiceKeyPolicy,
  PROJECT_IAM_MEMBER_TYPE,
  SERVICE_ACCOUNT_TYPE,
  separateIdentitiesPolicy,
  WORKLOAD_IDENTITY_TYPE,
} from "../../src/policy";
import { analyze, analyzeStack, type TestResource } from "./harness";
import { UNKNOWN } from "./fixtures";

const identity = (name: string, over: Record<string, unknown> = {}): TestResource => ({
  name,
  type: WORKLOAD_IDENTITY_TYPE,
  props: {
    workloadIdentityId: name,
    project: "shop",
    provider: "GITHUB",
    audiences: ["bytebase"],
    subject: { repository: "acme/shop", environment: "prod" },
    ...over,
  },
});
const binding = (name: string, member: string, role = "roles/gitopsServiceAgent"): TestResource => ({
  name,
  type: PROJECT_IAM_MEMBER_TYPE,
  props: { project: "shop", role, member },
});
/** Each violation's own line (the diagnostic's first line is the policy's description). */
const lastLine = (message: string) => message.split("\n").pop()!;
const messages = async (p: Promise<Array<{ message: string }>>) => (await p).map((d) => lastLine(d.message));

describe("gitops-identity-subject", () => {
  const policies = [identitySubjectPolicy()];
  it("passes an exact pattern built from a repository and an environment, or a raw repo-scoped one", async () => {
    expect(await analyze(policies, identity("deploy"))).toEqual([]);
    expect(await analyze(policies, identity("check", { subject: "repo:acme/shop:pull_request" }))).toEqual(
      [],
    );
  });
  it.each([
    ["", /is empty: Bytebase then accepts a token of ANY repository/],
    ["*", /is '\*': Bytebase then accepts a token of ANY repository/],
    ["repo:acme/*", /owner-wide/],
    ["repo:acme/shop*", /prefix without a ':' boundary: .* also admits repo:acme\/shop-evil/],
    ["repo:acme/*:ref:refs/heads/main", /has a '\*' before its end: .* no CI token ever matches it/],
    ["acme/shop", /names no repository in GitHub's sub form/],
  ])("stops %j", async (subject, message) => {
    const ds = await analyze(policies, identity("deploy", { subject }));
    expect(ds).toHaveLength(1);
    expect(lastLine(ds[0]!.message)).toMatch(/^WorkloadIdentity 'deploy' \(GITHUB\): 'subject' /);
    expect(ds[0]!.message).toMatch(message);
  });
  it("waits for an unknown subject", async () => {
    expect(await analyze(policies, identity("deploy", { subject: UNKNOWN }))).toEqual([]);
  });
});

describe("gitops-identity-audience", () => {
  it("passes a set audience and stops an empty list", async () => {
    expect(await analyze([identityAudiencePolicy()], identity("a"))).toEqual([]);
    expect(await messages(analyze([identityAudiencePolicy()], identity("a", { audiences: [] })))).toEqual([
      expect.stringMatching(
        /^WorkloadIdentity 'a' \(GITHUB\): 'audiences' is empty: Bytebase then skips the audience check/,
      ),
    ]);
  });
});

describe("gitops-identity-issuer", () => {
  it("passes the providers' issuers and an allowed self-managed GitLab", async () => {
    expect(await analyze([identityIssuerPolicy()], identity("a"))).toEqual([]);
    const gitlab = identity("g", {
      provider: "GITLAB",
      issuerUrl: "https://gitlab.acme.com",
      subject: "project_path:acme/shop:ref_type:branch:ref:main",
    });
    expect(
      await analyze([identityIssuerPolicy({ gitlabIssuers: ["https://gitlab.acme.com"] })], gitlab),
    ).toEqual([]);
  });
  it("stops another issuer for GitHub and an http one", async () => {
    const other = await messages(
      analyze([identityIssuerPolicy()], identity("a", { issuerUrl: "https://evil.example.com" })),
    );
    expect(other).toEqual([
      expect.stringMatching(/'issuerUrl' \('https:\/\/evil\.example\.com'\) is not GitHub Actions' issuer/),
    ]);
    const http = await messages(
      analyze(
        [identityIssuerPolicy()],
        identity("a", {
          provider: "GITLAB",
          issuerUrl: "http://gitlab.acme.com",
          subject: "project_path:a/b:ref_type:tag:ref:v1",
        }),
      ),
    );
    expect(http).toEqual([expect.stringMatching(/is not https: Bytebase refuses to fetch its keys/)]);
  });
});

describe("gitops-deploy-identity-trust (stack)", () => {
  const policies = [deployIdentityTrustPolicy()];
  const member = "workloadIdentity:deploy@shop.workload.bytebase.com";
  it("passes an exact environment pattern bound to gitopsServiceAgent, and a PR identity bound to a check role", async () => {
    const check = identity("check", { subject: { repository: "acme/shop", pullRequest: true } });
    expect(
      await analyzeStack(policies, [
        identity("deploy"),
        binding("deploy-binding", member),
        check,
        binding(
          "check-binding",
          "workloadIdentity:check@shop.workload.bytebase.com",
          "roles/projectDeveloper",
        ),
      ]),
    ).toEqual([]);
  });
  it("stops a repo:acme/* or repo:O/R:* deploy identity, joined to its binding by the computed email", async () => {
    for (const subject of ["repo:acme/*", "repo:acme/shop:*"]) {
      const ds = await messages(
        analyzeStack(policies, [identity("deploy", { subject }), binding("b", member)]),
      );
      expect(ds).toEqual([
        expect.stringMatching(
          /^WorkloadIdentity 'deploy' \(GITHUB\): 'subject' \('repo:acme\/(\*|shop:\*)'\) admits pull-request jobs \(repo:acme\/(shop|x):pull_request\).*ProjectIamMember 'b' binds it to roles\/gitopsServiceAgent/,
        ),
      ]);
    }
  });
  it("stops a trailing '*' on a GitLab deploy identity", async () => {
    const gl = identity("deploy", {
      provider: "GITLAB",
      subject: "project_path:acme/shop:ref_type:branch:ref:release-*",
    });
    expect(await messages(analyzeStack(policies, [gl, binding("b", member)]))).toEqual([
      expect.stringMatching(
        /admits pull-request jobs \(project_path:acme\/shop:ref_type:branch:ref:release-x\)/,
      ),
    ]);
  });
});

describe("gitops-ci-roles (stack)", () => {
  const policies = [ciRolesPolicy()];
  const account: TestResource = {
    name: "ci",
    type: SERVICE_ACCOUNT_TYPE,
    props: { serviceAccountId: "ci", project: "shop" },
  };
  it("passes gitopsServiceAgent and roles without rollout rights", async () => {
    expect(
      await analyzeStack(policies, [
        account,
        binding("a", "serviceAccount:ci@shop.service.bytebase.com"),
        binding("b", "serviceAccount:ci@shop.service.bytebase.com", "roles/projectDeveloper"),
      ]),
    ).toEqual([]);
  });
  it("stops projectOwner and workspaceAdmin for a CI principal, and allUsers for anyone", async () => {
    const ds = await messages(
      analyzeStack(policies, [
        account,
        identity("deploy"),
        binding("owner", "serviceAccount:ci@shop.service.bytebase.com", "roles/projectOwner"),
        binding("admin", "workloadIdentity:deploy@shop.workload.bytebase.com", "roles/workspaceAdmin"),
        binding("everyone", "allUsers", "roles/projectViewer"),
      ]),
    );
    expect(ds).toEqual([
      expect.stringMatching(/^ProjectIamMember 'everyone' \(roles\/projectViewer\): 'member' is allUsers/),
      expect.stringMatching(
        /^ProjectIamMember 'owner' \(roles\/projectOwner\): 'role' gives ServiceAccount 'ci' roles\/projectOwner/,
      ),
      expect.stringMatching(
        /^ProjectIamMember 'admin' \(roles\/workspaceAdmin\): 'role' gives WorkloadIdentity 'deploy'/,
      ),
    ]);
  });
});

describe("gitops-separate-identities (stack, advisory)", () => {
  it("passes separate check and deploy identities; flags one that admits both", async () => {
    const policies = [separateIdentitiesPolicy()];
    expect(
      await analyzeStack(policies, [
        identity("deploy"),
        identity("check", { subject: "repo:acme/shop:pull_request" }),
      ]),
    ).toEqual([]);
    const ds = await analyzeStack(policies, [identity("both", { subject: "repo:acme/shop:*" })]);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ enforcementLevel: "advisory" });
    expect(ds[0]!.message).toMatch(/admits both the pull-request check and the deploy jobs/);
  });
});

describe("gitops-literal-service-key", () => {
  const key = "bbs_AbCdEfGhIjKlMnOpQrSt";
  it("passes a key in the connection only, and stops one anywhere else without quoting it", async () => {
    expect(
      await analyze([literalServiceKeyPolicy()], identity("a", { connection: { serviceKey: key } })),
    ).toEqual([]);
    const ds = await messages(analyze([literalServiceKeyPolicy()], identity("a", { title: `key ${key}` })));
    expect(ds).toEqual([
      expect.stringMatching(/^WorkloadIdentity 'a': 'title' holds a Bytebase service key in plain text/),
    ]);
    expect(ds.join()).not.toContain(key);
  });
  it("passes the stack config of a provider resource (bytebase:serviceKey, as the real CLI analyzes it)", async () => {
    const provider = {
      name: "default",
      type: "pulumi:providers:pulumi-nodejs",
      props: { "bytebase:serviceKey": key },
    };
    expect(await analyze([literalServiceKeyPolicy()], provider)).toEqual([]);
  });
});

it("GitOpsGuard includes the CI-identity policies", () => {
  const names = gitopsGuardPolicies().map((p) => p.name);
  for (const name of [
    "gitops-identity-subject",
    "gitops-identity-audience",
    "gitops-identity-issuer",
    "gitops-deploy-identity-trust",
    "gitops-ci-roles",
    "gitops-separate-identities",
    "gitops-literal-service-key",
  ])
    expect(names).toContain(name);
});
