// Drives @pulumi/pulumi's real dynamic-provider host (cmd/dynamic-provider) over gRPC, the way the Pulumi engine
// does, so a serialized provider can be exercised end to end without the Pulumi CLI.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as provGrpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as provTypes from "@pulumi/pulumi/proto/provider_pb";
import type * as pulumi from "@pulumi/pulumi";

/** The string the engine sends for a value not known yet (during a preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The key under which the serialized provider travels in a dynamic resource's properties. */
export const PROVIDER_KEY = "__provider";

// Load the gRPC stubs and the exact @grpc/grpc-js / google-protobuf copies they load (they check `instanceof`).
const pulumiRoot = dirname(createRequire(__filename).resolve("@pulumi/pulumi/package.json"));
export const pulumiRequire = createRequire(`${pulumiRoot}/package.json`);
const grpc = pulumiRequire("@grpc/grpc-js") as typeof grpcTypes;
const structpb = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
const provgrpc = pulumiRequire("./proto/provider_grpc_pb") as typeof provGrpcTypes;
const provpb = pulumiRequire("./proto/provider_pb") as typeof provTypes;
const dynamicProviderEntry = pulumiRequire.resolve("./cmd/dynamic-provider");

type Props = Record<string, unknown>;
const FAKE_URN = "urn:pulumi:test::test::pulumi-nodejs:dynamic:Resource::harness";

/** The provider's module text, serialized exactly as `dynamic.Resource` does (sdk dynamic/index.js). */
export async function serializeProvider(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
  const sc = pulumiRequire("./runtime/closure/serializeClosure") as typeof pulumi.runtime;
  const sf = await sc.serializeFunction(() => provider, { allowSecrets: true });
  return sf.text;
}

/** Drops `undefined` (Struct.fromJavaScript rejects it), recursively; in arrays it becomes null, as in JSON. */
function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : dropUndefined(v)));
  if (value !== null && typeof value === "object") {
    const out: Props = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = dropUndefined(v);
    return out;
  }
  return value;
}

export function toStruct(props: Props): structTypes.Struct {
  return structpb.Struct.fromJavaScript(dropUndefined(props) as Record<string, structTypes.JavaScriptValue>);
}

function fromStruct(s: structTypes.Struct | undefined): Props {
  return (s?.toJavaScript() ?? {}) as Props;
}

function readResult(res: provTypes.ReadResponse): { id: string; outs: Props; inputs: Props } {
  return {
    id: res.getId(),
    outs: withoutProvider(fromStruct(res.getProperties())),
    inputs: withoutProvider(fromStruct(res.getInputs())),
  };
}

function withoutProvider(props: Props): Props {
  const { [PROVIDER_KEY]: _p, ...rest } = props;
  return rest;
}

