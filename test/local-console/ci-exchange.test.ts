// auth:exchangeToken on the local console (3.16, 3.21): the fake issuer's RS256 tokens checked with Bytebase's rules
// (wif.go@3.21.1), including the trusts that admit too much. A real Bytebase refuses loopback issuers and fetches
// GitHub's JWKS itself, so this runs on the local console only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subjectPattern } from "../../src/ci";
import type { StartedLocalConsole } from "../../src/local-console";
import { call, setup, type CallOptions } from "./helpers";

type Req = (method: string, path: string, o?: CallOptions) => ReturnType<typeof call>;
const GITHUB = "https://token.actions.githubusercontent.com";

describe.each(["3.16", "3.21"])("Bytebase %s", (version) => {
  let c: StartedLocalConsole;
  let req: Req;
  beforeAll(async () => {
    ({ c, req } = await setup({ version }));
  });
  afterAll(() => c.close());

  const identity = async (id: string, subject: string, audiences = ["bytebase"], issuerUrl = GITHUB) => {
    const a = await req("POST", `/v1/projects/default/workloadIdentities?workloadIdentityId=${id}`, {
      body: {
        workloadIdentityConfig: {
          providerType: "GITHUB",
          issuerUrl,
          allowedAudiences: audiences,
          subjectPattern: subject,
        },
      },
    });
    expect(a.status).toBe(200);
    return a.json.email as string;
  };
  const exchange = (email: string, token: string) =>
    call(c.url, "POST", "/v1/auth:exchangeToken", { body: { token, email } });
  const token = (sub: string, more: { aud?: string; iss?: string; expiresIn?: number } = {}) =>
    c.oidc!.issue({ sub, aud: more.aud ?? "bytebase", iss: more.iss, expiresIn: more.expiresIn });
  const refused = async (email: string, jwt: string) => {
    const a = await exchange(email, jwt);
    expect(a.status).toBe(401);
    return a.json.message as string;
  };

  it("answers an exact trust with a Bytebase token that signs the job in", async () => {
    const email = await identity(
      "deploy",
      subjectPattern("GITHUB", { repository: "acme/shop", environment: "prod" }),
    );
    const a = await exchange(email, token("repo:acme/shop:environment:prod"));
    expect(a.status).toBe(200);
    const signedIn = await call(c.url, "GET", `/v1/workloadIdentities/${email}`, {
      token: a.json.accessToken as string,
    });
    expect(signedIn.json.email).toBe(email);
    expect(await refused(email, token("repo:acme/shop:pull_request"))).toBe(
      'token validation failed: subject mismatch: expected pattern "repo:acme/shop:environment:prod", got "repo:acme/shop:pull_request"',
    );
    expect(await refused(email, token("repo:acme/shop:environment:prod", { aud: "other" }))).toBe(
      "token validation failed: audience mismatch: token has [other], allowed [bytebase]",
    );
    expect(
      await refused(email, token("repo:acme/shop:environment:prod", { iss: "https://gitlab.com" })),
    ).toBe(`token validation failed: issuer mismatch: expected "${GITHUB}", got "https://gitlab.com"`);
    expect(await refused(email, token("repo:acme/shop:environment:prod", { expiresIn: -1 }))).toBe(
      "token validation failed: token has expired",
    );
    const forged = token("repo:acme/shop:environment:prod").replace(/\.[^.]+$/, ".AAAA");
    expect(await refused(email, forged)).toMatch(
      /^token validation failed: failed to verify token signature: /,
    );
  });

  it("lets an empty or * pattern, a prefix without a boundary and an empty audience admit strangers", async () => {
    const stranger = token("repo:evil/fork:pull_request", { aud: "anything" });
    for (const [id, pattern] of [
      ["empty", ""],
      ["star", "*"],
    ] as const)
      expect((await exchange(await identity(id, pattern, []), stranger)).status).toBe(200);
    const prefix = await identity("prefix", "repo:acme/shop*");
    expect((await exchange(prefix, token("repo:acme/shop-evil:ref:refs/heads/main"))).status).toBe(200);
    const middle = await identity("middle", "repo:acme/*:ref:refs/heads/main");
    expect(await refused(middle, token("repo:acme/shop:ref:refs/heads/main"))).toMatch(/subject mismatch/);
  });

  it("refuses issuers a real Bytebase refuses, deleted identities and unknown ones", async () => {
    const loopback = await identity(
      "loop",
      "repo:acme/shop:pull_request",
      ["bytebase"],
      "http://127.0.0.1:9",
    );
    expect(await refused(loopback, token("repo:acme/shop:pull_request"))).toBe(
      "token validation failed: failed to fetch JWKS: issuer URL must use HTTPS: http://127.0.0.1:9",
    );
    const privateHost = await identity(
      "private",
      "repo:acme/shop:pull_request",
      ["bytebase"],
      "https://10.0.0.1",
    );
    expect(await refused(privateHost, token("repo:acme/shop:pull_request"))).toBe(
      "token validation failed: failed to fetch JWKS: issuer URL cannot be a private address: https://10.0.0.1",
    );
    const gone = await identity("gone", "repo:acme/shop:pull_request");
    await req("DELETE", `/v1/workloadIdentities/${gone}`);
    expect(await refused(gone, token("repo:acme/shop:pull_request"))).toBe(
      "workload identity has been deactivated",
    );
    const unknown = await exchange("nobody@default.workload.bytebase.com", token("x"));
    expect([unknown.status, unknown.json.message]).toEqual([
      404,
      'workload identity "nobody@default.workload.bytebase.com" not found',
    ]);
    const empty = await exchange(gone, "");
    expect([empty.status, empty.json.message]).toEqual([400, "token is required"]);
  });
});
