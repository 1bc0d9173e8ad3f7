// What the inputs of every resource share: the preview's unknown marker, the `connection` input and its schema, the
// shape of a `check` failure, and the building blocks of the input schemas (each resource's own is in its folder).
import { z } from "zod";
import { tryUrl } from "../catalog";

export type { CheckFailure } from "./secret-safe";

/** How Pulumi marks a value not known until apply (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface ConnectionInputs {
  readonly url?: string;
  readonly serviceAccount?: string;
  readonly serviceKey?: string;
}

export const orUnknown = <T extends z.ZodType>(schema: T) => z.union([z.literal(UNKNOWN), schema]);
/** A string known now (not the preview's unknown sentinel). */
export const isKnownString = (value: unknown): value is string =>
  typeof value === "string" && value !== UNKNOWN;

export const text = (what: string, fix: string) =>
  z
    .string({ error: `must be a string: ${fix}` })
    .min(1, { error: `must not be empty: ${fix}` })
    .refine((v) => v.trim() === v, {
      error: `${what} has leading or trailing whitespace; paste it again without it`,
    });

export const httpUrl = (fix: string) =>
  z
    .string({ error: `must be a URL string: ${fix}` })
    .refine((v) => ["http:", "https:"].includes(tryUrl(v)?.protocol ?? ""), {
      error: `must be an absolute http(s) URL: ${fix}`,
    });

export const connectionSchema = z.strictObject(
  {
    url: orUnknown(
      httpUrl("the console's URL, e.g. https://bytebase.example.com").refine((v) => !hasUserInfo(v), {
        error: "contains user info: remove the 'user@' part (the service account logs in with its key)",
      }),
    ).optional(),
    serviceAccount: orUnknown(
      text("the service account", "a service account email, e.g. ci@service.bytebase.com"),
    ).optional(),
    serviceKey: orUnknown(
      text("the service key", "the service account's key (it starts with bbs_)"),
    ).optional(),
  },
  { error: "must be an object { url, serviceAccount, serviceKey }" },
);

/** The object without its undefined properties (inputs and outputs alike: Pulumi stores no undefined). */
export function dropUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}

/** Whether a URL carries `user:password@` (an unparsable one is not this function's to refuse). */
export function hasUserInfo(url: string): boolean {
  const parsed = tryUrl(url);
  return !!parsed && (parsed.username !== "" || parsed.password !== "");
}
