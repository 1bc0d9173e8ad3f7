// The resource's wiring, seen from a program under `pulumi.runtime.setMocks`: its type token, its secrets as they
// leave the program, the outputs it exposes, and the provider text it carries. No engine and no provider host run:
// mocks answer every registration.
import { createRequire } from "node:module";
import { resolve } from "node:path";
import type * as pulumiTypes from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { SECRET_SIG, SECRET_VALUE } from "../engine";

// @pulumi/pulumi and the package must be one module instance, or the package's resources never see the mocks:
// load both the way a program in this repository does (the package through node_modules, built dist/).
const repoRoot = resolve(__dirname, "../..");
const programRequire = createRequire(`${repoRoot}/package.json`);
const pulumi = programRequire("@pulumi/pulumi") as typeof pulumiTypes;
const { GitOpsProvider } = programRequire("pulumi-bytebase-gitops") as typeof import("../../src");

const TYPE_TOKEN = "pulumi-nodejs:dynamic/bytebase:GitOpsProvider";
const OAUTH_SECRET = "plain-oauth-secret-0123456789abcdef";
const SERVICE_KEY = "bbs_plainservicekey0123456789";
const OUTPUTS = [
  "name",
  "title",
  "type",
  "instanceUrl",
  "apiUrl",
  "applicationId",
  "callbackUrl",
  "scopes",
  "secret",
  "verification",
] as const;

type Registered = pulumiTypes.runtime.MockResourceArgs;
const registered: Registered[] = [];

/** Plays the provider: answers with the inputs plus what the console would add. */
const mocks: pulumiTypes.runtime.Mocks = {
  newResource(args) {
    registered.push(args);
    const plain = JSON.parse(
      JSON.stringify(args.inputs, (_k, v: unknown) =>
        v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE
          ? (v as { value: unknown }).value
          : v,
      ),
    ) as Record<string, unknown>;
    return {
      id: "101",
      state: {
        title: "Azure DevOps",
        instanceUrl: "https://dev.azure.com",
        scopes: [],
        ...plain,
        name: "externalVersionControls/101",
        apiUrl: "https://dev.azure.com",
        callbackUrl: "https://bytebase.example.com/oauth/callback",
        verification: { verifiedAt: "2026-01-01T00:00:00.000Z", checks: [] },
      },
    };
  },
  call: () => ({}),
};

/** An output's value, once the mocks answered. */
const valueOf = <T>(output: pulumiTypes.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("GitOpsProvider under setMocks", () => {
  let full: InstanceType<typeof GitOpsProvider>;
  let minimal: InstanceType<typeof GitOpsProvider>;
  beforeAll(async () => {
    await pulumi.runtime.setMocks(mocks, "mocks-project", "dev", false);
    // Every input, with plain strings for the secret and the service key, as a careless program would pass them.
    full = new GitOpsProvider("full", {
      type: "AZURE_DEVOPS",
      applicationId: "6f3a1c2e-8b9d-4e7f-a1b2-c3d4e5f60718",
      secret: OAUTH_SECRET,
      title: "Azure DevOps",
      instanceUrl: "https://dev.azure.com",
      callbackUrl: "https://bytebase.example.com/oauth/callback",
      scopes: ["vso.code_full", "vso.identity", "vso.project", "vso.build_execute"],
      connection: {
        url: "https://bytebase.example.com",
        serviceAccount: "ci@service.bytebase.com",
        serviceKey: SERVICE_KEY,
      },
    });
    // Only what is required: every output must exist all the same.
    minimal = new GitOpsProvider("minimal", {
      type: "AZURE_DEVOPS",
      applicationId: "6f3a1c2e-8b9d-4e7f-a1b2-c3d4e5f60718",
      secret: OAUTH_SECRET,
    });
    await valueOf(pulumi.all([full.urn, minimal.urn, full.id, minimal.id]));
  });
  const registrationOf = (name: string) => registered.find((r) => r.name === name)!;

  it("registers the type token that policies match, which the class declares too", () => {
    expect(GitOpsProvider.__pulumiType).toBe(TYPE_TOKEN);
    expect(registrationOf("full").type).toBe(TYPE_TOKEN);
    expect(registrationOf("minimal").type).toBe(TYPE_TOKEN);
    expect(GitOpsProvider.isInstance(full)).toBe(true);
  });

  it("sends secret and connection as secrets even when the program passed plain strings", () => {
    const inputs = registrationOf("full").inputs as Record<string, unknown>;
    expect(inputs.secret).toEqual({ [SECRET_SIG]: SECRET_VALUE, value: OAUTH_SECRET });
    expect(inputs.connection).toEqual({
      [SECRET_SIG]: SECRET_VALUE,
      value: {
        url: "https://bytebase.example.com",
        serviceAccount: "ci@service.bytebase.com",
        serviceKey: SERVICE_KEY,
      },
    });
    expect(inputs.applicationId).toBe("6f3a1c2e-8b9d-4e7f-a1b2-c3d4e5f60718");
    expect((registrationOf("minimal").inputs as Record<string, unknown>).secret).toEqual({
      [SECRET_SIG]: SECRET_VALUE,
      value: OAUTH_SECRET,
    });
  });

  /** The outputs of a resource, once the mocks answered; a missing output property fails first. */
  const outputsOf = async (resource: InstanceType<typeof GitOpsProvider>) => {
    expect(
      OUTPUTS.filter((key) => resource[key] === undefined),
      "output properties missing",
    ).toEqual([]);
    const values = await valueOf(
      pulumi.all(OUTPUTS.map((key) => resource[key] as pulumiTypes.Output<unknown>)),
    );
    return Object.fromEntries(OUTPUTS.map((key, i) => [key, values[i]]));
  };
  const EXPECTED = {
    name: "externalVersionControls/101",
    title: "Azure DevOps",
    type: "AZURE_DEVOPS",
    instanceUrl: "https://dev.azure.com",
    apiUrl: "https://dev.azure.com",
    applicationId: "6f3a1c2e-8b9d-4e7f-a1b2-c3d4e5f60718",
    callbackUrl: "https://bytebase.example.com/oauth/callback",
    scopes: expect.any(Array),
    secret: OAUTH_SECRET,
    verification: expect.objectContaining({ checks: [] }),
  };

  // (Mocks do not apply additionalSecretOutputs, so whether an output is secret is tested through the engine, in
  // examples.test.ts.)
  it("exposes every output", async () => {
    expect(await outputsOf(full)).toMatchObject(EXPECTED);
  });

  // An output exists only if its key is among the props passed to dynamic.Resource: every one must be seeded.
  it("exposes every output also when the program left title, instanceUrl and scopes out", async () => {
    expect(await outputsOf(minimal)).toMatchObject(EXPECTED);
  });

  it("carries a small __provider with neither the OAuth secret nor the service key in it", () => {
    for (const name of ["full", "minimal"]) {
      const provider = (registrationOf(name).inputs as Record<string, unknown>).__provider;
      expect(typeof provider).toBe("string");
      expect((provider as string).length).toBeLessThan(2048);
      expect(provider).not.toContain(OAUTH_SECRET);
      expect(provider).not.toContain(SERVICE_KEY);
      expect(provider).toContain('require("pulumi-bytebase-gitops/runtime")');
    }
  });
});
