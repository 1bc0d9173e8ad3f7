// HS256 JSON Web Tokens (node:crypto only): what the console signs its access tokens with.
import { createHmac, timingSafeEqual } from "node:crypto";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A JWT with this header and these claims, signed with HMAC-SHA256 under `key`. */
export function signJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: string,
): string {
  const head = `${b64(header)}.${b64(claims)}`;
  return `${head}.${createHmac("sha256", key).update(head).digest("base64url")}`;
}

export function signHs256(claims: Record<string, unknown>, secret: string): string {
  return signJwt({ alg: "HS256", kid: "v1", typ: "JWT" }, claims, secret);
}

export type Verified =
  { ok: true; claims: Record<string, unknown> } | { ok: false; reason: "invalid" | "expired" };

/** Checks the signature, `alg`/`kid` and `exp` (seconds) against `nowSeconds`. */
export function verifyHs256(token: string, secret: string, nowSeconds: number): Verified {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "invalid" };
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "invalid" };
  try {
    const head = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as Record<string, unknown>;
    if (head.alg !== "HS256" || head.kid !== "v1") return { ok: false, reason: "invalid" };
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    if (typeof claims.exp === "number" && claims.exp <= nowSeconds) return { ok: false, reason: "expired" };
    return { ok: true, claims };
  } catch {
    return { ok: false, reason: "invalid" };
  }
}
