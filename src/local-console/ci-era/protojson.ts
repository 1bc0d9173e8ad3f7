// 3.x request bodies as grpc-gateway's JSONPb decodes them (protojson, DiscardUnknown false): unknown fields and
// wrong types refused with protojson's message, which 3.16+ wraps with field-name suggestions.
import { Code, GrpcError } from "../errors";
import type { VersionProfile } from "../versions";

export type FieldKind =
  | "string"
  | "bool"
  | "int32"
  | "strings"
  /** Any JSON object, kept as is (a message this console does not model, e.g. an output-only parsed_expr). */
  | "object"
  | { readonly enum: readonly string[] }
  | { readonly message: MessageSchema }
  | { readonly messages: MessageSchema };

export interface MessageSchema {
  readonly fullName: string;
  /** By proto (snake_case) name. */
  readonly fields: Readonly<Record<string, FieldKind>>;
}

const jsonName = (proto: string) => proto.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** protojson's `(line L:C)`: where `"key"` first appears in the raw body (1-based), as its error positions do. */
function position(raw: string, key: string): string {
  const at = raw.search(new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"\\s*:`));
  const before = raw.slice(0, Math.max(at, 0));
  const line = before.split("\n").length;
  return `(line ${line}:${before.length - before.lastIndexOf("\n")})`;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const curr = [i];
    for (let j = 1; j <= b.length; j++)
      curr[j] = Math.min(curr[j - 1]! + 1, prev[j]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = curr;
  }
  return prev[b.length]!;
}

/** backend/server/marshaler.go@3.16.0 (same at 3.21.1) suggestingDecoder: up to 3 names within the distance. */
function suggest(unknown: string, top: MessageSchema): string {
  const candidates = Object.keys(top.fields).map(jsonName);
  const input = unknown.toLowerCase();
  const close = candidates
    .map((name) => ({ name, d: levenshtein(input, name.toLowerCase()) }))
    .filter(({ name, d }) => d <= Math.floor(Math.max(input.length, name.length) / 2) + 1)
    .sort((a, b) => a.d - b.d)
    .slice(0, 3);
  return close.length
    ? `did you mean: ${close.map((c) => JSON.stringify(c.name)).join(", ")}?`
    : `valid fields: ${candidates.join(", ")}`;
}

/**
 * The body decoded into `schema` (values by proto name, JSON null = absent), or grpc-gateway's 400: `proto: (line
 * L:C): unknown field "k"` (google.golang.org/protobuf encoding/protojson decode.go), prefixed from 3.16 by the
 * suggestion of backend/server/marshaler.go for a whole-request body. Suggestions name the top message's fields.
 */
export function decode(
  profile: VersionProfile,
  raw: string,
  schema: MessageSchema,
  body: Record<string, unknown>,
  /**
   * `body: "*"` (the request message itself). A body of one field (`body: "workload_identity"`) is decoded into a
   * pointer to that field (`Decode(&protoReq.WorkloadIdentity)`), not a proto.Message, so the suggesting decoder
   * passes its error on bare: a real 3.21.1 answers `proto: (line 1:2): unknown field "titel"` to a create.
   */
  wholeRequest = false,
): Record<string, unknown> {
  const refuse = (key: string, what: string): never => {
    const message = `proto: ${position(raw, key)}: ${what}`;
    const unknown = /^unknown field "(.*)"$/.exec(what)?.[1];
    throw new GrpcError(
      Code.InvalidArgument,
      unknown !== undefined && wholeRequest && profile.ciEra?.suggestsFields
        ? `${suggest(unknown, schema)}: ${message}`
        : message,
    );
  };
  const walk = (message: MessageSchema, obj: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(obj)) {
      const proto = Object.keys(message.fields).find((f) => f === key || jsonName(f) === key);
      if (proto === undefined) return refuse(key, `unknown field ${JSON.stringify(key)}`);
      if (value === null) continue;
      const kind = message.fields[proto]!;
      const converted = convert(kind, value, walk);
      if (converted === undefined)
        refuse(key, `invalid value for ${describe(kind)} field ${jsonName(proto)}: ${JSON.stringify(value)}`);
      out[proto] = converted;
    }
    return out;
  };
  return walk(schema, body);
}

type Walk = (message: MessageSchema, obj: Record<string, unknown>) => Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON value as the field's kind, or undefined when protojson refuses it. */
function convert(kind: FieldKind, value: unknown, walk: Walk): unknown {
  if (kind === "string") return typeof value === "string" ? value : undefined;
  if (kind === "bool") return typeof value === "boolean" ? value : undefined;
  if (kind === "int32") return Number.isInteger(value) ? value : undefined;
  if (kind === "object") return isObject(value) ? value : undefined;
  if (kind === "strings")
    return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
  if ("enum" in kind) {
    const index = typeof value === "number" ? value : kind.enum.indexOf(value as string);
    return Number.isInteger(index) && index >= 0 ? index : undefined;
  }
  if ("message" in kind) return isObject(value) ? walk(kind.message, value) : undefined;
  return Array.isArray(value) && value.every(isObject) ? value.map((v) => walk(kind.messages, v)) : undefined;
}

function describe(kind: FieldKind): string {
  if (typeof kind === "string") return kind === "strings" ? "string" : kind === "object" ? "message" : kind;
  return "enum" in kind ? "enum" : "message";
}
