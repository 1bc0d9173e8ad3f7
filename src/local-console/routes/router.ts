// The routes each Bytebase version serves, dispatched as grpc-gateway does; raised GrpcErrors become its answers.
import { CI_ERA_ROUTES } from "../ci-era";
import { Code, GrpcError, grpcReply } from "../errors";
import { dispatch, type Route } from "../gateway";
import type { Reply, Req } from "../http";
import type { VersionProfile } from "../versions";
import type { RouteContext } from "./context";
import { exchangeToken } from "./exchange-token";
import * as vcs from "./external-version-controls";
import { VCS_CONNECTORS } from "./vcs-connectors";
import { VCS_PROVIDERS } from "./vcs-providers";
import { actuatorInfo, getProfile, listSettings, login, patchProfile, PROFILE } from "./workspace";

type R = Route<RouteContext>;
const route = (method: string, pattern: RegExp, handle: R["handle"]): R => ({ method, pattern, handle });

/** Served by every version: auth_service.proto, actuator_service.proto, setting_service.proto (2.5.0 - 2.15.0). */
const WORKSPACE: readonly R[] = [
  route("POST", /^\/v1\/auth\/login$/, login),
  route("GET", /^\/v1\/actuator\/info$/, actuatorInfo),
  route("GET", /^\/v1\/settings$/, listSettings),
  route("GET", new RegExp(`^/v1/${PROFILE}$`), getProfile),
  route("PATCH", new RegExp(`^/v1/${PROFILE}$`), patchProfile),
];

/**
 * proto/v1/externalvs_service.proto@2.5.0 - @2.14.0 (identical across them). A `{name=externalVersionControls/*}`
 * segment is one path segment without "/"; the verbs `:exchangeToken` and `:searchProjects` end the last one.
 */
const ID = "([^/]+)";
const EXTERNAL_VERSION_CONTROLS: readonly R[] = [
  route("GET", /^\/v1\/externalVersionControls$/, vcs.list),
  route("POST", /^\/v1\/externalVersionControls$/, vcs.create),
  route("POST", new RegExp(`^/v1/externalVersionControls/${ID}:exchangeToken$`), (c, r, [id]) =>
    exchangeToken(c, r, id!),
  ),
  route("POST", new RegExp(`^/v1/externalVersionControls/${ID}:searchProjects$`), (c, r, [id]) =>
    vcs.searchProjects(c, r, id!),
  ),
  route("GET", new RegExp(`^/v1/externalVersionControls/${ID}/projects$`), (c, r, [id]) =>
    vcs.linkedProjects(c, r, id!),
  ),
  route("GET", new RegExp(`^/v1/externalVersionControls/${ID}$`), (c, r, [id]) => vcs.get(c, r, id!)),
  route("PATCH", new RegExp(`^/v1/externalVersionControls/${ID}$`), (c, r, [id]) => vcs.patch(c, r, id!)),
  route("DELETE", new RegExp(`^/v1/externalVersionControls/${ID}$`), (c, r, [id]) => vcs.remove(c, r, id!)),
];

/**
 * The route table of a version. 2.15.0 dropped externalvs_service.proto for vcs_provider_service.proto
 * (`/v1/vcsProviders`, ./vcs-providers.ts) and added vcs_connector_service.proto (`/v1/projects/{p}/vcsConnectors`,
 * ./vcs-connectors.ts). 3.5 removed both; 3.15 and later serve the CI-era routes of ../ci-era/.
 */
export function routesFor(profile: VersionProfile): readonly R[] {
  if (profile.ciEra) return CI_ERA_ROUTES;
  if (profile.gitProviders === "externalVersionControls") return [...WORKSPACE, ...EXTERNAL_VERSION_CONTROLS];
  return [...WORKSPACE, ...VCS_PROVIDERS, ...VCS_CONNECTORS];
}

/**
 * Outside `/v1/` Bytebase's echo server answers from the embedded frontend: middleware.StaticWithConfig{HTML5: true}
 * (backend/server/server_frontend_embed.go@2.14.0) serves index.html with 200 for any path it has no file for, whatever
 * the method; `/healthz` answers "OK" (backend/server/routers.go@2.14.0).
 */
function outsideApi(req: Req): Reply {
  if (req.path === "/healthz" && req.method === "GET")
    return { status: 200, headers: { "content-type": "text/plain; charset=UTF-8" }, body: "OK" };
  return {
    status: 200,
    headers: { "content-type": "text/html; charset=utf-8" },
    body: '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8" /><title>Bytebase</title></head><body><div id="app"></div></body></html>',
  };
}

export async function handleConsole(ctx: RouteContext, routes: readonly R[], req: Req): Promise<Reply> {
  // backend/server/routers.go@2.14.0: e.Any("/v1/*", echo.WrapHandler(mux)) hands every /v1/ path to grpc-gateway.
  if (!req.path.startsWith("/v1/")) return outsideApi(req);
  const { marshaling, routeNotFound } = ctx.profile.gateway;
  let reply: Reply;
  try {
    reply = await dispatch(routes, ctx, req, routeNotFound);
  } catch (error) {
    if (error instanceof GrpcError) reply = grpcReply(error.code, error.message);
    else reply = grpcReply(Code.Internal, (error as Error).message);
  }
  return marshaling === "omit" && typeof reply.body === "object"
    ? { ...reply, body: unpopulatedLeftOut(reply.body) }
    : reply;
}

/**
 * An answer as protojson.MarshalOptions{} writes it (server.go@3.4.1): a proto3 field at its zero value ("", 0,
 * false, an empty list) is left out, in nested messages too; a set message stays, `{}` when empty (the answers of
 * this console hold no proto maps, so an empty object is always such a message).
 */
function unpopulatedLeftOut(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unpopulatedLeftOut);
  if (typeof value !== "object" || value === null) return value;
  const kept = Object.entries(value).filter(
    ([, v]) => v !== "" && v !== 0 && v !== false && v !== null && !(Array.isArray(v) && v.length === 0),
  );
  return Object.fromEntries(kept.map(([k, v]) => [k, unpopulatedLeftOut(v)]));
}
