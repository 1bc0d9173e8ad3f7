// The stack's state between runs, in the file a file:// backend of the Pulumi CLI writes: apitype.VersionedCheckpoint
// {version: 3, checkpoint: CheckpointV3 {stack, latest: DeploymentV3}} (sdk/go/common/apitype/core.go), with the
// passphrase secrets provider's state, secret values as {<secret sig>, ciphertext} encrypted with the stack's
// passphrase crypter, the stack outputs as the Stack resource's outputs and the pending operations.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { pulumiRequire } from "../harness/provider-host";
import { crypterFromState, newEncryptionSalt, type Crypter } from "./cli/passphrase";
import { isSecretMarker, markSecret, SECRET_SIG, SECRET_VALUE } from "./secrets";
import type { PendingOperation, ResourceState } from "./types";

type Props = Record<string, unknown>;

/** apitype.ResourceV3, the fields the test engine fills in (json names and omitempty as upstream). */
export interface ResourceV3 {
  urn: string;
  custom: boolean;
  delete?: boolean;
  id?: string;
  type: string;
  inputs?: Props;
  outputs?: Props;
  parent?: string;
  protect?: boolean;
  external?: boolean;
  dependencies?: string[];
  provider?: string;
  propertyDependencies?: Record<string, string[]>;
  additionalSecretOutputs?: string[];
  retainOnDelete?: boolean;
  created?: string;
  modified?: string;
}

/** apitype.DeploymentV3. */
export interface DeploymentV3 {
  manifest: { time: string; magic: string; version: string };
  secrets_providers?: { type: "passphrase"; state: { salt: string } };
  resources?: ResourceV3[];
  pending_operations?: { resource: ResourceV3; type: PendingOperation["type"] }[];
}

/** apitype.VersionedCheckpoint holding a CheckpointV3 (pkg/resource/stack/checkpoint.go SerializeCheckpoint). */
export interface CheckpointFile {
  version: 3;
  checkpoint: { stack: string; latest?: DeploymentV3 };
}

export interface StackState {
  resources: ResourceState[];
  /** Stack outputs as the program registered them (secret ones as secret marker objects). */
  outputs: Props;
  /** Operations begun and not ended: a run killed mid-step leaves them (pkg/backend/snapshot.go). */
  pendingOperations?: PendingOperation[];
}

export interface SaveOptions {
  /** CheckpointV3.stack: the diy backend's FullyQualifiedName, `organization/<project>/<stack>`. */
  stack?: string;
  /** The passphrase secrets manager's state (the stack config's `encryptionsalt`) for a state without one yet. */
  salt?: string;
}

const STACK_TYPE = "pulumi:pulumi:Stack";
/** Manifest.Version: the engine that wrote the checkpoint; here the @pulumi/pulumi SDK the test engine runs. */
const ENGINE_VERSION = `v${(pulumiRequire("./package.json") as { version: string }).version}`;

// PBKDF2 with a million rounds costs a third of a second: one crypter per passphrase and salt per process.
const crypters = new Map<string, Crypter>();
function crypterFor(passphrase: string, salt: string): Crypter {
  const key = createHash("sha256").update(`${passphrase}\0${salt}`).digest("hex");
  let c = crypters.get(key);
  if (!c) crypters.set(key, (c = crypterFromState(passphrase, salt)));
  return c;
}

const isCiphertext = (v: unknown): v is Props =>
  typeof v === "object" && v !== null && (v as Props)[SECRET_SIG] === SECRET_VALUE && "ciphertext" in v;

/**
 * pkg/resource/stack/deployment.go SerializePropertyValue: a secret becomes {sig, ciphertext}, the ciphertext the
 * encrypted JSON of its (serialized) element; arrays and objects recurse.
 */
function serialize(c: Crypter, value: unknown): unknown {
  if (isSecretMarker(value)) {
    return { [SECRET_SIG]: SECRET_VALUE, ciphertext: c.encrypt(JSON.stringify(plainOf(value.value))) };
  }
  if (Array.isArray(value)) return value.map((v) => serialize(c, v));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serialize(c, v)]));
  return value;
}

/** A secret's element as the ciphertext holds it: nested secrets are not encrypted twice, only marked. */
const plainOf = (value: unknown): unknown => (isSecretMarker(value) ? plainOf(value.value) : value);

/** DeserializePropertyValue: ciphertext objects back to secret markers. */
function deserialize(c: Crypter, value: unknown): unknown {
  if (isCiphertext(value)) return markSecret(JSON.parse(c.decrypt(String(value.ciphertext))) as unknown);
  if (Array.isArray(value)) return value.map((v) => deserialize(c, v));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deserialize(c, v)]));
  return value;
}

const containsMarker = (v: unknown): boolean =>
  isSecretMarker(v) ||
  (v !== null && typeof v === "object" && Object.values(v as Props).some(containsMarker));

const stripMarkers = (v: unknown): unknown =>
  isSecretMarker(v)
    ? stripMarkers(v.value)
    : Array.isArray(v)
      ? v.map(stripMarkers)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stripMarkers(x)]))
        : v;

/** Top-level keys in `secretKeys` wrapped in secret markers, then serialized. */
function props(c: Crypter, values: Props, secretKeys: readonly string[]): Props | undefined {
  if (Object.keys(values).length === 0) return undefined;
  const marked = Object.entries(values).map(([k, v]) => [k, secretKeys.includes(k) ? markSecret(v) : v]);
  return serialize(c, Object.fromEntries(marked)) as Props;
}

