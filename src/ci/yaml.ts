// A small YAML writer for the workflow files: block mappings and sequences, quoted scalars, `|` blocks for scripts.

export type YamlValue =
  string | number | boolean | Script | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/** A multi-line script, written as a `|` literal block (what a reader of a workflow file expects). */
export class Script {
  constructor(readonly text: string) {}
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const key = (k: string) => (PLAIN_KEY.test(k) ? k : JSON.stringify(k));

/**
 * Scalars are written double-quoted (JSON strings are valid YAML 1.2 double-quoted scalars), except the plain words
 * a workflow file usually shows (`ubuntu-latest`, `main`) and GitHub expressions, so the file reads as hand-written.
 */
function scalar(value: string | number | boolean): string {
  if (typeof value !== "string") return String(value);
  const plain =
    /^[A-Za-z][A-Za-z0-9_./@-]*$/.test(value) && !/^(true|false|yes|no|on|off|null)$/i.test(value);
  if (plain) return value;
  // YAML single quotes take everything but a newline as is (a quote doubled): GitLab's `if:` reads best so.
  return /[\n']/.test(value) ? JSON.stringify(value) : `'${value}'`;
}

const block = (lead: string, script: Script, indent: string) => [
  `${lead} |`,
  ...script.text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => (l ? `${indent}  ${l}` : "")),
];

function lines(value: YamlValue, indent: string): string[] {
  if (value instanceof Script) throw new Error("a script is written only in a mapping or a sequence");
  if (Array.isArray(value))
    return value.flatMap((item: YamlValue) => {
      if (item instanceof Script) return block(`${indent}-`, item, indent);
      if (typeof item !== "object") return [`${indent}- ${scalar(item)}`];
      const [first, ...rest] = lines(item, `${indent}  `);
      return [`${indent}- ${first!.trimStart()}`, ...rest];
    });
  if (typeof value !== "object") return [`${indent}${scalar(value)}`];
  return Object.entries(value as Record<string, YamlValue>).flatMap(([k, v]) => {
    if (v instanceof Script) return block(`${indent}${key(k)}:`, v, indent);
    if (typeof v !== "object") return [`${indent}${key(k)}: ${scalar(v)}`];
    const empty = Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
    if (empty) return [`${indent}${key(k)}: ${Array.isArray(v) ? "[]" : "{}"}`];
    return [`${indent}${key(k)}:`, ...lines(v, Array.isArray(v) ? indent : `${indent}  `)];
  });
}

/** The document, with a leading comment block (each line prefixed `# `) and a final newline. */
export function toYaml(
  value: { readonly [key: string]: YamlValue },
  comment: readonly string[] = [],
): string {
  const head = comment.map((c) => (c ? `# ${c}` : "#"));
  return `${[...head, ...lines(value, "")].join("\n")}\n`;
}
