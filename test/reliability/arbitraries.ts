// Generators for the reliability fuzz tests: GitOpsProvider inputs carrying a marked secret (valid-ish or junk),
// and malformed console answers (not JSON, JSON of the wrong type, cut short, a field missing or mistyped).
import fc from "fast-check";
import type { GitProviderType } from "../../src/catalog";
import { AZURE_APP_ID } from "../policy/fixtures";

/** In every secret the inputs carry; no failure reason may contain it. */
export const MARK = "Zq7SeCrEtMaRk";
import { UNKNOWN } from "../harness/provider-host";

export { UNKNOWN };
export const SCHEMA_PROPERTIES = [
  "type",
  "applicationId",
  "secret",
  "title",
  "instanceUrl",
  "callbackUrl",
  "scopes",
  "verifyCredentials",
  "importId",
  "connection",
];
const CONNECTION_PROPERTIES = ["url", "serviceAccount", "serviceKey"];

const pad = (prefix: string, length: number) => (prefix + "0123456789abcdef".repeat(8)).slice(0, length);
const jwtPart = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const azureSecret = `${jwtPart({ typ: "JWT" })}.${jwtPart({ cid: AZURE_APP_ID, exp: 4102444800 })}.${pad(MARK, 40)}`;

const AZURE_SCOPES = ["vso.code_full", "vso.identity", "vso.project", "vso.build_execute"];

/** Well-formed credentials and scopes per type, each secret containing MARK. */
const VALID: Record<GitProviderType, Record<string, unknown>> = {
  AZURE_DEVOPS: { applicationId: AZURE_APP_ID, secret: azureSecret, scopes: AZURE_SCOPES },
  BITBUCKET: {
    applicationId: "aB3dE5fG7hJ9kL1mN2",
    secret: pad(MARK, 32),
    scopes: ["account", "webhook", "repository:write"],
  },
  GITHUB: { applicationId: "Ov23liAbCdEfGhIjKlMn", secret: pad(MARK, 40), scopes: ["repo", "workflow"] },
  GITLAB: { applicationId: "a".repeat(64), secret: `${MARK}-gloas-${pad("", 64)}`, scopes: ["api"] },
};

