// How the Pulumi CLI turns a Check failure into the text a user reads: the diag templates, Go's `%v` of a
// resource.PropertyValue, and the filter that replaces secure stack-config values with "[secret]".
import { UNKNOWN } from "../harness/provider-host";
import { isSecretMarker } from "./secrets";

/** Go's `%v` of a float64: strconv.FormatFloat(f, 'g', -1, 64), shortest digits, exponent form when the exponent is
 * below -4 or at least 6 (strconv/ftoa.go: "if precision was the shortest possible, use precision 6"), e.g. 1e+06. */
function goFloat(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const [mantissa, expText] = n.toExponential().split("e");
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? "-" : "+";
    const abs = Math.abs(exp);
    return `${mantissa}e${sign}${abs < 10 ? `0${abs}` : abs}`;
  }
  return String(n);
}

/**
 * `%v` of a resource.PropertyValue as the CLI prints it (sdk/go/common/resource/properties.go PropertyValue.String:
 * `fmt.Sprintf("{%v}", v.V)`): strings bare, numbers as Go floats, null as `<nil>`, arrays `[{a} {b}]`, objects
 * `map[k:{v}]` with sorted keys (fmt sorts map keys), a secret `&{{plaintext}}` (a *Secret printed at depth 0), an
 * unknown `output<string>{}` (Computed.String: its TypeString then `{}`).
 */
export function goPropertyValue(v: unknown): string {
  if (v === UNKNOWN) return "output<string>{}";
  return `{${goInner(v)}}`;
}

function goInner(v: unknown): string {
  if (v === undefined || v === null) return "<nil>";
  if (isSecretMarker(v)) return `&{${goPropertyValue(v.value)}}`;
  if (typeof v === "string") return v;
  if (typeof v === "number") return goFloat(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(goPropertyValue).join(" ")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, e]) => e !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, e]) => `${k}:${goPropertyValue(e)}`).join(" ")}]`;
  }
  return String(v);
}

/**
 * `PropertyValue.RedactSecrets` (sdk/go/common/resource/properties.go@v3.276.0): the value with every secret, at any
 * depth, replaced by the string "[secret]" (so a secret prints `{[secret]}`), then printed as `goPropertyValue`.
 */
export function goRedacted(v: unknown): string {
  const redact = (x: unknown): unknown => {
    if (isSecretMarker(x)) return "[secret]";
    if (Array.isArray(x)) return x.map(redact);
    if (x !== null && typeof x === "object")
      return Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([k, e]) => [k, redact(e)]));
    return x;
  };
  return goPropertyValue(redact(v));
}

/**
 * One Check failure as the CLI reports it (pkg/resource/deploy/step_generator.go@v3.276.0 issueCheckFailures,
 * templates from sdk/go/common/diag/errors.go): GetResourcePropertyInvalidValueError with `inputs[failure.Property]`
 * (a top-level lookup, so a nested path prints `{<nil>}`), its secrets redacted unless `--show-secrets`
 * (pulumi/pulumi#22310; v3.259.0 printed them in plaintext), or GetResourceInvalidError when the property is empty.
 * `inputs` are the program's inputs as the engine holds them (new.Inputs: secrets still secret). A value the
 * program did not mark secret (read from a file or the environment) is printed as it is.
 */
export function checkFailureMessage(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  failure: { property: string; reason: string },
  showSecrets = false,
): string {
  if (failure.property === "") return `${type} resource '${name}' has a problem: ${failure.reason}`;
  const value = Object.hasOwn(inputs, failure.property) ? inputs[failure.property] : null;
  const printed = showSecrets ? goPropertyValue(value) : goRedacted(value);
  return `${type} resource '${name}': property ${failure.property} value ${printed} has a problem: ${failure.reason}`;
}

/**
 * The CLI's filter on everything it displays (pkg/engine/events.go makeEventEmitter → logging.AddGlobalSecretFilter,
 * sdk/go/common/util/logging/log.go replacements): the plaintext of every secure stack-config value becomes
 * "[secret]", also JSON-escaped; values shorter than 3 characters and "true"/"false" are not filtered. Nothing else
 * is redacted.
 */
export function secretFilter(secureValues: readonly string[]): (text: string) => string {
  const pairs: [string, string][] = [];
  for (const s of new Set(secureValues)) {
    if (s.length < 3 || s.toLowerCase() === "true" || s.toLowerCase() === "false") continue;
    pairs.push([s, "[secret]"]);
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) pairs.push([escaped, "[secret]"]);
  }
  if (pairs.length === 0) return (text) => text;
  // strings.NewReplacer: at each position the first matching pair, in argument order, wins.
  return (text) => {
    let out = "";
    let i = 0;
    outer: while (i < text.length) {
      for (const [from, to] of pairs) {
        if (text.startsWith(from, i)) {
          out += to;
          i += from.length;
          continue outer;
        }
      }
      out += text[i];
      i += 1;
    }
    return out;
  };
}
