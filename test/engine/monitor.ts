// The gRPC side of the test engine: one server implementing Pulumi's ResourceMonitor and Engine services for a
// program run by cmd/run; it decodes requests into plain objects and leaves every decision to deploy.ts.
import type * as grpcTypes from "@grpc/grpc-js";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as resGrpcTypes from "@pulumi/pulumi/proto/resource_grpc_pb";
import type * as resTypes from "@pulumi/pulumi/proto/resource_pb";
import type * as engGrpcTypes from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as engTypes from "@pulumi/pulumi/proto/engine_pb";
import { pulumiRequire, toStruct } from "../harness/provider-host";

const grpc = pulumiRequire("@grpc/grpc-js") as typeof grpcTypes;
const emptypb = pulumiRequire("google-protobuf/google/protobuf/empty_pb") as typeof emptyTypes;
const resgrpc = pulumiRequire("./proto/resource_grpc_pb") as typeof resGrpcTypes;
const respb = pulumiRequire("./proto/resource_pb") as typeof resTypes;
const enggrpc = pulumiRequire("./proto/engine_grpc_pb") as typeof engGrpcTypes;
const engpb = pulumiRequire("./proto/engine_pb") as typeof engTypes;

type Props = Record<string, unknown>;

/** A RegisterResource request, decoded. `object` keeps the SDK's secret markers and unknown sentinels. */
export interface Registration {
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  object: Props;
  additionalSecretOutputs: string[];
  /** The `deleteBeforeReplace` option, undefined when the program did not set it (deleteBeforeReplaceDefined). */
  deleteBeforeReplace: boolean | undefined;
  protect: boolean;
  retainOnDelete: boolean;
  /** The `ignoreChanges` option: property paths. */
  ignoreChanges: string[];
  dependencies: string[];
  /** Per-property dependencies: input key to the URNs its value came from. */
  propertyDependencies: Record<string, string[]>;
  /** The `import` resource option ("" when not set). */
  importId: string;
  /** A multi-language (remote) component, which needs a provider plugin. */
  remote: boolean;
  /** The explicit provider reference ("" for the default provider). */
  provider: string;
}

function propertyDependencies(r: resTypes.RegisterResourceRequest): Record<string, string[]> {
  const deps: Record<string, string[]> = {};
  r.getPropertydependenciesMap().forEach((v, k) => (deps[k] = v.getUrnsList()));
  return deps;
}

/** A ReadResource request (`Resource.get`), decoded. */
export interface ReadRequest {
  type: string;
  name: string;
  parent: string;
  id: string;
  properties: Props;
}

export interface MonitorHandlers {
  /** Resolves with the answer for the program; a rejection reaches the program as a gRPC error with its message. */
  registerResource(reg: Registration): Promise<{ urn: string; id: string; object: Props }>;
  registerResourceOutputs(urn: string, outputs: Props): void;
  /** `Resource.get`: resolves with the resource's URN and its properties as read. */
  readResource(req: ReadRequest): Promise<{ urn: string; properties: Props }>;
  /** Called for every non-DEBUG log line (DEBUG lines carry whole RPC payloads, secrets included: never passed on). */
  log(severity: "info" | "warning" | "error", message: string, urn: string): void;
}

export interface Monitor {
  address: string;
  close(): Promise<void>;
}

const SEVERITIES = ["debug", "info", "warning", "error"] as const;

type Callback<T> = (err: Partial<grpcTypes.ServiceError> | null, res?: T) => void;
type Unary<Req, Res> = (call: { request: Req }, cb: Callback<Res>) => void;

