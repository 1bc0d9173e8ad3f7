// Test harness: builds analyzer protobuf requests and runs policies through @pulumi/policy's own
// analyze / analyze-stack RPC functions (the code the real analyzer server runs).
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import * as serverModule from "@pulumi/policy/server";
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { GITOPS_PROVIDER_TYPE } from "../../src/policy";
import { analyzeRequest, analyzeStackRequest, diagnostics, type Diagnostic } from "../engine/analyzer";

export type { Diagnostic };

type RpcCallback = (err: unknown, res?: analyzerPb.AnalyzeResponse) => void;
type Rpc = (call: { request: unknown }, callback: RpcCallback) => Promise<void>;
type MakeRpc = (pack: string, version: string, level: EnforcementLevel, policies: Policies) => Rpc;
const server = serverModule as unknown as { makeAnalyzeRpcFun: MakeRpc; makeAnalyzeStackRpcFun: MakeRpc };

const PACK = "gitops-guard-test";

export interface TestResource {
  name: string;
  props: Record<string, unknown>;
  type?: string;
}

export const urnOf = (r: TestResource) =>
  `urn:pulumi:dev::gitops::${r.type ?? GITOPS_PROVIDER_TYPE}::${r.name}`;

/** The resource as the engine describes it to an analyzer. */
export const asAnalyzed = (r: TestResource) => ({
  urn: urnOf(r),
  type: r.type ?? GITOPS_PROVIDER_TYPE,
  name: r.name,
  properties: r.props,
});

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
  return run(
    server.makeAnalyzeRpcFun(PACK, "0.0.1", packLevel, policies),
    analyzeRequest(asAnalyzed(resource)),
  );
}

/** Analyzes a whole stack with `policies` as the analyzer server would. */
export function analyzeStack(
  policies: Policies,
  resources: TestResource[],
  packLevel: EnforcementLevel = "advisory",
) {
  return run(
    server.makeAnalyzeStackRpcFun(PACK, "0.0.1", packLevel, policies),
    analyzeStackRequest(resources.map(asAnalyzed)),
  );
}
