// The local console's own OIDC issuer: an RSA key whose JWKS stands in for GitHub Actions' and GitLab's, and tokens
// with the claims a CI job would get, so auth:exchangeToken runs Bytebase's checks on real RS256 signatures.
import {
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from "node:crypto";

/** The issuers this fake answers for (the presets of CreateWorkloadIdentitySheet.tsx@3.21.1). */
export const CI_ISSUERS = {
  GITHUB: "https://token.actions.githubusercontent.com",
  GITLAB: "https://gitlab.com",
} as const;

export interface CiTokenClaims {
  /** Default: GitHub's issuer. */
  iss?: string;
  sub: string;
  aud: string | string[];
  /** Seconds from now until `exp` (default 300, as GitHub's tokens); negative for an expired token. */
  expiresIn?: number;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export class FakeOidcIssuer {
  private readonly privateKey: KeyObject;
  readonly kid = randomBytes(8).toString("hex");
  readonly jwks: { keys: Array<Record<string, unknown>> };

  constructor(private readonly nowMs: () => number) {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.jwks = {
      keys: [{ ...pair.publicKey.export({ format: "jwk" }), kid: this.kid, alg: "RS256", use: "sig" }],
    };
  }

  /** An RS256 token signed with this issuer's key (`kid` in its header, as GitHub's and GitLab's carry). */
  issue(claims: CiTokenClaims): string {
    const iat = Math.floor(this.nowMs() / 1000);
    const payload = {
      iss: claims.iss ?? CI_ISSUERS.GITHUB,
      sub: claims.sub,
      aud: claims.aud,
      iat,
      nbf: iat,
      exp: iat + (claims.expiresIn ?? 300),
    };
    const head = `${b64({ alg: "RS256", typ: "JWT", kid: this.kid })}.${b64(payload)}`;
    return `${head}.${createSign("RSA-SHA256").update(head).sign(this.privateKey).toString("base64url")}`;
  }
}

export type VerifiedJwt = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

/**
 * jwt.ParseSigned (RS256, ES256) and token.Claims(jwks) of go-jose v4 as wif.go@3.21.1 uses them: three parts, an
 * allowed `alg`, a key of the set with the header's `kid`, a valid signature. Only RS256 keys are served here.
 */
export function verifyJwt(token: string, jwks: { keys: Array<Record<string, unknown>> }): VerifiedJwt {
  const parts = token.split(".");
  if (parts.length !== 3)
    return {
      ok: false,
      reason: "failed to parse token: go-jose/go-jose: compact JWS format must have three parts",
    };
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: "failed to parse token: illegal base64 data or JSON" };
  }
  if (header.alg !== "RS256" && header.alg !== "ES256")
    return {
      ok: false,
      reason: `failed to parse token: unexpected signature algorithm "${String(header.alg)}"; expected ["RS256" "ES256"]`,
    };
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk)
    return {
      ok: false,
      reason: "failed to verify token signature: go-jose/go-jose: JWK with matching kid not found in JWK Set",
    };
  const key = createPublicKey({ key: jwk as never, format: "jwk" });
  const ok = createVerify("RSA-SHA256")
    .update(`${parts[0]}.${parts[1]}`)
    .verify(key, Buffer.from(parts[2]!, "base64url"));
  if (!ok)
    return {
      ok: false,
      reason: "failed to verify token signature: go-jose/go-jose: error in cryptographic primitive",
    };
  return { ok: true, claims };
}
