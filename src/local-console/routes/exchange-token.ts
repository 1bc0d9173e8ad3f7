// `POST /v1/externalVersionControls/{id|-}:exchangeToken`: the wizard's "Verify setup", over real HTTP to the
// Git provider's token endpoint (the canonical cloud hosts are served by the console's own fake providers).
import { consoleCallbackUrl, specFor, type GitProviderType } from "../../catalog";
import { Method } from "../acl";
import { Code, GrpcError } from "../errors";
import type { Reply, Req } from "../http";
import { jsonBody, stringField, type RouteContext } from "./context";
import { enumType, findProvider } from "./external-version-controls";

/** Real token endpoint origins, answered locally by the fake of the given type. */
const CLOUD_ORIGINS = [
  "https://github.com",
  "https://gitlab.com",
  "https://bitbucket.org",
  "https://app.vssps.visualstudio.com",
];

interface Exchange {
  type: GitProviderType;
  instanceUrl: string;
  clientId: string;
  clientSecret: string;
  code: string;
}

export async function exchangeToken(ctx: RouteContext, req: Req, id: string): Promise<Reply> {
  const body = jsonBody(req);
  const bodyType = enumType(body);
  ctx.auth.authorize(req, Method.exchangeToken);
  const code = stringField(body, "code") ?? "";
  let exchange: Exchange;
  // ExchangeToken (backend/api/v1/externalvs_service.go@2.5.0 - @2.14.0), checks in this order.
  if (id === "-") {
    if (bodyType === "TYPE_UNSPECIFIED")
      throw new GrpcError(Code.Internal, "unknown external version control type: TYPE_UNSPECIFIED");
    const instanceUrl = stringField(body, "instanceUrl") ?? "";
    const clientId = stringField(body, "clientId") ?? "";
    const clientSecret = stringField(body, "clientSecret") ?? "";
    if (instanceUrl === "") throw new GrpcError(Code.InvalidArgument, "instance url is required");
    if (clientId === "" || clientSecret === "" || code === "")
      throw new GrpcError(Code.InvalidArgument, "client_id, client_secret and code is required");
    exchange = {
      type: bodyType as GitProviderType,
      // Bytebase passes it on untrimmed; trimmed here so a trailing "/" still reaches the fake's route.
      instanceUrl: instanceUrl.replace(/\/+$/, ""),
      clientId,
      clientSecret,
      code,
    };
  } else {
    const p = findProvider(ctx, id);
    // The request's client id and secret win when both are given; else the stored ones.
    const clientId = stringField(body, "clientId") ?? "";
    const clientSecret = stringField(body, "clientSecret") ?? "";
    const given = clientId !== "" && clientSecret !== "";
    exchange = {
      type: p.type as GitProviderType,
      instanceUrl: p.url,
      clientId: given ? clientId : p.applicationId,
      clientSecret: given ? clientSecret : p.secret,
      code,
    };
  }
  const externalUrl = ctx.store.data.externalUrl;
  if (!externalUrl) throw new GrpcError(Code.FailedPrecondition, "external url is required");
  const redirectUri = consoleCallbackUrl(externalUrl);
  try {
    const token = await callProvider(ctx, exchange, redirectUri);
    return { status: 200, body: token };
  } catch (error) {
    const message = `failed to exchange OAuth token with error: ${(error as Error).message}. Make sure ${JSON.stringify(externalUrl)} matches your browser host. Note that if you are not using port 80 or 443, you should also specify the port such as --external-url=http://host:port`;
    throw Object.assign(new GrpcError(Code.Internal, message), { cause: error });
  }
}

function tokenUrlFor(ctx: RouteContext, type: GitProviderType, instanceUrl: string): string {
  const url = new URL(specFor(type).tokenUrl(instanceUrl));
  if (!CLOUD_ORIGINS.includes(url.origin)) return url.toString();
  return `${ctx.fakeUrl(type)}${url.pathname}${url.search}`;
}

/** Sends the token request the way Bytebase's VCS plugin for the type does. */
async function callProvider(ctx: RouteContext, x: Exchange, redirectUri: string) {
  const target = tokenUrlFor(ctx, x.type, x.instanceUrl);
  const headers: Record<string, string> = { accept: "application/json" };
  let url = target;
  let body: string | undefined;
  if (x.type === "GITHUB" || x.type === "GITLAB") {
    const params = new URLSearchParams({
      client_id: x.clientId,
      client_secret: x.clientSecret,
      code: x.code,
      redirect_uri: redirectUri,
    });
    if (x.type === "GITLAB") params.set("grant_type", "authorization_code");
    url = `${target}?${params}`;
  } else if (x.type === "BITBUCKET") {
    headers.authorization = `Basic ${Buffer.from(`${x.clientId}:${x.clientSecret}`).toString("base64")}`;
    body = new URLSearchParams({
      grant_type: "authorization_code",
      code: x.code,
      redirect_uri: redirectUri,
    }).toString();
  } else {
    body = new URLSearchParams({
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: x.clientSecret,
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      assertion: x.code,
      redirect_uri: redirectUri,
    }).toString();
  }
  if (body !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new Error(
      `failed to exchange OAuth token: Post "${target}": ${cause ?? (error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const text = await response.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`failed to exchange OAuth token: status ${response.status}, body: ${text.slice(0, 200)}`);
  }
  const error = json.error ?? json.Error;
  if (error !== undefined || !response.ok || typeof json.access_token !== "string") {
    const description = json.error_description ?? json.ErrorDescription ?? "";
    throw new Error(
      `failed to exchange OAuth token, error: ${String(error ?? response.status)}, error_description: ${String(description)}`,
    );
  }
  const expiresIn = Number(json.expires_in ?? 0);
  const expiresSeconds = x.type === "GITHUB" || !expiresIn ? 0 : Math.floor(ctx.nowMs() / 1000) + expiresIn;
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === "string" ? json.refresh_token : "",
    expiresTime: new Date(expiresSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}
