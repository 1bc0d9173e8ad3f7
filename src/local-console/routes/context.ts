// What every console route gets: the store, the authenticator, the clock and the fake providers; JSON body helpers.
import type { GitProviderType } from "../../catalog";
import type { Auth } from "../auth";
import { Code, GrpcError } from "../errors";
import type { Req } from "../http";
import type { Store } from "../state";
import type { VersionProfile } from "../versions";

export interface RouteContext {
  readonly store: Store;
  readonly auth: Auth;
  readonly nowMs: () => number;
  /** The Bytebase version the console is. */
  readonly profile: VersionProfile;
  /** Base URL of the fake provider of a type (the console's stand-in for the provider's cloud instance). */
  readonly fakeUrl: (type: GitProviderType) => string;
}

/** The request body as a JSON object; empty = `{}` (grpc-gateway accepts EOF); anything else not an object: 400. */
export function jsonBody(req: Req): Record<string, unknown> {
  if (!req.body.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(req.body);
  } catch (error) {
    throw new GrpcError(Code.InvalidArgument, `proto: syntax error: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new GrpcError(
      Code.InvalidArgument,
      "proto: syntax error (line 1:1): unexpected token, expected an object",
    );
  return value as Record<string, unknown>;
}

/**
 * 3.4.1's unmarshaler (protojson.UnmarshalOptions{}, backend/server/server.go@3.4.1) refuses a body key that is no
 * field of the message, by proto or JSON name: 400 `proto: (line L:C): unknown field "k"`, the key's position in
 * the body (protobuf-go internal/encoding/json). 2.x - 3.3 discard it (grpc-gateway's default DiscardUnknown).
 */
export function refuseUnknownKeys(
  ctx: RouteContext,
  req: Req,
  body: Record<string, unknown>,
  fields: readonly string[],
): void {
  if (ctx.profile.gateway.marshaling !== "omit") return;
  const unknown = Object.keys(body).find((k) => !fields.some((f) => f === k || snakeToCamel(f) === k));
  if (unknown === undefined) return;
  const at = req.body.search(
    new RegExp(`${JSON.stringify(unknown).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`),
  );
  const before = req.body.slice(0, Math.max(at, 0)).split("\n");
  const position = `line ${before.length}:${[...before[before.length - 1]!].length + 1}`;
  throw new GrpcError(Code.InvalidArgument, `proto: (${position}): unknown field ${JSON.stringify(unknown)}`);
}

const snakeToCamel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A string field by its JSON (lowerCamelCase) or proto (snake_case) name, as protojson reads both. */
export function stringField(obj: Record<string, unknown>, camel: string): string | undefined {
  const snake = camelToSnake(camel);
  const value = obj[camel] ?? obj[snake];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string")
    throw new GrpcError(
      Code.InvalidArgument,
      `proto: invalid value for string field ${camel}: ${JSON.stringify(value)}`,
    );
  return value;
}

function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
