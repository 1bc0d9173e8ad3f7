// Dispatches console requests to the routes and turns raised GrpcErrors into grpc-gateway answers.
import { Code, GrpcError, grpcReply } from "../errors";
import type { Reply, Req } from "../http";
import type { RouteContext } from "./context";
import { exchangeToken } from "./exchange-token";
import * as vcs from "./vcs";
import { actuatorInfo, getProfile, listSettings, login, patchProfile, PROFILE } from "./workspace";

const EVC = /^\/v1\/externalVersionControls\/([^/:]+)(:exchangeToken|:searchProjects|\/projects)?$/;

async function route(ctx: RouteContext, req: Req): Promise<Reply | undefined> {
  const { method, path } = req;
  if (path === "/v1/auth/login" && method === "POST") return login(ctx, req);
  if (path === "/v1/actuator/info" && method === "GET") return actuatorInfo(ctx);
  if (path === "/v1/settings" && method === "GET") return listSettings(ctx, req);
  if (path === `/v1/${PROFILE}`) {
    if (method === "GET") return getProfile(ctx, req);
    if (method === "PATCH") return patchProfile(ctx, req);
    return undefined;
  }
  if (path === "/v1/externalVersionControls") {
    if (method === "GET") return vcs.list(ctx, req);
    if (method === "POST") return vcs.create(ctx, req);
    return undefined;
  }
  const match = EVC.exec(path);
  if (!match) return undefined;
  const [, id, action] = match as unknown as [string, string, string | undefined];
  if (action === ":exchangeToken") return method === "POST" ? exchangeToken(ctx, req, id) : undefined;
  if (action === ":searchProjects") return method === "POST" ? vcs.searchProjects(ctx, req, id) : undefined;
  if (action === "/projects") return method === "GET" ? vcs.linkedProjects(ctx, req, id) : undefined;
  if (method === "GET") return vcs.get(ctx, req, id);
  if (method === "PATCH") return vcs.patch(ctx, req, id);
  if (method === "DELETE") return vcs.remove(ctx, req, id);
  return undefined;
}

export async function handleConsole(ctx: RouteContext, req: Req): Promise<Reply> {
  try {
    return (await route(ctx, req)) ?? grpcReply(Code.NotFound, "Not Found");
  } catch (error) {
    if (error instanceof GrpcError) return grpcReply(error.code, error.message);
    return grpcReply(Code.Internal, (error as Error).message);
  }
}
