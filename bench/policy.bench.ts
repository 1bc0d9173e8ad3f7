// B4: the whole GitOpsGuard set on 10,000 resources through @pulumi/policy's analyze functions (one Analyze per
// resource, one AnalyzeStack), vs a set of no-op policies of the same kinds and levels through the same path.
import type { Policies, Policy, StackValidationPolicy } from "@pulumi/policy";
import * as serverModule from "@pulumi/policy/server";
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { GITOPS_PROVIDER_TYPE, gitopsGuardPolicies } from "pulumi-bytebase-gitops/policy";
import { analyzeRequest, analyzeStackRequest } from "../test/engine/analyzer";
import { timedRow, type Row } from "./report";
import { compare } from "./stats";

type Callback = (err: unknown, res?: analyzerPb.AnalyzeResponse) => void;
type Rpc = (call: { request: unknown }, callback: Callback) => Promise<void>;
type MakeRpc = (pack: string, version: string, level: "advisory", policies: Policies) => Rpc;
const server = serverModule as unknown as { makeAnalyzeRpcFun: MakeRpc; makeAnalyzeStackRpcFun: MakeRpc };

const CALLBACK = "https://bytebase.example.com/oauth/callback";
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Well-formed resource `i` (every policy passes), cycling through the four types, each its own OAuth app. */
function resource(i: number): Record<string, unknown> {
  const n = String(i).padStart(5, "0"); // ids stay unique and well-formed up to 99,999
  const common = { title: `Git ${n}`, callbackUrl: CALLBACK };
  switch (i % 4) {
    case 0: {
      const cid = `6f3a1c2e-8b9d-4e7f-a1b2-c3d4e5f${n}`;
      const now = Math.floor(Date.now() / 1000);
      const secret = [
        part({ typ: "JWT", alg: "RS256" }),
        part({ cid, nbf: now, exp: now + 60 * 86400 }),
        "c2ln",
      ];
      return {
        ...common,
        type: "AZURE_DEVOPS",
        applicationId: cid,
        secret: secret.join("."),
        scopes: ["vso.code_full", "vso.identity", "vso.project", "vso.build_execute"],
      };
    }
    case 1:
      return {
        ...common,
        type: "BITBUCKET",
        applicationId: `aB3dE5fG7hJ9k${n}`,
        secret: "pQ4rS6tU8vW0xY2zA4bC6dE8fG0hJ2kL",
        scopes: ["account", "webhook", "repository:write"],
      };
    case 2:
      return {
        ...common,
        type: "GITHUB",
        applicationId: `Ov23liAbCdEfGhI${n}`,
        secret: "0123456789abcdef0123456789abcdef01234567",
        scopes: ["repo", "workflow"],
      };
    default:
      return {
        ...common,
        type: "GITLAB",
        applicationId: `${"a".repeat(59)}${n}`,
        secret: `gloas-${"b".repeat(64)}`,
        scopes: ["api"],
      };
  }
}

/** The engine's requests for N resources, built once (the same objects for subject and floor). */
function requests(n: number) {
  const resources = Array.from({ length: n }, (_, i) => {
    const name = `git-${i}`;
    const urn = `urn:pulumi:dev::gitops::${GITOPS_PROVIDER_TYPE}::${name}`;
    return { urn, type: GITOPS_PROVIDER_TYPE, name, properties: resource(i) };
  });
  return { perResource: resources.map(analyzeRequest), stack: analyzeStackRequest(resources) };
}

const call = (rpc: Rpc, request: unknown) =>
  new Promise<number>((resolve, reject) => {
    void rpc({ request }, (err, res) => (err ? reject(err) : resolve(res!.getDiagnosticsList().length)));
  });

/** A whole analysis as the engine asks for it: Analyze per resource, then AnalyzeStack; returns the diagnostics. */
function analysis(policies: Policies, reqs: ReturnType<typeof requests>) {
  const analyze = server.makeAnalyzeRpcFun("bench", "0.0.1", "advisory", policies);
  const analyzeStack = server.makeAnalyzeStackRpcFun("bench", "0.0.1", "advisory", policies);
  return async () => {
    let diagnostics = 0;
    for (const r of reqs.perResource) diagnostics += await call(analyze, r);
    return diagnostics + (await call(analyzeStack, reqs.stack));
  };
}

/** Each policy of the set replaced by a no-op of the same kind and level. */
function noOps(policies: Policies): Policies {
  return policies.map((p: Policy, i) => {
    const base = { name: `noop-${i}`, description: "no-op", enforcementLevel: p.enforcementLevel };
    return "validateStack" in p && (p as StackValidationPolicy).validateStack
      ? { ...base, validateStack: () => undefined }
      : { ...base, validateResource: () => undefined };
  });
}

/** One whole analysis timed, in ms per resource. */
function perResource(run: () => Promise<number>, n: number) {
  return async () => {
    const start = process.hrtime.bigint();
    await run();
    return Number(process.hrtime.bigint() - start) / 1e6 / n;
  };
}

export async function policyBench(quick: boolean, n = 10_000): Promise<Row[]> {
  const guard = gitopsGuardPolicies();
  const reqs = requests(n);
  const run = analysis(guard, reqs);
  const found = await run();
  if (found)
    throw new Error(`the benchmark's ${n} resources draw ${found} diagnostics; they should all pass`);
  const result = await compare(
    `GitOpsGuard, ${n.toLocaleString("en")} resources (per resource)`,
    {
      subject: perResource(run, n),
      floor: perResource(analysis(noOps(guard), reqs), n),
      floorName: `${guard.length} no-op policies of the same kinds and levels, same analyzer path`,
      note: `${guard.length} policies, ${n} Analyze + 1 AnalyzeStack per sample`,
    },
    { warmup: 1, rounds: quick ? 3 : 10, perRound: 1, selfTimed: true },
  );
  return [timedRow("B4", result)];
}