/** A secret with MARK, as a user might get it wrong: padded, cut, of another provider, wrapped. */
const markedSecret: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...Object.values(VALID).map((v) => v.secret)),
  fc.constantFrom(` ${MARK}`, `${MARK}\n`, `bbs_${MARK}`, `${MARK}.${MARK}.${MARK}`, `${MARK}*?#`, MARK),
  fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}${MARK}${b}`),
  fc.constantFrom([MARK], { value: MARK }, [[MARK]]),
);

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.jsonValue(),
  fc.constantFrom(UNKNOWN, "", " x ", "https://git.example.com/path?q#f", "http://u:p@127.0.0.1", "*"),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.array(fc.oneof(fc.string(), fc.jsonValue()), { maxLength: 3 }),
  fc.constant(undefined),
);
const key = fc.oneof(
  fc.string(),
  fc.constantFrom(
    ...SCHEMA_PROPERTIES,
    "__proto__",
    "constructor",
    "toString",
    "a.b",
    "scopes[0]",
    "secret.x",
  ),
);

/** Valid inputs of a random type, with a marked secret and service key: `check` accepts them. */
export const validish = fc
  .record({
    type: fc.constantFrom(...(Object.keys(VALID) as GitProviderType[])),
    title: fc.constantFrom(undefined, "Git", UNKNOWN),
    connection: fc.constantFrom(undefined, {
      url: "https://bytebase.example.com",
      serviceAccount: "ci@service.bytebase.com",
      serviceKey: `bbs_${MARK}`,
    }),
  })
  .map(({ type, ...rest }) => JSON.parse(JSON.stringify({ type, ...VALID[type], ...rest })) as Props);
type Props = Record<string, unknown>;

/** One field of valid inputs (a connection field, an unknown key) removed or set to junk. */
const mutated = fc
  .tuple(
    validish,
    fc.oneof(key, fc.constantFrom(...CONNECTION_PROPERTIES.map((p) => `connection.${p}`))),
    junk,
  )
  .map(([props, field, value]) => {
    const out: Props = { ...props };
    const [top, nested] = field.startsWith("connection.") ? ["connection", field.slice(11)] : [field, ""];
    const target: Props = nested ? { ...(out.connection as Props | undefined) } : out;
    const name = nested || top;
    if (value === undefined) delete target[name];
    else Object.defineProperty(target, name, { value, enumerable: true, configurable: true, writable: true });
    if (nested) out.connection = target;
    return out;
  });

/** Arbitrary props: random keys and values, with the marked secret in `secret` and `connection.serviceKey`. */
const arbitrary = fc
  .tuple(fc.dictionary(key, junk, { maxKeys: 6 }), markedSecret, markedSecret, fc.boolean())
  .map(([props, secret, serviceKey, withConnection]) => ({
    ...props,
    secret,
    ...(withConnection ? { connection: { ...(props.connection as object), serviceKey } } : {}),
  }));

/** Props for `check`: arbitrary, valid-ish with one field mutated, or valid-ish with a mistaken secret. */
export const checkProps: fc.Arbitrary<Props> = fc.oneof(
  arbitrary,
  mutated,
  fc.tuple(validish, markedSecret).map(([props, secret]) => ({ ...props, secret })),
);

/** Whether a failure's property names a property of the input, or one the schema defines. */
export function namesARealProperty(property: string, props: Props): boolean {
  if (Object.hasOwn(props, property)) return true;
  const [, top, rest] = /^([^.[]*)(.*)$/s.exec(property) ?? [];
  if (top === undefined || (!Object.hasOwn(props, top) && !SCHEMA_PROPERTIES.includes(top))) return false;
  if (!rest) return true;
  const value = props[top];
  const index = /^\[(\d+)\]$/.exec(rest);
  if (index) return Array.isArray(value) && Number(index[1]) < value.length;
  const nested = rest.slice(1);
  return (
    rest.startsWith(".") &&
    (CONNECTION_PROPERTIES.includes(nested) ||
      (typeof value === "object" && value !== null && Object.hasOwn(value, nested)))
  );
}

// ---- malformed console answers ----

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * Text that is not JSON: an HTML error page, a proxy's "OK", random text. Not blank: the client reads a blank
 * 2xx answer as `{}` (as a DELETE's), which each call then accepts or rejects by its fields.
 */
export const notJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "<html><body><h1>502 Bad Gateway</h1></body></html>",
    "{",
    "OK",
    "undefined",
    "NaN",
    "{'title': 'x'}",
    '{"title": "x",}',
    "\u0000",
  ),
  fc.string({ minLength: 1 }).filter((s) => s.trim() !== "" && !parses(s)),
);

/** JSON that is not an object: arrays, numbers, null, strings, booleans. */
export const notAnObject: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("[]", "[{}]", "0", "-1e309", "null", '"x"', "true"),
  fc
    .jsonValue()
    .filter((v) => v === null || typeof v !== "object" || Array.isArray(v))
    .map((v) => JSON.stringify(v)),
);

/** Anything JSON can carry, any JS value serialized ("" when JSON has no text for it), or blanks. */
export const anyJson: fc.Arbitrary<string> = fc.oneof(
  fc.json(),
  fc.anything().map((v) => JSON.stringify(v) ?? ""),
  fc.constantFrom("", " ", "\r\n"),
);

/** The real answer's text cut at some point before its end ("" included). */
export const cutShort = (real: string): fc.Arbitrary<string> =>
  fc.nat({ max: real.length - 1 }).map((n) => real.slice(0, n));

const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
type Path = (string | number)[];
function pathsOf(value: unknown, at: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...at, k], ...pathsOf(v, [...at, k])]);
}

/** The real answer with one field (at any depth) removed or replaced by a value of another JSON type. */
export const oneFieldWrong = (real: unknown): fc.Arbitrary<string> =>
  fc.constantFrom(...pathsOf(real)).chain((path) => {
    const original = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], real);
    const other = fc
      .oneof(
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.string(),
        fc.array(fc.jsonValue(), { maxLength: 3 }),
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
      )
      .filter((v) => kind(v) !== kind(original));
    return fc.option(other, { nil: undefined }).map((replacement) => {
      const copy = structuredClone(real);
      const parent = path
        .slice(0, -1)
        .reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], copy) as Record<
        string | number,
        unknown
      >;
      const last = path.at(-1)!;
      if (replacement !== undefined) parent[last] = replacement;
      else if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      return JSON.stringify(copy);
    });
  });