export interface ProviderHost {
  /** Namespaced keys, e.g. {"bytebase:url": "..."}. Must be called before anything else (the host hangs otherwise). */
  configure(config: Record<string, string>): Promise<void>;
  check(
    provider: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(
    provider: string,
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{
    changes: "unknown" | "none" | "some";
    replaces: string[];
    deleteBeforeReplace: boolean;
    diffs: string[];
  }>;
  create(provider: string, inputs: Props): Promise<{ id: string; outs: Props }>;
  read(
    provider: string,
    id: string,
    props: Props,
    inputs?: Props,
  ): Promise<{ id: string; outs: Props; inputs: Props }>;
  /**
   * Read as the Pulumi engine sends it for the `import` resource option: the id only, neither properties nor
   * inputs (pkg/resource/deploy/step.go ImportStep), so no `__provider` travels (pulumi/pulumi#16175).
   */
  importRead(id: string): Promise<{ id: string; outs: Props; inputs: Props }>;
  update(provider: string, id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(provider: string, id: string, props: Props): Promise<void>;
  /** Everything the host process wrote to stderr (and to stdout after its port line) that has arrived so far. */
  readonly stderr: () => string;
  /**
   * The host's output once it contains `text`, or as it is after `timeoutMs`. Output comes on its own pipe, which
   * this process may read after the gRPC answer that followed it: a test looks for a line with this, not stderr().
   */
  stderrWith(text: string, timeoutMs?: number): Promise<string>;
  /** Stops the host and reads its pipes to their end (the 'close' event, not 'exit': stdio may still hold output). */
  close(): Promise<void>;
}

/** Error from a host call: `message` is the gRPC details (the provider's own message), `code` the gRPC status. */
class ProviderHostError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = "ProviderHostError";
  }
}

/**
 * Starts `node cmd/dynamic-provider 127.0.0.1:1` in `cwd` (where the serialized provider's `require`s resolve).
 * Conventions: `provider` is written as `__provider` into news/properties; olds (Check/Diff/Update) and Delete's
 * props keep their own `__provider` when they carry one (as stored state does). `__provider` is stripped from every
 * returned outs/inputs. The host deserializes and configure()s a provider lazily, on its first call per distinct
 * `__provider` text, so configure() errors surface on that call, not on Configure.
 */
export async function startProviderHost(
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<ProviderHost> {
  const cwd = opts.cwd ?? process.cwd();
  const child = spawn(process.execPath, [dynamicProviderEntry, "127.0.0.1:1"], {
    cwd,
    env: { PULUMI_NODEJS_PROJECT: "test", PULUMI_NODEJS_STACK: "test", ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let ended = false;
  const closed = new Promise<void>((resolve) =>
    child.once("close", () => {
      ended = true;
      resolve();
    }),
  );
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const port = await readPort(child, () => output).catch((e: unknown) => {
    child.kill("SIGKILL");
    throw e;
  });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));

  const client = new provgrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = <Req, Res>(method: string, req: Req): Promise<Res> =>
    new Promise((resolve, reject) => {
      const fn = (
        client as unknown as Record<
          string,
          (r: Req, cb: (e: grpcTypes.ServiceError | null, r: Res) => void) => void
        >
      )[method]!;
      fn.call(client, req, (err, res) => {
        if (err) reject(new ProviderHostError(err.details || err.message, err.code));
        else resolve(res);
      });
    });
  const olds = (provider: string, props: Props): Props =>
    PROVIDER_KEY in props ? props : { ...props, [PROVIDER_KEY]: provider };
  const news = (provider: string, props: Props): Props => ({ ...props, [PROVIDER_KEY]: provider });

  return {
    async configure(config) {
      const req = new provpb.ConfigureRequest();
      req.setArgs(toStruct(config));
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      await call("configure", req);
    },
    async check(provider, o, n) {
      const req = new provpb.CheckRequest();
      req.setUrn(FAKE_URN);
      req.setOlds(toStruct(olds(provider, o)));
      req.setNews(toStruct(news(provider, n)));
      const res = await call<provTypes.CheckRequest, provTypes.CheckResponse>("check", req);
      return {
        inputs: withoutProvider(fromStruct(res.getInputs())),
        failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(provider, id, o, n) {
      const req = new provpb.DiffRequest();
      req.setId(id);
      req.setUrn(FAKE_URN);
      req.setOlds(toStruct(olds(provider, o)));
      req.setNews(toStruct(news(provider, n)));
      const res = await call<provTypes.DiffRequest, provTypes.DiffResponse>("diff", req);
      const changes = (["unknown", "none", "some"] as const)[res.getChanges()] ?? "unknown";
      return {
        changes,
        replaces: res.getReplacesList(),
        deleteBeforeReplace: res.getDeletebeforereplace(),
        diffs: res.getDiffsList(),
      };
    },
    async create(provider, inputs) {
      const req = new provpb.CreateRequest();
      req.setUrn(FAKE_URN);
      req.setProperties(toStruct(news(provider, inputs)));
      const res = await call<provTypes.CreateRequest, provTypes.CreateResponse>("create", req);
      return { id: res.getId(), outs: withoutProvider(fromStruct(res.getProperties())) };
    },
    async read(provider, id, props, inputs) {
      const req = new provpb.ReadRequest();
      req.setId(id);
      req.setUrn(FAKE_URN);
      // A read by id (Resource.get / ReadResource) has no prior state: the engine sends the program's inputs as
      // both inputs and properties (pkg/resource/deploy/step.go ReadStep.Apply: `Inputs: s.new.Inputs,
      // State: s.new.Inputs`).
      const byId = inputs !== undefined && Object.keys(props).length === 0;
      req.setProperties(toStruct(news(provider, byId ? inputs : props)));
      if (inputs) req.setInputs(toStruct(news(provider, inputs)));
      return readResult(await call<provTypes.ReadRequest, provTypes.ReadResponse>("read", req));
    },
    async importRead(id) {
      const req = new provpb.ReadRequest();
      req.setId(id);
      req.setUrn(FAKE_URN);
      return readResult(await call<provTypes.ReadRequest, provTypes.ReadResponse>("read", req));
    },
    async update(provider, id, o, n) {
      const req = new provpb.UpdateRequest();
      req.setId(id);
      req.setUrn(FAKE_URN);
      req.setOlds(toStruct(olds(provider, o)));
      req.setNews(toStruct(news(provider, n)));
      const res = await call<provTypes.UpdateRequest, provTypes.UpdateResponse>("update", req);
      return { outs: withoutProvider(fromStruct(res.getProperties())) };
    },
    async delete(provider, id, props) {
      const req = new provpb.DeleteRequest();
      req.setId(id);
      req.setUrn(FAKE_URN);
      req.setProperties(toStruct(olds(provider, props)));
      await call("delete", req);
    },
    stderr: () => output,
    async stderrWith(text, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text) && !ended && Date.now() < deadline)
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10))]);
      return output;
    },
    async close() {
      client.close();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await closed;
    },
  };
}

/** The host prints its gRPC port as the first line on stdout. */
function readPort(child: ChildProcess, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = /^(\d+)\s*$/m.exec(buf);
      if (m) {
        child.stdout!.off("data", onData);
        child.off("exit", onExit);
        resolve(Number(m[1]));
      }
    };
    const onExit = (code: number | null) =>
      reject(
        new Error(`dynamic-provider host exited (${code}) before printing its port:\n${buf}${stderr()}`),
      );
    child.stdout!.on("data", onData);
    child.once("exit", onExit);
  });
}
