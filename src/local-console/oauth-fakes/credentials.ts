// Realistically shaped OAuth credentials per Git provider (random, or deterministic from a seed for demo apps).
import { createHash, randomBytes } from "node:crypto";
import { signJwt } from "../jwt";
import type { GitProviderType } from "../../catalog";

/** A source of random bytes. */
export type Rng = (n: number) => Buffer;

export const cryptoRng: Rng = (n) => randomBytes(n);

/** Deterministic bytes from a seed (SHA-256 in counter mode): the demo apps get the same credentials every run. */
export function seededRng(seed: string): Rng {
  let counter = 0;
  return (n) => {
    const out: Buffer[] = [];
    for (let len = 0; len < n; len += 32)
      out.push(createHash("sha256").update(`${seed}:${counter++}`).digest());
    return Buffer.concat(out).subarray(0, n);
  };
}

const HEX = "0123456789abcdef";
export const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

export function chars(rng: Rng, alphabet: string, n: number): string {
  return [...rng(n)].map((b) => alphabet[b % alphabet.length]).join("");
}

export function guid(rng: Rng): string {
  return chars(rng, HEX, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
}

/** The fake Azure DevOps signs its client secrets with this key (HMAC, shaped as RS256): it only needs to know its own. */
const AZURE_SIGNING_KEY = "local-console-azure-devops-fake";

/** A JWT-shaped token (`typ: JWT`, `alg: RS256` header) carrying the given claims. */
function azureJwt(claims: Record<string, unknown>): string {
  return signJwt({ typ: "JWT", alg: "RS256", x5t: "oOvcz5M_7p-HjIKlFXz93u_V0Zo" }, claims, AZURE_SIGNING_KEY);
}

/** An Azure DevOps Client Secret: a JWT whose `cid` is the App ID (lower-case), with `nbf` and `exp` in seconds. */
function azureClientSecret(appId: string, nbf: number, exp: number, rng: Rng): string {
  const id = guid(rng);
  return azureJwt({
    cid: appId.toLowerCase(),
    csi: id,
    nameid: guid(rng),
    iss: "app.vstoken.visualstudio.com",
    aud: "app.vstoken.visualstudio.com",
    nbf,
    exp,
  });
}

export interface GeneratedCredentials {
  applicationId: string;
  secret: string;
  appSecret?: string;
}

/**
 * Credentials as each provider issues them: GitHub `Ov23li` + 14 characters and 40 hex; GitLab 64 hex and
 * `gloas-` + 64 hex; Bitbucket 18 and 32 letters and digits; Azure DevOps a GUID, a JWT Client Secret and a
 * non-JWT App Secret.
 */
export function generateCredentials(
  type: GitProviderType,
  rng: Rng,
  applicationId: string | undefined,
  secretWindow: { nbf: number; exp: number },
): GeneratedCredentials {
  switch (type) {
    case "GITHUB":
      return {
        applicationId: applicationId ?? `Ov23li${chars(rng, ALNUM, 14)}`,
        secret: chars(rng, HEX, 40),
      };
    case "GITLAB":
      return { applicationId: applicationId ?? chars(rng, HEX, 64), secret: `gloas-${chars(rng, HEX, 64)}` };
    case "BITBUCKET":
      return { applicationId: applicationId ?? chars(rng, ALNUM, 18), secret: chars(rng, ALNUM, 32) };
    case "AZURE_DEVOPS": {
      const id = applicationId ?? guid(rng);
      return {
        applicationId: id,
        secret: azureClientSecret(id, secretWindow.nbf, secretWindow.exp, rng),
        appSecret: chars(rng, LOWER_ALNUM, 52),
      };
    }
  }
}

/** An access or refresh token in the provider's style. */
export function newToken(type: GitProviderType, kind: "access" | "refresh", rng: Rng = cryptoRng): string {
  switch (type) {
    case "GITHUB":
      return `gho_${chars(rng, ALNUM, 36)}`;
    case "GITLAB":
      return chars(rng, HEX, 64);
    case "BITBUCKET":
      return kind === "access" ? chars(rng, ALNUM, 120) : chars(rng, ALNUM, 24);
    case "AZURE_DEVOPS":
      return azureJwt({ nameid: guid(rng), scp: "vso.code_full", aui: guid(rng), kind });
  }
}

/** An authorization code in the provider's style. */
export function newCode(type: GitProviderType, rng: Rng = cryptoRng): string {
  switch (type) {
    case "GITHUB":
      return chars(rng, HEX, 20);
    case "GITLAB":
      return chars(rng, HEX, 64);
    case "BITBUCKET":
      return chars(rng, ALNUM, 18);
    case "AZURE_DEVOPS":
      return azureJwt({
        aui: guid(rng),
        nameid: guid(rng),
        scp: "vso.code_full",
        nonce: chars(rng, HEX, 16),
      });
  }
}
