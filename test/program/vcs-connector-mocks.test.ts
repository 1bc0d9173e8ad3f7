// VcsConnector's wiring, seen from a program under `pulumi.runtime.setMocks`: its type token, every output it
// exposes (also those of inputs the program left out), the connection sent as a secret, the provider text it carries.
import { createRequire } from "node:module";
import { resolve } from "node:path";
import type * as pulumiTypes from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { SECRET_SIG, SECRET_VALUE } from "../engine";

const repoRoot = resolve(__dirname, "../..");
const programRequire = createRequire(`${repoRoot}/package.json`);
const pulumi = programRequire("@pulumi/pulumi") as typeof pulumiTypes;
const { VcsConnector } = programRequire("pulumi-bytebase-gitops") as typeof import("../../src");

const TYPE_TOKEN = "pulumi-nodejs:dynamic/bytebase:VcsConnector";
const SERVICE_KEY = "bbs_plainservicekey0123456789";
const OUTPUTS = [
  "name",
  "project",
  "resourceId",
  "vcsProvider",
  "repository",
  "title",
  "externalId",
  "fullPath",
  "webUrl",
  "branch",
  "baseDirectory",
  "databaseGroup",
] as const;

const registered: pulumiTypes.runtime.MockResourceArgs[] = [];
const mocks: pulumiTypes.runtime.Mocks = {
  newResource(args) {
    registered.push(args);
    return {
      id: "db",
      state: {
        ...(args.inputs as Record<string, unknown>),
        name: "projects/payments/vcsConnectors/db",
        title: "db",
        externalId: "1000",
        fullPath: "platform/db",
        webUrl: "https://gitlab.com/platform/db",
        baseDirectory: "",
        databaseGroup: "",
      },
    };
  },
  call: () => ({}),
};
const valueOf = <T>(output: pulumiTypes.Output<T>) => new Promise<T>((done) => output.apply(done));

describe("VcsConnector under setMocks", () => {
  let minimal: InstanceType<typeof VcsConnector>;
  beforeAll(async () => {
    await pulumi.runtime.setMocks(mocks, "mocks-project", "dev", false);
    minimal = new VcsConnector("minimal", {
      project: "payments",
      resourceId: "db",
      vcsProvider: "vcsProviders/gitlab",
      repository: "platform/db",
      branch: "main",
      connection: {
        url: "https://bytebase.example.com",
        serviceAccount: "ci@service.bytebase.com",
        serviceKey: SERVICE_KEY,
      },
    });
    await valueOf(pulumi.all([minimal.urn, minimal.id]));
  });

  it("registers the type token that policies match, which the class declares too", () => {
    expect(VcsConnector.__pulumiType).toBe(TYPE_TOKEN);
    expect(registered[0]!.type).toBe(TYPE_TOKEN);
    expect(VcsConnector.isInstance(minimal)).toBe(true);
  });

  it("exposes every output also when the program left baseDirectory, databaseGroup and title out", async () => {
    expect(
      OUTPUTS.filter((key) => minimal[key] === undefined),
      "output properties missing",
    ).toEqual([]);
    const values = await valueOf(
      pulumi.all(OUTPUTS.map((key) => minimal[key] as pulumiTypes.Output<unknown>)),
    );
    expect(Object.fromEntries(OUTPUTS.map((key, i) => [key, values[i]]))).toMatchObject({
      name: "projects/payments/vcsConnectors/db",
      externalId: "1000",
      fullPath: "platform/db",
      baseDirectory: "",
    });
  });

  it("sends the connection as a secret and carries a small __provider without the service key", () => {
    const inputs = registered[0]!.inputs as Record<string, unknown>;
    expect(inputs.connection).toEqual({
      [SECRET_SIG]: SECRET_VALUE,
      value: {
        url: "https://bytebase.example.com",
        serviceAccount: "ci@service.bytebase.com",
        serviceKey: SERVICE_KEY,
      },
    });
    const provider = inputs.__provider as string;
    expect(provider.length).toBeLessThan(2048);
    expect(provider).not.toContain(SERVICE_KEY);
    expect(provider).toContain("attachVcsConnector");
  });
});
