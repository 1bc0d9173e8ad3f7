// Pulumi's secret rules as the engine applies them: the SDK's secret marker, stripping secrets before a provider
// call, and re-marking outputs that were secret inputs or that the resource names in additionalSecretOutputs.

type Props = Record<string, unknown>;

/** Pulumi's secret marker, as the SDK sends secret values and expects secret outputs back. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretMarker(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Props)[SECRET_SIG] === SECRET_VALUE;
}

export function markSecret(value: unknown): Props {
  return { [SECRET_SIG]: SECRET_VALUE, value };
}

/** Removes every secret marker, recursively. */
export function reveal(value: unknown): unknown {
  if (isSecretMarker(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

function containsSecret(value: unknown): boolean {
  if (isSecretMarker(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsSecret);
  return false;
}

/** Plain values plus the top-level keys that held a secret anywhere inside. */
export function stripSecrets(object: Props): { plain: Props; secretKeys: string[] } {
  return {
    plain: reveal(object) as Props,
    secretKeys: Object.keys(object).filter((k) => containsSecret(object[k])),
  };
}

/** `outputs` with the values of `secretKeys` wrapped in secret markers. */
export function remark(outputs: Props, secretKeys: readonly string[]): Props {
  return Object.fromEntries(
    Object.entries(outputs).map(([k, v]) => [k, secretKeys.includes(k) ? markSecret(v) : v]),
  );
}