export async function startMonitor(
  handlers: MonitorHandlers,
  info: { project: string; stack: string; dryRun: boolean },
): Promise<Monitor> {
  let rootUrn = "";
  const fail = (cb: Callback<never>, e: unknown) =>
    cb({ code: grpc.status.UNKNOWN, details: e instanceof Error ? e.message : String(e) });

  const monitor: Record<string, Unary<never, unknown>> = {
    supportsFeature: ((call, cb) => {
      const res = new respb.SupportsFeatureResponse();
      res.setHassupport(call.request.getId() === "secrets");
      cb(null, res);
    }) as Unary<resTypes.SupportsFeatureRequest, resTypes.SupportsFeatureResponse>,
    getDeploymentInfo: ((_call, cb) => {
      const res = new respb.DeploymentInfo();
      res.setProject(info.project);
      res.setStack(info.stack);
      res.setDryrun(info.dryRun);
      res.setSupportedfeaturesList([respb.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS]);
      cb(null, res);
    }) as Unary<emptyTypes.Empty, resTypes.DeploymentInfo>,
    registerResource: ((call, cb) => {
      const r = call.request;
      const reg: Registration = {
        type: r.getType(),
        name: r.getName(),
        parent: r.getParent(),
        custom: r.getCustom(),
        object: (r.getObject()?.toJavaScript() ?? {}) as Props,
        additionalSecretOutputs: r.getAdditionalsecretoutputsList(),
        deleteBeforeReplace: r.getDeletebeforereplacedefined() ? r.getDeletebeforereplace() : undefined,
        protect: r.getProtect() ?? false,
        retainOnDelete: r.getRetainondelete() ?? false,
        ignoreChanges: r.getIgnorechangesList(),
        dependencies: r.getDependenciesList(),
        propertyDependencies: propertyDependencies(r),
        importId: r.getImportid(),
        remote: r.getRemote(),
        provider: r.getProvider(),
      };
      handlers.registerResource(reg).then(
        ({ urn, id, object }) => {
          const res = new respb.RegisterResourceResponse();
          res.setUrn(urn);
          res.setId(id);
          res.setObject(toStruct(object));
          cb(null, res);
        },
        (e: unknown) => fail(cb, e),
      );
    }) as Unary<resTypes.RegisterResourceRequest, resTypes.RegisterResourceResponse>,
    registerResourceOutputs: ((call, cb) => {
      const r = call.request;
      handlers.registerResourceOutputs(r.getUrn(), (r.getOutputs()?.toJavaScript() ?? {}) as Props);
      cb(null, new emptypb.Empty());
    }) as Unary<resTypes.RegisterResourceOutputsRequest, emptyTypes.Empty>,
    readResource: ((call, cb) => {
      const r = call.request;
      handlers
        .readResource({
          type: r.getType(),
          name: r.getName(),
          parent: r.getParent(),
          id: r.getId(),
          properties: (r.getProperties()?.toJavaScript() ?? {}) as Props,
        })
        .then(
          ({ urn, properties }) => {
            const res = new respb.ReadResourceResponse();
            res.setUrn(urn);
            res.setProperties(toStruct(properties));
            cb(null, res);
          },
          (e: unknown) => fail(cb, e),
        );
    }) as Unary<resTypes.ReadResourceRequest, resTypes.ReadResourceResponse>,
    invoke: ((call, cb) =>
      fail(
        cb,
        new Error(
          `the test engine cannot run the function ${call.request.getTok()}: it runs dynamic resources only; ` +
            "run this program with the Pulumi CLI",
        ),
      )) as Unary<resTypes.ResourceInvokeRequest, resTypes.ResourceInvokeResponse>,
    signalAndWaitForShutdown: ((_call, cb) => cb(null, new emptypb.Empty())) as Unary<
      emptyTypes.Empty,
      emptyTypes.Empty
    >,
  };

  const engine: Record<string, Unary<never, unknown>> = {
    log: ((call, cb) => {
      const severity = SEVERITIES[call.request.getSeverity()] ?? "info";
      if (severity !== "debug") handlers.log(severity, call.request.getMessage(), call.request.getUrn());
      cb(null, new emptypb.Empty());
    }) as Unary<engTypes.LogRequest, emptyTypes.Empty>,
    getRootResource: ((_call, cb) => {
      const res = new engpb.GetRootResourceResponse();
      res.setUrn(rootUrn);
      cb(null, res);
    }) as Unary<engTypes.GetRootResourceRequest, engTypes.GetRootResourceResponse>,
    setRootResource: ((call, cb) => {
      rootUrn = call.request.getUrn();
      cb(null, new engpb.SetRootResourceResponse());
    }) as Unary<engTypes.SetRootResourceRequest, engTypes.SetRootResourceResponse>,
  };

  const server = new grpc.Server();
  server.addService(
    resgrpc.ResourceMonitorService,
    monitor as unknown as grpcTypes.UntypedServiceImplementation,
  );
  server.addService(enggrpc.EngineService, engine as unknown as grpcTypes.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000).unref();
      }),
  };
}
