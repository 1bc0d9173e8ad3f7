// What a user sees of a `pulumi` command, normalized so that the stand-in's and the real CLI's can be compared
// field by field: the exit code, the command's own errors (stderr), the banners, the resource lines (each row's
// result, without times and the live display's messages), the Policies / Diagnostics / Resources sections of each
// phase (Diagnostics as a set of messages per resource: their order follows parallel steps), and the state
// (`pulumi stack export`) without times, versions, source positions, ids and other per-run values. Not compared:
// the Outputs section (the CLI prints it as a diff, which the stand-in does not mirror) and the live display's
// spinner and progress lines.
import type { CliResult } from "./cli-lines";

export interface Seen {
  code: number;
  errors: string[];
  banners: string[];
  rows: string[];
  sections: Record<string, string[]>;
}

/** Replaces each `from` (a run's URLs, directories) by its placeholder, longest first. */
export type Placeholders = Record<string, string>;

export function normalizeText(text: string, placeholders: Placeholders): string {
  let out = text.replace(/\r/g, "");
  for (const [from, to] of Object.entries(placeholders).sort(([a], [b]) => b.length - a.length))
    if (from) out = out.split(from).join(to);
  return out
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "<uuid>")
    .replace(/\(pid \d+\) at \S+/g, "(pid <pid>) at <time>")
    .replace(/externalVersionControls\/\d+/g, "externalVersionControls/<id>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>");
}

const BANNER = /^(Previewing (update|refresh|destroy)|Updating|Refreshing|Destroying) \(\S+\):$/;
const SECTION = /^(Policies|Diagnostics|Outputs|Resources):$/;
const ROW = /^ (.{2}) (\S+:\S+) (\S+) ?(.*?)\s*$/;

export function seen(r: CliResult, placeholders: Placeholders): Seen {
  const stdout = normalizeText(r.stdout, placeholders).split("\n");
  const stderr = normalizeText(r.stderr, placeholders).split("\n");
  const banners: string[] = [];
  const rows = new Set<string>();
  const sections: Record<string, string[]> = {};
  let current: string[] | undefined;
  for (const line of stdout) {
    if (BANNER.test(line)) {
      banners.push(line);
      current = undefined;
      continue;
    }
    const section = SECTION.exec(line);
    if (section) {
      current = sections[`${banners.length}:${section[1]}`] = [];
      continue;
    }
    const row = ROW.exec(line);
    if (row && !line.startsWith("    ")) {
      current = undefined;
      // The stack's own row and rows still in progress ("creating (0s)") are the live display's, not a result.
      const [, op, type, name, status] = row;
      const final = status!
        .replace(/\s*\(\d+(\.\d+)?s\)/, "")
        .replace(/ (error|warning): .*$|;? \d+ (errors?|warnings?|messages?)\b.*$/, "")
        .trim();
      if (type !== "pulumi:pulumi:Stack" && final && !/ing$/.test(final))
        rows.add(`${op} ${type} ${name} ${final}`);
      continue;
    }
    if (
      /^(Duration: |The resources in the stack have been deleted|If you want to remove the stack)/.test(line)
    ) {
      current = undefined;
      continue;
    }
    if (/^@ |^Loading policy packs\.\.\./.test(line)) continue;
    current?.push(line.trimEnd());
  }
  for (const [key, lines] of Object.entries(sections)) {
    if (key.endsWith(":Outputs")) delete sections[key];
    else if (key.endsWith(":Diagnostics")) sections[key] = diagnostics(lines);
    else while (lines.length && !lines.at(-1)) lines.pop();
  }
  return {
    code: r.code,
    errors: stderr.filter((l) => l.trim()),
    banners,
    rows: [...rows].sort(),
    sections,
  };
}

/**
 * "  <type> (<name>):" groups of messages (a message: a line at four spaces and its deeper continuation lines), as
 * sorted `<group>: <message>` entries; blank lines dropped.
 */
function diagnostics(lines: string[]): string[] {
  const entries: string[] = [];
  let group = "";
  for (const line of lines) {
    if (!line.trim()) continue;
    if (/^ {2}\S/.test(line)) group = line.trim();
    else if (/^ {4}\S/.test(line) || !entries.length) entries.push(`${group} ${line.trim()}`);
    else entries[entries.length - 1] += `\n${line.trim()}`;
  }
  // The "* <urn>, interrupted while creating" list of the pending-operations warning: in the state's order.
  const listSorted = (e: string) => {
    const ls = e.split("\n");
    const items = ls.filter((l) => l.startsWith("* ")).sort();
    return ls.map((l) => (l.startsWith("* ") ? items.shift()! : l)).join("\n");
  };
  return entries.map(listSorted).sort();
}

type Json = Record<string, unknown>;

/** `pulumi stack export` without what differs from run to run or between CLI versions. */
export function normalizeExport(text: string, placeholders: Placeholders): unknown {
  const { deployment } = JSON.parse(normalizeText(text, placeholders)) as { deployment: Json };
  const resource = (r: Json): Json => {
    const { created: _c, modified: _m, sourcePosition: _s, stackTrace: _t, id, provider, ...rest } = r;
    return {
      ...rest,
      ...(id !== undefined ? { id: String(r.type).startsWith("pulumi:providers:") ? "<uuid>" : id } : {}),
      ...(provider !== undefined ? { provider: String(provider).replace(/::[^:]+$/, "::<id>") } : {}),
    };
  };
  const ciphertexts = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(ciphertexts)
      : v && typeof v === "object"
        ? "ciphertext" in v
          ? "[ciphertext]"
          : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ciphertexts(x)]))
        : v;
  const byUrn = (a: Json, b: Json) => String(a.urn).localeCompare(String(b.urn));
  return ciphertexts({
    resources: ((deployment.resources as Json[] | undefined) ?? []).map(resource).sort(byUrn),
    pending_operations: ((deployment.pending_operations as Json[] | undefined) ?? [])
      .map((op) => ({ type: op.type, resource: resource(op.resource as Json) }))
      .sort((a, b) => byUrn(a.resource, b.resource)),
  });
}