function toV3(c: Crypter, r: ResourceState, stackOutputs?: Props): ResourceV3 {
  const custom = r.custom ?? r.type !== STACK_TYPE;
  const nonEmpty = <T>(v: T[] | undefined) => (v && v.length ? v : undefined);
  const deps = r.propertyDependencies;
  const v3: ResourceV3 = {
    urn: r.urn,
    custom,
    delete: r.delete || undefined,
    id: r.id || undefined,
    type: r.type,
    inputs: props(c, r.inputs, r.secretInputs),
    // The stack's outputs are the state's (those of the last successful update), secrets nested where they are.
    outputs: stackOutputs
      ? Object.keys(stackOutputs).length
        ? (serialize(c, stackOutputs) as Props)
        : undefined
      : props(c, r.outputs, r.secretOutputs),
    parent: r.parent || undefined,
    protect: r.protect || undefined,
    external: r.external || undefined,
    dependencies: nonEmpty(r.dependencies),
    provider: r.provider || undefined,
    propertyDependencies: deps && Object.keys(deps).length ? deps : undefined,
    additionalSecretOutputs: nonEmpty(r.additionalSecretOutputs),
    retainOnDelete: r.retainOnDelete || undefined,
    created: r.created,
    modified: r.modified,
  };
  return JSON.parse(JSON.stringify(v3)) as ResourceV3; // drops the undefined fields, as omitempty does
}

function fromV3(c: Crypter, r: ResourceV3): ResourceState {
  const read = (p: Props | undefined) => {
    const marked = deserialize(c, p ?? {}) as Props;
    return {
      plain: stripMarkers(marked) as Props,
      keys: Object.keys(marked).filter((k) => containsMarker(marked[k])),
    };
  };
  const inputs = read(r.inputs);
  const outputs = read(r.outputs);
  const { inputs: _i, outputs: _o, id, ...rest } = r;
  return {
    ...rest,
    name: r.urn.split("::").at(-1)!,
    id: id ?? "",
    inputs: inputs.plain,
    outputs: outputs.plain,
    secretInputs: inputs.keys,
    secretOutputs: outputs.keys,
  };
}

const readFile = (path: string) => JSON.parse(readFileSync(path, "utf8")) as CheckpointFile;

export function loadState(path: string, passphrase: string): StackState {
  if (!existsSync(path)) return { resources: [], outputs: {} };
  const latest = readFile(path).checkpoint.latest;
  const salt = latest?.secrets_providers?.state.salt;
  if (!latest || !salt) return { resources: [], outputs: {} };
  const c = crypterFor(passphrase, salt);
  const resources = (latest.resources ?? []).map((r) => fromV3(c, r));
  const stack = (latest.resources ?? []).find((r) => r.type === STACK_TYPE && !r.delete);
  const pendingOperations = (latest.pending_operations ?? []).map((op) => ({
    type: op.type,
    resource: fromV3(c, op.resource),
  }));
  return {
    resources,
    outputs: deserialize(c, stack?.outputs ?? {}) as Props,
    ...(pendingOperations.length ? { pendingOperations } : {}),
  };
}

/** The stack name a checkpoint names, from an existing file, else `fallback`, else the state file's name. */
function stackNameOf(path: string, fallback: string | undefined): string {
  if (existsSync(path)) return readFile(path).checkpoint.stack;
  return fallback ?? path.replace(/^.*[\\/]/, "").replace(/\.json$/, "");
}

/**
 * Writes the checkpoint as pkg/backend/diy/state.go saveStack does (indented JSON). The secrets provider's state is
 * kept from the file, else taken from `options.salt`, else made new as NewPassphraseSecretsManager makes it.
 */
export function saveState(path: string, passphrase: string, state: StackState, options: SaveOptions = {}) {
  const previous = existsSync(path) ? readFile(path).checkpoint.latest?.secrets_providers : undefined;
  const salt = previous?.state.salt ?? options.salt ?? newEncryptionSalt(passphrase).state;
  const c = crypterFor(passphrase, salt);
  const resources = state.resources.map((r) =>
    toV3(c, r, r.type === STACK_TYPE && !r.delete ? state.outputs : undefined),
  );
  const pending = (state.pendingOperations ?? []).map((op) => ({
    resource: toV3(c, op.resource),
    type: op.type,
  }));
  const latest: DeploymentV3 = {
    // deploy.Manifest: the time, the engine's version and NewMagic, the hex SHA-256 of that version.
    manifest: {
      time: new Date().toISOString(),
      magic: createHash("sha256").update(ENGINE_VERSION).digest("hex"),
      version: ENGINE_VERSION,
    },
    secrets_providers: { type: "passphrase", state: { salt } },
    ...(resources.length ? { resources } : {}),
    ...(pending.length ? { pending_operations: pending } : {}),
  };
  const file: CheckpointFile = {
    version: 3,
    checkpoint: { stack: stackNameOf(path, options.stack), latest },
  };
  writeAtomically(path, file);
}

/**
 * The diy backend writes the checkpoint with bucket.WriteAll (pkg/backend/diy/state.go saveStack), which for a
 * file:// bucket (gocloud.dev/blob/fileblob) writes a temporary file and renames it over the old one: a run killed
 * mid-write leaves the previous checkpoint, never a truncated one.
 */
function writeAtomically(path: string, file: CheckpointFile): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 4)}\n`);
  renameSync(tmp, path);
}

/** A new stack's checkpoint: no deployment yet (diy backend CreateStack saves a nil snapshot). */
export function saveEmptyCheckpoint(path: string, stack: string): void {
  writeAtomically(path, { version: 3, checkpoint: { stack } });
}
