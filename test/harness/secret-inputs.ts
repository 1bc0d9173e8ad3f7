// Every resource type's secret inputs, a valid declaration of it, and the ways a user gets a secret wrong: the table
// the tests of the "no secret in a check failure's CLI line" rule run over (test/provider/secret-failures.test.ts,
// test/program/check-failure-lines.test.ts). A new resource type adds its row here.
import fc from "fast-check";
import { checkFailureMessage } from "../engine/render";
import { MARK } from "../reliability/arbitraries";

export { MARK };

type Props = Record<string, unknown>;

export interface SecretResource {
  /** The class name, as exported by the package and in the type token. */
  readonly type: "GitOpsProvider" | "VcsProvider" | "VcsConnector";
  /** A declaration `check` accepts. */
  readonly valid: Props;
  /** Top-level inputs that hold a secret (besides `connection`, which every resource has). */
  readonly secretInputs: readonly string[];
  /** Non-secret inputs with a form of their own, and that form with a credential pasted in (`check` refuses it). */
  readonly pasted: Readonly<Record<string, (credential: string) => unknown>>;
}

const padded = (c: string) => ` ${c}`;

export const SECRET_RESOURCES: readonly SecretResource[] = [
  {
    type: "GitOpsProvider",
    valid: { type: "BITBUCKET", applicationId: "aB3dE5fG7hJ9kL1mN2", secret: "x".repeat(32) },
    secretInputs: ["secret"],
    pasted: {
      applicationId: (c) => c,
      title: padded,
      instanceUrl: (c) => `https://ci:${c}@bitbucket.org`,
      callbackUrl: (c) => `https://ci:${c}@bytebase.example.com/oauth/callback`,
      importId: (c) => c,
      scopes: (c) => ["account", c],
    },
  },
  {
    type: "VcsProvider",
    valid: { resourceId: "bitbucket-main", type: "BITBUCKET", accessToken: "ci-bot:app-password" },
    secretInputs: ["accessToken"],
    pasted: {
      resourceId: (c) => c,
      title: padded,
      instanceUrl: (c) => `https://ci:${c}@bitbucket.org`,
      permissions: (c) => ["repository:write", c],
    },
  },
  {
    type: "VcsConnector",
    valid: {
      project: "payments",
      resourceId: "db-main",
      vcsProvider: "gitlab-main",
      repository: "platform/db",
      branch: "main",
    },
    secretInputs: [],
    pasted: {
      // No resourceId: Bytebase takes any connector id of one path segment (issue 20, point 5), so `check` has no
      // form of its own to refuse a credential pasted there, and prints no line about it.
      title: padded,
      repository: (c) => `https://oauth2:${c}@gitlab.com/platform/db.git`,
      vcsProvider: padded,
      branch: padded,
      baseDirectory: padded,
      databaseGroup: padded,
    },
  },
];

export const typeToken = (type: string) => `pulumi-nodejs:dynamic/bytebase:${type}`;

/** One way to get a secret wrong, and whether `check` must refuse it whatever the secret. */
interface Shape {
  readonly name: string;
  readonly of: (secret: string) => unknown;
  readonly fails: boolean;
}

/** A secret as a user might paste it: with a newline or spaces, prefixed, quoted, or not as a string. */
export const SHAPES: readonly Shape[] = [
  { name: "a trailing newline", of: (s) => `${s}\n`, fails: true },
  { name: "a leading space", of: (s) => ` ${s}`, fails: true },
  { name: "a trailing space", of: (s) => `${s} `, fails: true },
  { name: "a tab and CRLF", of: (s) => `\t${s}\r\n`, fails: true },
  { name: "a scheme prefix", of: (s) => `Bearer ${s}`, fails: true },
  { name: "a wrong prefix", of: (s) => `glpat-${s}`, fails: false },
  { name: "quotes", of: (s) => `"${s}"`, fails: false },
  { name: "as is", of: (s) => s, fails: false },
  { name: "a list", of: (s) => [s], fails: true },
  { name: "an object", of: (s) => ({ value: s }), fails: true },
  { name: "a nested list", of: (s) => [[s]], fails: true },
];

/** Keys a secret ends up under when its name is misspelt, or when it is given an input of another resource. */
const UNKNOWN_KEYS = [
  "token",
  "secrets",
  "access_token",
  "accesstoken",
  "password",
  "key",
  "serviceKey",
  "a.b",
];

export interface Placement {
  /** What the case is, for messages. */
  readonly what: string;
  readonly news: Props;
  /** The input the refusal must name in its reason (`the input '<about>' ...`). */
  readonly about: string;
  /** Whether `check` must refuse it. */
  readonly fails: boolean;
}

/** Every way of placing `secret` (any text) into the resource's inputs wrongly. */
export function placements(resource: SecretResource, secret: string, unknownKey = "token"): Placement[] {
  const { valid } = resource;
  const out: Placement[] = [];
  for (const shape of SHAPES) {
    const value = shape.of(secret);
    for (const input of resource.secretInputs)
      out.push({
        what: `${input}: ${shape.name}`,
        news: { ...valid, [input]: value },
        about: input,
        fails: shape.fails,
      });
    out.push({
      what: `connection.serviceKey: ${shape.name}`,
      news: { ...valid, connection: { url: "https://bytebase.example.com", serviceKey: value } },
      about: "connection.serviceKey",
      fails: shape.fails && shape.name !== "a scheme prefix",
    });
    out.push({
      what: `an unknown key ${unknownKey}: ${shape.name}`,
      news: { ...valid, [unknownKey]: value },
      about: unknownKey,
      fails: true,
    });
  }
  out.push(
    {
      what: "an unknown connection key",
      news: { ...valid, connection: { password: secret } },
      about: "connection.password",
      fails: true,
    },
    {
      what: "connection as a string",
      news: { ...valid, connection: secret },
      about: "connection",
      fails: true,
    },
  );
  return out;
}

/** Every non-secret input of the resource with a credential pasted into it. */
export function pastes(resource: SecretResource, credential: string): Placement[] {
  return [
    ...Object.entries(resource.pasted).map(([input, paste]) => ({
      what: `${input}: a credential pasted in`,
      news: { ...resource.valid, [input]: paste(credential) },
      about: input,
      fails: true,
    })),
    {
      what: "connection.url: with user info",
      news: { ...resource.valid, connection: { url: `https://admin:${credential}@bytebase.example.com` } },
      about: "connection.url",
      fails: true,
    },
  ];
}

/** A secret containing MARK: any text around it. */
export const anySecret = fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}${MARK}${b}`);
/** A credential containing MARK, in the forms Git providers and Bytebase issue them. */
export const credential = fc
  .tuple(
    fc.constantFrom("", "glpat-", "gloas-", "ghp_", "github_pat_", "ATBB", "bbs_"),
    fc.stringMatching(/^[A-Za-z0-9]{8,40}$/),
  )
  .map(([prefix, rest]) => `${prefix}${MARK}${rest}`);
/** A misspelt key: a known misspelling, or any text that is not an input. */
export const unknownKey = fc.oneof(
  fc.constantFrom(...UNKNOWN_KEYS),
  // Any text but a camelCase word, so never one of the resource's inputs.
  fc.string({ minLength: 1 }).filter((k) => !/^[a-z][A-Za-z]*$/.test(k) && k !== "__proto__"),
);

/** The CLI's lines for the failures (pkg/resource/deploy/step_generator.go issueCheckFailures). */
export const cliLines = (type: string, news: Props, failures: { property: string; reason: string }[]) =>
  failures.map((f) => checkFailureMessage(typeToken(type), "r", news, f));
