// Property-based: arbitrary resource properties never make a policy throw, called directly or through the analyzer RPC.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { GITOPS_PROVIDER_TYPE, gitopsGuardPolicies } from "../../src/policy";
import { analyze, analyzeStack } from "./harness";
import { azureSecret, CALLBACK, TYPES, UNKNOWN } from "./fixtures";

const policies = gitopsGuardPolicies({
  "gitops-callback-url": { allowedHosts: ["bytebase.example.com", "*.example.org"] },
  "gitops-instance-url": { allowedInstanceUrls: { GITLAB: ["https://gitlab.example.com"] } },
});

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
  },
  { requiredKeys: [] },
);

const validation = (props: unknown, config: unknown = {}): ResourceValidationArgs =>
  ({ type: GITOPS_PROVIDER_TYPE, props, urn: "urn", name: "r", opts: {}, getConfig: () => config }) as never;

describe("no policy throws on arbitrary input", () => {
  it("called directly with any value as props or config", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), providerProps), fc.anything(), (props, config) => {
        for (const p of policies) {
          if ("validateResource" in p && typeof p.validateResource === "function")
            p.validateResource(validation(props, config), () => undefined);
          if ("validateStack" in p && p.validateStack) {
            const resources = [
              { type: GITOPS_PROVIDER_TYPE, props, urn: "u", name: "n" },
              { type: GITOPS_PROVIDER_TYPE, props, urn: "v", name: "m" },
            ];
            void p.validateStack(
              { resources, getConfig: () => config } as unknown as StackValidationArgs,
              () => undefined,
            );
          }
        }
      }),
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
    for (const props of [hostile, { type: "GITLAB", scopes }])
      for (const p of policies) {
        const validate = "validateResource" in p ? p.validateResource : undefined;
        if (typeof validate === "function")
          expect(() => validate(validation(props, hostile), () => undefined)).not.toThrow();
      }
  });

  it("through the analyzer RPC with JSON props", async () => {
    const jsonProps = providerProps.map((p) => JSON.parse(JSON.stringify(p)) as Record<string, unknown>);
    await fc.assert(
      fc.asyncProperty(fc.array(jsonProps, { minLength: 1, maxLength: 4 }), async (many) => {
        for (const props of many) {
          const ds = await analyze(policies, { name: "r", props });
          for (const d of ds) expect(d.message).not.toMatch(/can't run policy/);
        }
        await analyzeStack(
          policies,
          many.map((props, i) => ({ name: `r${i}`, props })),
        );
      }),
      { numRuns: 150 },
    );
  });
});
