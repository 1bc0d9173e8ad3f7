// Property-based: arbitrary resource properties never make a policy throw, called directly or through the analyzer RPC.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import {
  GITOPS_PROVIDER_TYPE,
  gitopsGuardPolicies,
  VCS_CONNECTOR_TYPE,
  VCS_PROVIDER_TYPE,
} from "../../src/policy";
import { analyze, analyzeStack } from "./harness";
import { azureSecret, CALLBACK, TYPES, UNKNOWN } from "./fixtures";

const policies = gitopsGuardPolicies({
  "gitops-callback-url": { allowedHosts: ["bytebase.example.com", "*.example.org"] },
  "gitops-instance-url": { allowedInstanceUrls: { GITLAB: ["https://gitlab.example.com"] } },
  "gitops-connector-branch": { allowedBranches: ["main", "env/**", "/hotfix-\\d+/", "/rel(ease)?-.+/"] },
  "gitops-connector-base-directory": { allowedBaseDirectories: ["/db/*"] },
});
const TYPE_TOKENS = [GITOPS_PROVIDER_TYPE, VCS_PROVIDER_TYPE, VCS_CONNECTOR_TYPE];

const text = fc.oneof(
  fc.string(),
  fc.constantFrom(
    UNKNOWN,
    CALLBACK,
    "https://gitlab.example.com",
    "http://127.0.0.1",
    "*",
    "?#",
    azureSecret(3),
    "a.b.c",
  ),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);
const json = fc.jsonValue();
const field = fc.oneof(text, json, fc.array(fc.oneof(text, json)), fc.constant(undefined));
/** Props shaped like a GitOpsProvider's, each value possibly junk. */
const providerProps = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...TYPES), field),
    applicationId: fc.oneof(fc.constantFrom("6f3a1c2e-8b9d-4e7f-a1b2-c3d4e5f60718", UNKNOWN), field),
    secret: field,
    title: field,
    instanceUrl: field,
    callbackUrl: field,
    scopes: fc.oneof(
      fc.array(fc.oneof(fc.constantFrom("api", "repo", "vso.code_full", "repository:admin", UNKNOWN), text)),
      field,
    ),
    connection: field,
    verifyCredentials: field,
    // VcsProvider and VcsConnector properties
    resourceId: field,
    permissions: fc.oneof(
      fc.array(fc.oneof(fc.constantFrom("api", "repo", "contents:read", "vso.code", "team", UNKNOWN), text)),
      field,
    ),
    verification: fc.oneof(
      fc.record({ tokenExpiresAt: fc.oneof(fc.constantFrom(UNKNOWN, "2026-12-03T00:00:00Z"), field) }),
      field,
    ),
    project: field,
    vcsProvider: field,
    repository: field,
    branch: fc.oneof(fc.constantFrom("main", "refs/heads/main", "release-*", "a..b", UNKNOWN), field),
    baseDirectory: fc.oneof(fc.constantFrom("/migrations", "./x", "/", "a//b", UNKNOWN), field),
  },
  { requiredKeys: [] },
);

const validation = (
  props: unknown,
  config: unknown = {},
  type = GITOPS_PROVIDER_TYPE,
): ResourceValidationArgs =>
  ({ type, props, urn: "urn", name: "r", opts: {}, getConfig: () => config }) as never;

describe("no policy throws on arbitrary input", () => {
  it("called directly with any value as props or config", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), providerProps),
        fc.anything(),
        fc.constantFrom(...TYPE_TOKENS),
        (props, config, type) => {
          for (const p of policies) {
            if ("validateResource" in p && typeof p.validateResource === "function")
              p.validateResource(validation(props, config, type), () => undefined);
            if ("validateStack" in p && p.validateStack) {
              const resources = [
                { type, props, urn: "u", name: "n" },
                { type, props, urn: "v", name: "m" },
              ];
              void p.validateStack(
                { resources, getConfig: () => config } as unknown as StackValidationArgs,
                () => undefined,
              );
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("called with props whose every read throws", () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error("boom");
        },
        has: () => {
          throw new Error("boom");
        },
      },
    );
    const scopes = new Proxy(["api"], {
      get: () => {
        throw new Error("boom");
      },
    });
    for (const props of [hostile, { type: "GITLAB", scopes, permissions: scopes, verification: hostile }])
      for (const type of TYPE_TOKENS)
        for (const p of policies) {
          const validate = "validateResource" in p ? p.validateResource : undefined;
          if (typeof validate === "function")
            expect(() => validate(validation(props, hostile, type), () => undefined)).not.toThrow();
          const resources = [{ type, props, urn: "u", name: "n" }];
          if ("validateStack" in p && p.validateStack)
            expect(() =>
              p.validateStack({ resources, getConfig: () => hostile } as never, () => undefined),
            ).not.toThrow();
        }
  });

  it("through the analyzer RPC with JSON props", async () => {
    const jsonProps = providerProps.map((p) => JSON.parse(JSON.stringify(p)) as Record<string, unknown>);
    await fc.assert(
      fc.asyncProperty(fc.array(jsonProps, { minLength: 1, maxLength: 4 }), async (many) => {
        for (const [i, props] of many.entries()) {
          const ds = await analyze(policies, { name: "r", props, type: TYPE_TOKENS[i % 3] });
          for (const d of ds) expect(d.message).not.toMatch(/can't run policy/);
        }
        const stack = await analyzeStack(
          policies,
          many.map((props, i) => ({ name: `r${i}`, props, type: TYPE_TOKENS[i % 3] })),
        );
        for (const d of stack) expect(d.message).not.toMatch(/can't run policy/);
      }),
      { numRuns: 150 },
    );
  });
});
