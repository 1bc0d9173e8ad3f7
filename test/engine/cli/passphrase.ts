// The passphrase secrets provider of the Pulumi CLI stand-in: the stack config's `encryptionsalt` and its `secure:`
// values, byte for byte the format pulumi/pulumi writes, so a Pulumi.<stack>.yaml is interchangeable with the CLI's.
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CliError } from "./errors";

/**
 * An AES-256-GCM crypter keyed by PBKDF2-SHA256 (1,000,000 iterations, 32 bytes) of the passphrase and salt:
 * sdk/go/common/resource/config/crypt.go, NewSymmetricCrypterFromPassphrase. Values are `v1:<nonce>:<sealed>`
 * (base64 std; a 12-byte nonce; the GCM tag at the end of the sealed bytes): symmetricCrypter.EncryptValue and
 * DecryptValue.
 */
export class Crypter {
  private constructor(private readonly key: Buffer) {}

  static fromPassphrase(phrase: string, salt: Buffer): Crypter {
    return new Crypter(pbkdf2Sync(phrase, salt, 1_000_000, 32, "sha256"));
  }

  encrypt(plaintext: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
  }

  /** Throws on a malformed value or a wrong key (GCM authentication fails). */
  decrypt(value: string): string {
    const parts = value.split(":");
    if (parts.length !== 3) throw new Error("bad value");
    if (parts[0] !== "v1") throw new Error("unknown value version");
    const nonce = Buffer.from(parts[1]!, "base64");
    const sealed = Buffer.from(parts[2]!, "base64");
    if (nonce.length !== 12) throw new Error("bad value: nonce size is incorrect");
    const decipher = createDecipheriv("aes-256-gcm", this.key, nonce);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - 16)),
      decipher.final(),
    ]).toString("utf8");
  }
}

/**
 * The passphrase as pkg/secrets/passphrase/manager.go readPassphrase takes it without a terminal:
 * PULUMI_CONFIG_PASSPHRASE (set, even empty), else PULUMI_CONFIG_PASSPHRASE_FILE (trimmed), else its error.
 */
export function readPassphrase(env: NodeJS.ProcessEnv): string {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (file) {
    try {
      return readFileSync(resolve(file), "utf8").trim();
    } catch {
      throw new CliError("unable to read PULUMI_CONFIG_PASSPHRASE_FILE");
    }
  }
  throw new CliError(
    "passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables",
  );
}

/**
 * A new stack's `encryptionsalt`: `v1:<base64 8-byte salt>:<"pulumi" encrypted>`, the check value that tells a
 * wrong passphrase (manager.go, NewPassphraseSecretsManager).
 */
export function newEncryptionSalt(phrase: string): { state: string; crypter: Crypter } {
  const salt = randomBytes(8);
  const crypter = Crypter.fromPassphrase(phrase, salt);
  return { state: `v1:${salt.toString("base64")}:${crypter.encrypt("pulumi")}`, crypter };
}

/** The crypter of an existing `encryptionsalt` (manager.go, symmetricCrypterFromPhraseAndState). */
export function crypterFromState(phrase: string, state: string): Crypter {
  const splits = state.split(":");
  if (splits.length < 3) throw new CliError("malformed state value");
  if (splits[0] !== "v1") throw new CliError("unknown state version");
  const crypter = Crypter.fromPassphrase(phrase, Buffer.from(splits[1]!, "base64"));
  let check = "";
  try {
    check = crypter.decrypt(splits.slice(2).join(":"));
  } catch {
    // like upstream: any failure is an incorrect passphrase
  }
  if (check !== "pulumi") throw new CliError("incorrect passphrase");
  return crypter;
}
