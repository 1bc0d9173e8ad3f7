// The ready pack in examples/policy-pack started for real (cmd/run-policy-pack) and driven over gRPC as the
// Pulumi CLI drives it: GetAnalyzerInfo, Configure with the example config, Analyze, AnalyzeStack.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GITOPS_POLICY_NAMES } from "../../src/policy";
import {
  analyzeRequest,
  analyzeStackRequest,
  diagnostics,
  LEVEL_CODES,
  struct,
  urnOf,
  type Diagnostic,
} from "./harness";
import { azureSecret, provider } from "./fixtures";

const root = resolve(__dirname, "../..");
const packDir = join(root, "examples/policy-pack");
const configFile = join(packDir, "policy-config.json");

let child: ChildProcess | undefined;
let client: AnalyzerClient;
let info: analyzerPb.AnalyzerInfo;

function call<Req, Res>(
  method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
) {
  return new Promise<Res>((ok, fail) => method.call(client, req, (err, res) => (err ? fail(err) : ok(res))));
}
const analyze = async (r: Parameters<typeof analyzeRequest>[0]): Promise<Diagnostic[]> =>
  diagnostics(await call(client.analyze, analyzeRequest(r)));
const analyzeStack = async (rs: Parameters<typeof analyzeStackRequest>[0]): Promise<Diagnostic[]> =>
  diagnostics(await call(client.analyzeStack, analyzeStackRequest(rs)));

/** What the CLI sends for `--policy-pack-config`: each policy's level (its default when not given) and settings. */
function configureRequest(file: string): analyzerPb.ConfigureAnalyzerRequest {
  const config = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const request = new analyzerPb.ConfigureAnalyzerRequest();
  for (const policy of info.getPoliciesList()) {
    const entry = config[policy.getName()];
    if (entry === undefined) continue;
    const { enforcementLevel, ...settings } =
      typeof entry === "string" ? { enforcementLevel: entry } : (entry as Record<string, unknown>);
    const level =
      typeof enforcementLevel === "string" ? LEVEL_CODES[enforcementLevel]! : policy.getEnforcementlevel();
    request
      .getPolicyconfigMap()
      .set(
        policy.getName(),
        new analyzerPb.PolicyConfig().setEnforcementlevel(level).setProperties(struct(settings)),
      );
  }
  return request;
}

beforeAll(async () => {
  if (!existsSync(join(root, "dist/policy/index.js")))
    throw new Error("dist/policy is missing: run `npx tsc -p tsconfig.build.json` before this test");
  const main = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  const proc = spawn(process.execPath, [main, "127.0.0.1:1", packDir], {
    cwd: packDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  let stderr = "";
  proc.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((ok, fail) => {
    let out = "";
    proc.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^(\d+)\s/.exec(out);
      if (match) ok(Number(match[1]));
    });
    proc.on("exit", (code) => fail(new Error(`policy pack exited with ${code}: ${stderr}`)));
  });
  client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  info = await call(client.getAnalyzerInfo, new Empty());
});

afterAll(() => {
  client?.close();
  child?.kill();
});

describe("examples/policy-pack served by run-policy-pack", () => {
  it("lists every policy with its level and settings schema", () => {
    expect(info.getName()).toBe("gitops-guard");
    const policies = Object.fromEntries(info.getPoliciesList().map((p) => [p.getName(), p]));
    expect(Object.keys(policies).sort()).toEqual([...GITOPS_POLICY_NAMES].sort());
    const schema = (name: string) => policies[name]!.getConfigschema()?.getProperties()?.toJavaScript();
    expect(schema("gitops-secret-expiry")).toEqual({
      minDaysRemaining: expect.objectContaining({ type: "integer", minimum: 0, default: 14 }),
    });
    expect(schema("gitops-callback-url")).toEqual({
      allowedHosts: expect.objectContaining({ type: "array", default: [] }),
    });
    expect(Object.keys(schema("gitops-least-privilege") ?? {})).toEqual([
      "allowedExtraScopes",
      "allowedExtraScopesByType",
    ]);
    expect(policies["gitops-unique-providers"]!.getPolicyType()).toBe(
      analyzerPb.PolicyType.POLICY_TYPE_STACK,
    );
    expect(policies["gitops-required-scopes"]!.getEnforcementlevel()).toBe(
      analyzerPb.EnforcementLevel.MANDATORY,
    );
    expect(policies["gitops-least-privilege"]!.getEnforcementlevel()).toBe(
      analyzerPb.EnforcementLevel.ADVISORY,
    );
  });

  it("applies the built-in defaults before it is configured", async () => {
    const github = provider("GITHUB", { scopes: ["repo", "workflow", "read:org"] });
    expect((await analyze(github)).map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["gitops-least-privilege", "advisory"],
    ]);
    expect(await analyze(provider("AZURE_DEVOPS", { secret: azureSecret(18) }))).toEqual([]);
    expect(await analyze(provider("GITLAB"))).toEqual([]);
  });

  it("applies the example policy-config.json", async () => {
    await call(client.configure, configureRequest(configFile));
    expect(await analyze(provider("GITHUB", { scopes: ["repo", "workflow", "read:org"] }))).toEqual([]);
    const azure = await analyze(provider("AZURE_DEVOPS", { secret: azureSecret(18) }));
    expect(azure.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["gitops-secret-expiry", "mandatory"],
    ]);
    expect(azure[0]!.message).toContain("less than 21");
    const gitlab = await analyze(
      provider("GITLAB", { callbackUrl: "https://other.example.net/oauth/callback" }),
    );
    expect(gitlab.map((d) => d.policyName).sort()).toEqual(["gitops-callback-url", "gitops-instance-url"]);
    expect(await analyze(provider("GITLAB", { instanceUrl: "https://gitlab.example.com" }))).toEqual([]);
  });

  it("analyzes the stack", async () => {
    const a = provider("BITBUCKET", {}, "a");
    const b = provider("BITBUCKET", {}, "b");
    const ds = await analyzeStack([a, b, provider("GITHUB", {}, "c")]);
    expect(ds.map((d) => [d.policyName, d.enforcementLevel, d.urn])).toEqual([
      ["gitops-unique-providers", "mandatory", urnOf(b)],
    ]);
    expect(ds[0]!.message).toContain("Key aB3dE5fG7hJ9kL1mN2");
  });
});
