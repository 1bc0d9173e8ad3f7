// The stack's state between runs, in a JSON file shaped like Pulumi's checkpoint: secret values are stored as
// `{<secret sig>, ciphertext}`, encrypted with the stack's passphrase (AES-256-GCM, key from scrypt and a salt
// kept in the file), never as plain values; stack outputs are kept the same way.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { containsSecret, isSecretMarker, markSecret, reveal, SECRET_SIG, SECRET_VALUE } from "./secrets";
import type { ResourceState } from "./types";

type Props = Record<string, unknown>;

interface StoredResource extends Omit<
  ResourceState,
  "inputs" | "outputs" | "secretInputs" | "secretOutputs"
> {
  inputs: Props;
  outputs: Props;
}

interface Checkpoint {
  version: 1;
  secretsProvider: { type: "passphrase"; salt: string };
  resources: StoredResource[];
  /** Stack outputs, secret ones encrypted. */
  outputs: Props;
}

export interface StackState {
  resources: ResourceState[];
  /** Stack outputs as the program registered them (secret ones as secret marker objects). */
  outputs: Props;
}

const EMPTY_STATE: StackState = { resources: [], outputs: {} };

class Crypter {
  private readonly key: Buffer;
  constructor(
    passphrase: string,
    readonly salt: string,
  ) {
    this.key = scryptSync(passphrase, Buffer.from(salt, "base64"), 32);
  }

  encrypt(value: unknown): Props {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    const data = Buffer.concat([
      cipher.update(JSON.stringify(value), "utf8"),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return {
      [SECRET_SIG]: SECRET_VALUE,
      ciphertext: `v1:${nonce.toString("base64")}:${data.toString("base64")}`,
    };
  }

  decrypt(stored: Props): unknown {
    const [version, nonce, data] = String(stored.ciphertext).split(":");
    if (version !== "v1" || !nonce || !data) throw new Error("the state file holds a malformed secret");
    const bytes = Buffer.from(data, "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(nonce, "base64"));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    try {
      const plain = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
      return JSON.parse(plain.toString("utf8")) as unknown;
    } catch {
      throw new Error(
        "the state file's secrets do not decrypt: wrong PULUMI_CONFIG_PASSPHRASE for this stack",
      );
    }
  }
}

const encryptKeys = (c: Crypter, props: Props, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(props).map(([k, v]) => [k, keys.includes(k) ? c.encrypt(v) : v]));

function decryptAll(c: Crypter, props: Props): { plain: Props; secretKeys: string[] } {
  const secretKeys = Object.keys(props).filter((k) => isSecretMarker(props[k]) || isCiphertext(props[k]));
  const plain = Object.fromEntries(
    Object.entries(props).map(([k, v]) => [k, isCiphertext(v) ? c.decrypt(v) : v]),
  );
  return { plain, secretKeys };
}

const isCiphertext = (v: unknown): v is Props =>
  typeof v === "object" && v !== null && (v as Props)[SECRET_SIG] === SECRET_VALUE && "ciphertext" in v;

export function loadState(path: string, passphrase: string): StackState {
  if (!existsSync(path)) return EMPTY_STATE;
  const file = JSON.parse(readFileSync(path, "utf8")) as Checkpoint;
  const c = new Crypter(passphrase, file.secretsProvider.salt);
  const resources = file.resources.map((r) => {
    const inputs = decryptAll(c, r.inputs);
    const outputs = decryptAll(c, r.outputs);
    return {
      ...r,
      inputs: inputs.plain,
      outputs: outputs.plain,
      secretInputs: inputs.secretKeys,
      secretOutputs: outputs.secretKeys,
    };
  });
  const outputs = Object.fromEntries(
    Object.entries(file.outputs).map(([k, v]) => [k, isCiphertext(v) ? markSecret(c.decrypt(v)) : v]),
  );
  return { resources, outputs };
}

export function saveState(path: string, passphrase: string, state: StackState): void {
  const salt = existsSync(path)
    ? (JSON.parse(readFileSync(path, "utf8")) as Checkpoint).secretsProvider.salt
    : randomBytes(16).toString("base64");
  const c = new Crypter(passphrase, salt);
  const checkpoint: Checkpoint = {
    version: 1,
    secretsProvider: { type: "passphrase", salt },
    resources: state.resources.map(({ secretInputs, secretOutputs, ...r }) => ({
      ...r,
      inputs: encryptKeys(c, r.inputs, secretInputs),
      outputs: encryptKeys(c, r.outputs, secretOutputs),
    })),
    outputs: Object.fromEntries(
      Object.entries(state.outputs).map(([k, v]) => [k, containsSecret(v) ? c.encrypt(reveal(v)) : v]),
    ),
  };
  writeFileSync(path, `${JSON.stringify(checkpoint, null, 2)}\n`);
}
