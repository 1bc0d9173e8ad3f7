// The update mask a 3.x PATCH handler receives, as grpc-gateway v2.27 - v2.29 builds it (runtime/fieldmask.go,
// runtime/query.go; Bytebase 3.15.0 - 3.21.1 pin those in go.mod).
import { queryMask } from "../gateway";
import type { Req } from "../http";
import type { MessageSchema } from "./protojson";

const jsonName = (proto: string) => proto.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * FieldMaskFromRequestBody: each body key by its proto name, a message-typed key that holds an object descended into
 * (`workload_identity_config.issuer_url`, ...; an empty object stays as its own path). A `?update_mask=` (or
 * `?updateMask=`) replaces it, split on "," verbatim; given twice it is refused.
 */
export function bodyMask(req: Req, body: Record<string, unknown>, schema: MessageSchema): string[] {
  const paths: string[] = [];
  const walk = (message: MessageSchema, obj: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(obj)) {
      const proto = Object.keys(message.fields).find((f) => f === key || jsonName(f) === key) ?? key;
      const kind = message.fields[proto];
      const nested =
        typeof kind === "object" && "message" in kind && typeof value === "object" && value !== null
          ? (value as Record<string, unknown>)
          : undefined;
      if (nested && Object.keys(nested).length && typeof kind === "object" && "message" in kind)
        walk(kind.message, nested, `${prefix}${proto}.`);
      else paths.push(`${prefix}${proto}`);
    }
  };
  walk(schema, body, "");
  return queryMask(req, paths);
}
