// grpc-gateway's rules in front of the RPCs: route matching (404 / 501), and the update mask of a PATCH.
// Bytebase pins grpc-gateway v2.16.0 (2.5.0), v2.18.0 (2.10.0), v2.18.1 (2.13.0), v2.19.1 (2.14.0, 2.15.0) in go.mod;
// the rules below read the same in runtime/mux.go, runtime/errors.go, runtime/fieldmask.go and runtime/query.go of
// those tags (read from the grpc-gateway repository itself).
import { Code, GrpcError, grpcReply } from "./errors";
import type { Reply, Req } from "./http";

export interface Route<C> {
  readonly method: string;
  /** Matched against the percent-decoded path (grpc-gateway's default UnescapingModeLegacy matches r.URL.Path). */
  readonly pattern: RegExp;
  readonly handle: (ctx: C, req: Req, params: string[]) => Promise<Reply> | Reply;
}

/**
 * runtime/mux.go ServeMux.ServeHTTP: the first route of the request's method whose pattern matches; else, when a
 * route of another method matches the path, DefaultRoutingErrorHandler's 405 -> codes.Unimplemented "Method Not
 * Allowed" (HTTP 501); else 404 -> codes.NotFound "Not Found" (runtime/errors.go), or from Bytebase 3.0 its own
 * routing error handler's `Routing error. Please check the request URI <RequestURI>` (backend/server/server.go@3.0.0
 * - @3.4.1; 501 still goes to the default handler there).
 */
export async function dispatch<C>(
  routes: readonly Route<C>[],
  ctx: C,
  req: Req,
  notFound: "Not Found" | "routing-error" | "gateway-routing-error" = "Not Found",
): Promise<Reply> {
  let otherMethod = false;
  for (const route of routes) {
    const match = route.pattern.exec(req.path);
    if (!match) continue;
    if (route.method === req.method) return route.handle(ctx, req, match.slice(1));
    otherMethod = true;
  }
  if (notFound === "gateway-routing-error") {
    // grpc_routes.go@3.11.0 - @3.21.1: an HTTPStatusError (404, or 405 for another method) around
    // connect.NewError(CodeNotFound, "gateway routing error ..."); DefaultHTTPErrorHandler's status.Convert does not
    // know a connect error, so the code is 2 (Unknown) and the message the connect error's text, "not_found: ...".
    const status = otherMethod ? 405 : 404;
    return grpcReply(
      Code.Unknown,
      `not_found: gateway routing error ${status}: request method ${req.method}, URI ${req.uri}`,
      status,
    );
  }
  return otherMethod
    ? grpcReply(Code.Unimplemented, "Method Not Allowed")
    : grpcReply(
        Code.NotFound,
        notFound === "Not Found" ? "Not Found" : `Routing error. Please check the request URI ${req.uri}`,
      );
}

/** A message's fields by proto name and JSON name, as protoreflect's ByName / ByJSONName find them. */
export interface MessageFields {
  /** Full proto name, e.g. "bytebase.v1.ExternalVersionControl". */
  readonly fullName: string;
  /** Proto (snake_case) field names. */
  readonly fields: readonly string[];
}

const jsonName = (proto: string) => proto.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * The update mask a PATCH handler receives. The generated `*.pb.gw.go` handler (e.g.
 * proto/generated-go/v1/externalvs_service.pb.gw.go@2.14.0) always builds it first from the body with
 * runtime.FieldMaskFromRequestBody (each JSON key found by proto or JSON name becomes the proto name; an unknown key
 * is 400 `could not find field "k" in "<message>"`), then runtime.PopulateQueryParameters lets a `?update_mask=`
 * (or `?updateMask=`, the JSON name) replace it: the value split on "," verbatim, no trimming, no case conversion, no
 * resource prefix understood; the parameter given twice is 400 `too many values for field "update_mask": a, b`.
 */
export function updateMask(req: Req, body: Record<string, unknown>, message: MessageFields): string[] {
  const paths: string[] = [];
  for (const key of Object.keys(body)) {
    const field = message.fields.find((f) => f === key || jsonName(f) === key);
    if (field === undefined)
      throw new GrpcError(
        Code.InvalidArgument,
        `could not find field ${JSON.stringify(key)} in ${JSON.stringify(message.fullName)}`,
      );
    paths.push(field);
  }
  paths.sort();
  return queryMask(req, paths);
}

/** runtime.PopulateQueryParameters: a `?update_mask=` (or `?updateMask=`) replaces the body's mask; twice is 400. */
export function queryMask(req: Req, fromBody: string[]): string[] {
  let mask = fromBody;
  for (const key of new Set(req.query.keys())) {
    if (key !== "update_mask" && key !== "updateMask") continue;
    const values = req.query.getAll(key);
    if (values.length > 1)
      throw new GrpcError(
        Code.InvalidArgument,
        `too many values for field "update_mask": ${values.join(", ")}`,
      );
    mask = values[0]!.split(",");
  }
  return mask;
}
