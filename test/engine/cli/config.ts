// Stack config as the CLI keeps it: namespaced keys (`<project>:<name>` when no namespace is given), `--path`
// into objects and arrays, `secure:` values encrypted with the stack's passphrase, and the plain map plus secret
// keys that the program gets (PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS).
import { CliError, EXIT } from "./errors";
import type { Crypter } from "./passphrase";

type Json = unknown;

/** `name` -> `<project>:name`; `ns:name` kept (pkg/cmd/pulumi/config/config.go, ParseConfigKey). */
export function parseKey(
  raw: string,
  project: string,
  path: boolean,
): { key: string; path: (string | number)[] } {
  const segments = path ? parsePath(raw) : [raw];
  const [first, ...rest] = segments;
  if (typeof first !== "string" || !first)
    throw new CliError(`invalid configuration key: ${raw}`, EXIT.configuration);
  const key = first.includes(":") ? first : `${project}:${first}`;
  if (key.split(":").length !== 2)
    throw new CliError(
      `invalid configuration key: could not parse ${raw} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`,
      EXIT.configuration,
    );
  return { key, path: rest };
}

/** `a.b[0]["c.d"]` -> ["a", "b", 0, "c.d"] (sdk/go/common/resource/property_path.go, ParsePropertyPath). */
function parsePath(raw: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\./gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(raw))) {
    last = re.lastIndex;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(m[3]);
  }
  if (last !== raw.length)
    throw new CliError(`invalid configuration key: invalid property path ${raw}`, EXIT.configuration);
  return out;
}

/** Sets `value` at `key` (and `path` inside it) in a Pulumi.<stack>.yaml `config:` map (config.Map.Set). */
export function setConfig(
  config: Record<string, Json>,
  key: string,
  path: (string | number)[],
  value: Json,
): void {
  if (path.length === 0) {
    config[key] = value;
    return;
  }
  const existing = config[key];
  const container = (next: string | number) => (typeof next === "number" ? [] : {});
  let node = (typeof existing === "object" && existing !== null ? existing : container(path[0]!)) as Record<
    string | number,
    Json
  >;
  config[key] = node;
  for (const [i, segment] of path.entries()) {
    if (i === path.length - 1) {
      node[segment] = value;
      break;
    }
    const child = node[segment];
    node[segment] =
      typeof child === "object" && child !== null && !isSecure(child) ? child : container(path[i + 1]!);
    node = node[segment] as Record<string | number, Json>;
  }
}

export function getConfig(config: Record<string, Json>, key: string, path: (string | number)[]): Json {
  let node: Json = config[key];
  for (const segment of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string | number, Json>)[segment];
  }
  return node;
}

const isSecure = (v: Json): v is { secure: string } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;

/** A value with every `secure:` decrypted, and whether it held one. */
function reveal(v: Json, crypter: () => Crypter): { value: Json; secret: boolean } {
  if (isSecure(v)) return { value: crypter().decrypt(v.secure), secret: true };
  if (Array.isArray(v)) {
    const items = v.map((x) => reveal(x, crypter));
    return { value: items.map((x) => x.value), secret: items.some((x) => x.secret) };
  }
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v).map(([k, x]) => [k, reveal(x, crypter)] as const);
    return {
      value: Object.fromEntries(entries.map(([k, x]) => [k, x.value])),
      secret: entries.some(([, x]) => x.secret),
    };
  }
  return { value: v, secret: false };
}

/**
 * A config value as `pulumi config get` prints it and the program gets it: strings as they are, objects as JSON
 * (config.Value.Value: an object value is its JSON).
 */
export function plainValue(v: Json, crypter: () => Crypter): { text: string; secret: boolean } {
  const { value, secret } = reveal(v, crypter);
  return { text: typeof value === "string" ? value : JSON.stringify(value), secret };
}

/** PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS for the program. */
export function programConfig(config: Record<string, Json>, crypter: () => Crypter) {
  const plain: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, v] of Object.entries(config)) {
    const { text, secret } = plainValue(v, crypter);
    plain[key] = text;
    if (secret) secretKeys.push(key);
  }
  return { config: plain, secretKeys };
}
