// Test harness: builds analyzer protobuf requests and runs policies through @pulumi/policy's own
// analyze / analyze-stack RPC functions (the code the real analyzer server runs).
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import * as serverModule from "@pulumi/policy/server";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { GITOPS_PROVIDER_TYPE } from "../../src/policy";
import { diagnostics, struct, type Diagnostic } from "../engine/analyzer";

export type { Diagnostic };

type RpcCallback = (err: unknown, res?: analyzerPb.AnalyzeResponse) => void;
type Rpc = (call: { request: unknown }, callback: RpcCallback) => Promise<void>;
type MakeRpc = (pack: string, version: string, level: EnforcementLevel, policies: Policies) => Rpc;
const server = serverModule as unknown as { makeAnalyzeRpcFun: MakeRpc; makeAnalyzeStackRpcFun: MakeRpc };

export const PACK = "gitops-guard-test";

export interface TestResource {
  name: string;
  props: Record<string, unknown>;
  type?: string;
}

export const urnOf = (r: TestResource) =>
  `urn:pulumi:dev::gitops::${r.type ?? GITOPS_PROVIDER_TYPE}::${r.name}`;

export function analyzeRequest(r: TestResource): analyzerPb.AnalyzeRequest {
  return new analyzerPb.AnalyzeRequest()
    .setType(r.type ?? GITOPS_PROVIDER_TYPE)
    .setName(r.name)
    .setUrn(urnOf(r))
    .setProperties(struct(r.props))
    .setOptions(new analyzerPb.AnalyzerResourceOptions());
}

export function analyzeStackRequest(resources: TestResource[]): analyzerPb.AnalyzeStackRequest {
  return new analyzerPb.AnalyzeStackRequest().setResourcesList(
    resources.map((r) =>
      new analyzerPb.AnalyzerResource()
        .setType(r.type ?? GITOPS_PROVIDER_TYPE)
        .setName(r.name)
        .setUrn(urnOf(r))
        .setProperties(struct(r.props))
        .setOptions(new analyzerPb.AnalyzerResourceOptions()),
    ),
  );
}

function run(rpc: Rpc, request: unknown): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) => {
    void rpc({ request }, (err, res) => (err ? reject(err) : resolve(diagnostics(res!))));
  });
}

/** Analyzes one resource with `policies` as the analyzer server would. */
export function analyze(
  policies: Policies,
  resource: TestResource,
  packLevel: EnforcementLevel = "advisory",
) {
  return run(server.makeAnalyzeRpcFun(PACK, "0.0.1", packLevel, policies), analyzeRequest(resource));
}

/** Analyzes a whole stack with `policies` as the analyzer server would. */
export function analyzeStack(
  policies: Policies,
  resources: TestResource[],
  packLevel: EnforcementLevel = "advisory",
) {
  return run(
    server.makeAnalyzeStackRpcFun(PACK, "0.0.1", packLevel, policies),
    analyzeStackRequest(resources),
  );
}
