// Policy packs as the Pulumi CLI runs them: `run-policy-pack` started for the pack's directory, then driven over
// gRPC (GetAnalyzerInfo, Configure from a --policy-pack-config object, Analyze, AnalyzeStack).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { parsePolicyPackConfig, reconcilePolicyPackConfig, type PolicyConfig } from "./policy-config";
import type { PolicyViolation } from "./types";

type Props = Record<string, unknown>;

export interface PolicyPackOptions {
  /** The pack's directory (PulumiPolicy.yaml, index.ts or a built index.js). */
  dir: string;
  /** What `--policy-pack-config` would load: per policy (or `all`), a level or `{enforcementLevel?, ...settings}`. */
  config?: Record<string, unknown>;
  /** `--policy-pack-config FILE`: read when `config` is not given. */
  configFile?: string;
}

export interface AnalyzedResource {
  urn: string;
  type: string;
  name: string;
  /** Properties as the engine sends them (secret values as secret marker objects). */
  properties: Props;
  /** The resource's provider with its inputs (plugin.AnalyzerProviderResource; for pulumi-nodejs the whole config). */
  provider?: { urn: string; type: string; name: string; properties: Props };
}

/** pkg/resource/plugin/analyzer_plugin.go marshals the provider resource into the request's `provider` field. */
const providerOf = (r: AnalyzedResource) =>
  r.provider
    ? new analyzerPb.AnalyzerProviderResource()
        .setUrn(r.provider.urn)
        .setType(r.provider.type)
        .setName(r.provider.name)
        .setProperties(struct(r.provider.properties))
    : undefined;

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
function struct(value: Props): Struct {
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
    .setOptions(new analyzerPb.AnalyzerResourceOptions())
    .setProvider(providerOf(r));

/** The AnalyzeStack request for these resources, as the engine sends it. */
export const analyzeStackRequest = (rs: AnalyzedResource[]) =>
  new analyzerPb.AnalyzeStackRequest().setResourcesList(
    rs.map((r) =>
      new analyzerPb.AnalyzerResource()
        .setUrn(r.urn)
        .setType(r.type)
        .setName(r.name)
        .setProperties(struct(r.properties))
        .setOptions(new analyzerPb.AnalyzerResourceOptions())
        .setProvider(providerOf(r)),
    ),
  );

/** The Configure request with every policy's reconciled level and properties (pkg/engine/update.go: Configure is
 * always sent, after ReconcilePolicyPackConfig). */
function configureRequest(config: Record<string, PolicyConfig>) {
  const request = new analyzerPb.ConfigureAnalyzerRequest();
  for (const [name, c] of Object.entries(config)) {
    request
      .getPolicyconfigMap()
      .set(
        name,
        new analyzerPb.PolicyConfig()
          .setEnforcementlevel(LEVEL_CODES[c.enforcementLevel] ?? analyzerPb.EnforcementLevel.ADVISORY)
          .setProperties(struct(c.properties ?? {})),
      );
  }
  return request;
}

/** Reconciles a `--policy-pack-config` object with the pack's info; throws the CLI's validation errors. */
function reconciled(info: analyzerPb.AnalyzerInfo, fileConfig: Record<string, unknown>) {
  const { config, errors } = reconcilePolicyPackConfig(info, parsePolicyPackConfig(fileConfig));
  if (errors.length > 0)
    throw new PolicyConfigError(
      errors.sort().map((e) => `validating policy config: ${info.getName()} ${info.getVersion()}  ${e}`),
    );
  return config;
}

/** pkg/engine/update.go loadPolicyPlugins: each validation error printed as an error, then "validating policy
 * config" fails the run. */
export class PolicyConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(`validating policy config\n${lines.join("\n")}`);
  }
}

/**
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin/locateModule: `@pulumi/pulumi/cmd/run-policy-pack` is
 * resolved from the pack's own directory, so a pack without the SDK installed fails as it does under the CLI.
 */
export function locateRunPolicyPack(dir: string): string {
  try {
    return createRequire(join(resolve(dir), "index.js")).resolve("@pulumi/pulumi/cmd/run-policy-pack");
  } catch (e) {
    if ((e as { code?: string }).code === "MODULE_NOT_FOUND")
      throw new Error(
        `It looks like the Pulumi SDK has not been installed. Have you run npm install in ${dir}?`,
        { cause: e },
      );
    throw e;
  }
}

/** Starts the pack (`node run-policy-pack <engine> <dir>`), reads its info and applies its config. */
export async function startPolicyPack(
  options: PolicyPackOptions,
  engineAddress = "127.0.0.1:1",
): Promise<PolicyPack> {
  const main = locateRunPolicyPack(options.dir);
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
    const fileConfig =
      options.config ??
      (options.configFile ? (JSON.parse(readFileSync(options.configFile, "utf8") || "{}") as Props) : {});
    await call(client.configure, configureRequest(reconciled(info, fileConfig)));
    return {
      name: info.getName(),
      info,
      analyze: async (r) => diagnostics(await call(client.analyze, analyzeRequest(r))),
      analyzeStack: async (rs) => diagnostics(await call(client.analyzeStack, analyzeStackRequest(rs))),
      configure: async (config) => {
        await call(client.configure, configureRequest(reconciled(info, config)));
      },
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}
