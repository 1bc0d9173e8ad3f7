// The one rule every resource's `check` applies to its failures before returning them: a failure about a value that
// is or may be a secret names no property, so the Pulumi CLI has no value to print.
//
// The CLI prints a failure as `property <p> value <inputs[p]> has a problem: <reason>`, the value in plaintext even
// for a secret, and `{<nil>}` for a nested path; with an empty property it prints `has a problem: <reason>` and no
// value (pulumi/pulumi pkg/resource/deploy/step_generator.go@v3.259.0 issueCheckFailures). Its secret filter only
// knows secure stack-config values, not a secret read from a file or the environment.
import { tryUrl } from "../catalog";

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** What a resource tells the rule about its inputs. */
export interface SecretInputs {
  /** Top-level inputs that are or hold secrets: `secret`, `accessToken`, `serviceKey`, `connection`. */
  readonly secret: readonly string[];
  /** Every top-level input the resource knows; any other key is unknown (perhaps a secret's misspelt name). */
  readonly known: readonly string[];
  /** What else the resource knows may hold a secret, e.g. an application id with the shape of the OAuth secret. */
  readonly mayBeSecret?: (input: string, props: Record<string, unknown>) => boolean;
}

/**
 * The failures as the CLI may print them. A failure about a secret input, `connection`, an unknown key, or a value
 * that looks like a credential (see `looksLikeCredential`) has the property "" and a reason that starts with the
 * input it is about: `the input 'accessToken' contains whitespace; ...`. Any other failure on a nested path names
 * its top-level input and says which element in the reason: `at scopes[2]: ...`. Every reason has the plaintext of
 * each secret-looking input (6 characters or more) replaced by "[secret]".
 */
export function secretSafe(
  failures: readonly CheckFailure[],
  props: Record<string, unknown>,
  inputs: SecretInputs,
): CheckFailure[] {
  const holdsSecrets = (top: string) =>
    inputs.secret.includes(top) || !inputs.known.includes(top) || (inputs.mayBeSecret?.(top, props) ?? false);
  const secretish = (top: string) => holdsSecrets(top) || looksLikeCredential(props[top]);
  // All the text of an input that holds secrets; of any other, the parts that look like credentials.
  const scrub = scrubber(
    Object.keys(props).flatMap((k) =>
      (holdsSecrets(k) ? stringsOf(props[k]) : stringsOf(props[k]).filter(isCredential)).flatMap(withParts),
    ),
  );
  return failures.map(({ property, reason }) => {
    if (!property) return { property, reason: scrub(reason) };
    // An unknown key may itself contain '.' or '[' (e.g. "scopes[0]"): it is its own top-level input.
    const top =
      inputs.known.includes(property) || Object.hasOwn(props, property) ? property : topOf(property);
    if (secretish(top)) return { property: "", reason: `the input '${property}' ${scrub(reason)}` };
    if (property !== top) return { property: top, reason: `at ${property}: ${scrub(reason)}` };
    return { property, reason: scrub(reason) };
  });
}

const topOf = (path: string): string => path.split(/[.[]/)[0]!;

/** Prefixes of the credentials the Git providers and Bytebase issue (GitLab, GitHub, Bitbucket, Bytebase). */
const CREDENTIAL_PREFIX = /(^|[^A-Za-z0-9])(gl[a-z]{2,4}-|gh[pousr]_|github_pat_|ATBB|ATCTT|bbs_)[A-Za-z0-9]/;
/** `user:password@` or `scheme://user@`: credentials in a URL or a connection string. */
const USER_INFO = /:[^\s@]*@|\/\/[^\s/@]+@/;
/** One word of 20 or more characters mixing letters and digits: the form of a generated token or secret. */
const OPAQUE = /^[A-Za-z0-9_+=~.-]{20,}$/;

/** Whether a value (a string, or any string within a list or object) may be a credential pasted in. */
export function looksLikeCredential(value: unknown): boolean {
  return stringsOf(value).some(isCredential);
}

const isCredential = (s: string): boolean =>
  CREDENTIAL_PREFIX.test(s) ||
  USER_INFO.test(s) ||
  (OPAQUE.test(s.trim()) && /[0-9]/.test(s) && /[A-Za-z]/.test(s));

/** The strings within a value. */
function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsOf);
  return [];
}

/** A string, trimmed, and the user info if it is a URL. */
function withParts(value: string): string[] {
  const url = tryUrl(value.trim());
  return [value, value.trim(), ...(url ? [url.username, url.password].map(decode) : [])];
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Replaces each text (case-insensitively, longest first) with "[secret]"; texts under 6 characters stay. */
function scrubber(texts: string[]): (reason: string) => string {
  const escaped = [...new Set(texts.filter((t) => t.length >= 6))]
    .sort((a, b) => b.length - a.length)
    .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (!escaped.length) return (reason) => reason;
  const pattern = new RegExp(escaped.join("|"), "gi");
  return (reason) => reason.replace(pattern, "[secret]");
}
