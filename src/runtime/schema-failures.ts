// How a resource's input schema reports to `check`: one failure per property, naming a missing required one with
// what to set it to and an unknown one with the known names (never quoting a value).
import type { z } from "zod";
import type { CheckFailure } from "./shared-inputs";

export interface InputSchema {
  /** The resource's name in messages: `VcsProvider`. */
  readonly resource: string;
  /** What to set each required property to. */
  readonly required: Readonly<Record<string, string>>;
  readonly shape: Readonly<Record<string, unknown>>;
}

/** The schema's issues as check failures, one per property. */
export function schemaFailures(
  issues: readonly z.core.$ZodIssue[],
  props: Record<string, unknown>,
  schema: InputSchema,
): CheckFailure[] {
  return onePerProperty(issues.flatMap((issue) => failuresOf(issue, props, schema)));
}

function failuresOf(
  issue: z.core.$ZodIssue,
  props: Record<string, unknown>,
  schema: InputSchema,
): CheckFailure[] {
  const top = String(issue.path[0] ?? "");
  if (issue.path.length === 1 && schema.required[top] && props[top] === undefined)
    return [{ property: top, reason: `is required: set it to ${schema.required[top]}` }];
  // A union's own message is generic ("Invalid input"); its last branch (the real schema, after the preview's
  // unknown) says what is wrong, under its own path (e.g. connection.serviceKey).
  const branch = issue.code === "invalid_union" ? issue.errors.at(-1) : undefined;
  if (branch?.length)
    return branch.flatMap((inner) =>
      failuresOf({ ...inner, path: [...issue.path, ...inner.path] }, props, schema),
    );
  if (issue.code === "unrecognized_keys")
    return issue.keys.map((key) => ({
      property: pathText([...issue.path, key]),
      reason: `is not a property of ${issue.path.length ? "connection" : schema.resource}; remove it (known: ${
        issue.path.length ? "url, serviceAccount, serviceKey" : Object.keys(schema.shape).join(", ")
      })`,
    }));
  return [{ property: pathText(issue.path), reason: issue.message }];
}

/** `scopes[2]`, `connection.serviceKey`. */
const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (acc, part) =>
      typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    "",
  );

/** Several problems with one property become one failure that lists them all. */
export function onePerProperty(failures: CheckFailure[]): CheckFailure[] {
  const byProperty = new Map<string, string[]>();
  for (const f of failures) byProperty.set(f.property, [...(byProperty.get(f.property) ?? []), f.reason]);
  return [...byProperty].map(([property, reasons]) => ({ property, reason: reasons.join("; ") }));
}
