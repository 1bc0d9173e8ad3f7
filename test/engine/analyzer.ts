// Policy packs as the Pulumi CLI runs them: `run-policy-pack` started for the pack's directory, then driven over
// gRPC (GetAnalyzerInfo, Configure from a --policy-pack-config object, Analyze, AnalyzeStack).
import { spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PolicyViolation } from "./types";

type Props = Record<string, unknown>;

export interface PolicyPackOptions {
  /** The pack's directory (PulumiPolicy.yaml, index.ts or a built index.js). */
  dir: string;
  /** What `--policy-pack-config` would load: per policy, a level or `{enforcementLevel?, ...settings}`. */
  config?: Record<string, unknown>;
}

export interface AnalyzedResource {
  urn: string;
  type: string;
  name: string;
  /** Properties as the engine sends them (secret values as secret marker objects). */
  properties: Props;
}

export interface Diagnostic {
  policyName: string;
  message: string;
  enforcementLevel: string;
  urn: string;
}

export interface PolicyPack {
  readonly name: string;
  readonly info: analyzerPb.AnalyzerInfo;
  analyze(resource: AnalyzedResource): Promise<Diagnostic[]>;
  analyzeStack(resources: AnalyzedResource[]): Promise<Diagnostic[]>;
  /** Applies a `--policy-pack-config` object. */
  configure(config: Record<string, unknown>): Promise<void>;
  close(): void;
}

const LEVELS: Record<number, string> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
};

const LEVEL_CODES: Record<string, analyzerPb.EnforcementLevel> = Object.fromEntries(
  Object.entries(LEVELS).map(([code, name]) => [name, Number(code) as analyzerPb.EnforcementLevel]),
);

/** A Struct of plain JSON values (undefined dropped, as the engine does). */
export function struct(value: Props): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)) as never);
}

export function diagnostics(res: analyzerPb.AnalyzeResponse): Diagnostic[] {
  return res.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(),
    message: d.getMessage(),
    enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "?",
    urn: d.getUrn(),
  }));
}

/** Diagnostics as the engine reports them (disabled and remediation ones are not violations). */
export function violations(pack: string, ds: Diagnostic[]): PolicyViolation[] {
  return ds
    .filter((d) => d.enforcementLevel === "advisory" || d.enforcementLevel === "mandatory")
    .map((d) => ({
      pack,
      policyName: d.policyName,
      level: d.enforcementLevel as PolicyViolation["level"],
      message: d.message,
      urn: d.urn,
    }));
}

/** The Analyze request for one resource, as the engine sends it. */
export const analyzeRequest = (r: AnalyzedResource) =>
  new analyzerPb.AnalyzeRequest()
    .setUrn(r.urn)
    .setType(r.type)
    .setName(r.name)
    .setProperties(struct(r.properties))
    .setOptions(new analyzerPb.AnalyzerResourceOptions());

/** The AnalyzeStack request for these resources, as the engine sends it. */
export const analyzeStackRequest = (rs: AnalyzedResource[]) =>
  new analyzerPb.AnalyzeStackRequest().setResourcesList(
    rs.map((r) =>
      new analyzerPb.AnalyzerResource()
        .setUrn(r.urn)
        .setType(r.type)
        .setName(r.name)
        .setProperties(struct(r.properties))
        .setOptions(new analyzerPb.AnalyzerResourceOptions()),
    ),
  );

/** What the CLI sends for `--policy-pack-config`: each policy's level (its default when not given) and settings. */
function configureRequest(info: analyzerPb.AnalyzerInfo, config: Record<string, unknown>) {
  const request = new analyzerPb.ConfigureAnalyzerRequest();
  for (const policy of info.getPoliciesList()) {
    const entry = config[policy.getName()];
    if (entry === undefined) continue;
    const { enforcementLevel, ...settings } =
      typeof entry === "string" ? { enforcementLevel: entry } : (entry as Props);
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

/** Starts the pack (`node run-policy-pack <engine> <dir>`), reads its info and applies its config. */
export async function startPolicyPack(
  options: PolicyPackOptions,
  engineAddress = "127.0.0.1:1",
): Promise<PolicyPack> {
  // The Node language host resolves run-policy-pack from the pack's own directory (locateModule in
  // sdk/nodejs/cmd/pulumi-language-nodejs/main.go), so the pack runs with the SDK it installed.
  const main = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [options.dir] });
  const child = spawn(process.execPath, [main, engineAddress, options.dir], {
    cwd: options.dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((ok, fail) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^(\d+)\s/.exec(out);
      if (match) ok(Number(match[1]));
    });
    child.on("exit", (code) =>
      fail(new Error(`the policy pack in ${options.dir} exited with ${code} before serving:\n${stderr}`)),
    );
  });
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = <Req, Res>(
    method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
    req: Req,
  ) => new Promise<Res>((ok, fail) => method.call(client, req, (err, res) => (err ? fail(err) : ok(res))));
  const close = () => {
    client.close();
    child.kill();
  };
  try {
    const info = await call<Empty, analyzerPb.AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
    if (options.config) await call(client.configure, configureRequest(info, options.config));
    return {
      name: info.getName(),
      info,
      analyze: async (r) => diagnostics(await call(client.analyze, analyzeRequest(r))),
      analyzeStack: async (rs) => diagnostics(await call(client.analyzeStack, analyzeStackRequest(rs))),
      configure: async (config) => {
        await call(client.configure, configureRequest(info, config));
      },
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}
