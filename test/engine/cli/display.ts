// What the Pulumi CLI prints for an operation without a terminal (the non-interactive progress display): the
// "<Action> (<stack>):" banner, one line per resource step, then Policies, Diagnostics, Outputs and the summary.
// Shapes from pkg/backend/display (progress.go processEndSteps, printPolicies, printDiagnostics, printOutputs;
// diff.go renderSummaryEvent, renderDiffPolicyViolationEvent) and its testdata/*.non-interactive.stdout.txt;
// the banner from pkg/backend/diy/backend.go apply and pkg/backend/apply.go ActionLabel.
import { UNKNOWN } from "../../harness/provider-host";
import { isSecretMarker } from "../secrets";
import type { PolicyViolation } from "../types";

export type Op = "create" | "update" | "replace" | "same" | "delete" | "import" | "read" | "refresh";

export interface Row {
  urn: string;
  op: Op;
  diffs?: string[];
  failed?: boolean;
}

export interface RunView {
  kind: "update" | "refresh" | "destroy";
  preview: boolean;
  project: string;
  stack: string;
  /** The stack resource's own step: create on a first update, delete on a destroy, same otherwise. */
  stackOp: Op;
  rows: Row[];
  /** Engine lines: "error: <urn>: message", "warning: message", ... */
  diagnostics: string[];
  violations: PolicyViolation[];
  packs: { name: string; version: string; dir: string }[];
  outputs?: Record<string, unknown>;
  showSecrets: boolean;
  ok: boolean;
  durationMs: number;
}

/** deploy.Prefix (pkg/resource/deploy/step.go): the two-character op symbol. */
const PREFIX: Record<Op, string> = {
  same: "  ",
  create: "+ ",
  update: "~ ",
  delete: "- ",
  replace: "+-",
  read: "> ",
  import: "= ",
  refresh: "~ ",
};
/** Present participle and past tense as the progress display and deploy.PastTense use them. */
const ING: Record<Op, string> = {
  same: "",
  create: "creating",
  update: "updating",
  delete: "deleting",
  replace: "replacing",
  read: "reading",
  import: "importing",
  refresh: "refreshing",
};
const PAST: Record<Op, string> = {
  same: "",
  create: "created",
  update: "updated",
  delete: "deleted",
  replace: "replaced",
  read: "read",
  import: "imported",
  refresh: "refreshed",
};
/** deploy.StepOps order, for the summary. */
const SUMMARY_ORDER: Op[] = ["create", "update", "delete", "replace", "import"];

const typeOf = (urn: string) => urn.split("::")[2]?.split("$").pop() ?? urn;
const nameOf = (urn: string) => urn.split("::").slice(3).join("::");

/** The banner: "Previewing update (dev):", "Updating (dev):", "Refreshing (dev):", "Destroying (dev):". */
function banner(kind: RunView["kind"], preview: boolean, stack: string): string {
  const [noun, verb] = {
    update: ["update", "Updating"],
    refresh: ["refresh", "Refreshing"],
    destroy: ["destroy", "Destroying"],
  }[kind];
  return `${preview ? `Previewing ${noun}` : verb} (${stack}):`;
}

export function render(v: RunView): string {
  const out: string[] = [banner(v.kind, v.preview, v.stack), ""];
  const stackUrn = `urn:pulumi:${v.stack}::${v.project}::pulumi:pulumi:Stack::${v.project}-${v.stack}`;
  const line = (op: Op, urn: string, status: string, diffs?: string[]) => {
    const diff = diffs?.length ? ` [diff: ${diffs.map((d) => `~${d}`).join(", ")}]` : "";
    out.push(` ${PREFIX[op]} ${typeOf(urn)} ${nameOf(urn)} ${status}${diff} `);
  };
  // The stack row first ("running" when it exists), each step, and the stack row again when done.
  line(
    v.stackOp,
    stackUrn,
    v.preview ? (v.stackOp === "same" ? "" : v.stackOp) : v.stackOp === "same" ? "running" : ING[v.stackOp],
  );
  for (const r of v.rows) {
    if (r.op === "same") continue;
    if (v.preview) line(r.op, r.urn, r.op, r.diffs);
    else {
      line(r.op, r.urn, ING[r.op]);
      line(r.op, r.urn, r.failed ? `**${ING[r.op]} failed**` : PAST[r.op], r.diffs);
    }
  }
  line(v.stackOp, stackUrn, v.preview ? (v.stackOp === "same" ? "" : v.stackOp) : PAST[v.stackOp]);

  const mandatory = policies(v, out);
  diagnosticsSection(v, stackUrn, out);
  if (v.outputs && Object.keys(v.outputs).length && v.kind !== "destroy") {
    out.push("Outputs:");
    for (const l of printObject(v.outputs, 1, v.showSecrets)) out.push(l);
    out.push("");
  }
  // progress.go: no summary after a mandatory policy violation.
  if (!mandatory) summary(v, out);
  return `${out.join("\n")}\n`;
}

function policies(v: RunView, out: string[]): boolean {
  if (!v.packs.length) return false;
  let mandatory = false;
  out.push("Policies:");
  for (const pack of [...v.packs].sort((a, b) => a.name.localeCompare(b.name))) {
    const own = v.violations
      .filter((x) => x.pack === pack.name)
      .sort(
        (a, b) =>
          (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1) ||
          a.policyName.localeCompare(b.policyName) ||
          a.urn.localeCompare(b.urn),
      );
    const mark = own.some((x) => x.level === "mandatory") ? "❌" : own.length ? "⚠️" : "✅";
    mandatory ||= mark === "❌";
    out.push(`    ${mark} ${pack.name}@v${pack.version} (local: ${pack.dir})`);
    for (const x of own) {
      // renderDiffPolicyViolationEvent with policyResourceClause: "  (<type>: <name>)" for a resource's.
      const clause =
        x.urn && !x.urn.endsWith("::pulumi:pulumi:Stack") && x.urn.includes("::")
          ? `  (${typeOf(x.urn)}: ${nameOf(x.urn)})`
          : "";
      out.push(`        - [${x.level}]  ${x.policyName}${clause}`);
      for (const l of x.message.replace(/\n+$/, "").split("\n")) out.push(`          ${l}`);
    }
  }
  out.push("");
  return mandatory;
}

/** "Diagnostics:", grouped by resource ("  <type> (<name>):"), each line indented by four. */
function diagnosticsSection(v: RunView, stackUrn: string, out: string[]) {
  const groups = new Map<string, string[]>();
  for (const d of v.diagnostics) {
    const m = /^(\w+): (urn:pulumi:\S+?): ([\s\S]*)$/.exec(d);
    const [urn, text] = m ? [m[2]!, `${m[1]}: ${m[3]}`] : [stackUrn, d];
    groups.set(urn, [...(groups.get(urn) ?? []), text]);
  }
  if (
    !v.ok &&
    !v.diagnostics.some((d) => d.startsWith("error:")) &&
    !v.violations.some((x) => x.level === "mandatory")
  )
    groups.set(stackUrn, [
      ...(groups.get(stackUrn) ?? []),
      `error: ${v.preview ? "preview" : v.kind} failed`,
    ]);
  if (!groups.size) return;
  out.push("Diagnostics:");
  for (const [urn, texts] of groups) {
    out.push(`  ${typeOf(urn)} (${nameOf(urn)}):`);
    for (const t of texts) for (const l of t.split("\n")) out.push(`    ${l}`.trimEnd());
    out.push("");
  }
}

/** renderSummaryEvent: "Resources:", "+ N to create" or "+ N created", the total when several kinds, unchanged. */
function summary(v: RunView, out: string[]) {
  const counts = new Map<Op, number>();
  const add = (op: Op) => counts.set(op, (counts.get(op) ?? 0) + 1);
  add(v.stackOp);
  for (const r of v.rows) if (!r.failed) add(r.op === "refresh" ? "same" : r.op);
  out.push("Resources:");
  let kinds = 0;
  let total = 0;
  for (const op of SUMMARY_ORDER) {
    const c = counts.get(op) ?? 0;
    if (!c) continue;
    kinds++;
    total += c;
    out.push(`    ${PREFIX[op]}${c} ${v.preview ? `to ${op}` : PAST[op]}`);
  }
  const pieces = [...(kinds >= 2 ? [`${total} ${total === 1 ? "change" : "changes"}`] : [])];
  if (counts.get("same")) pieces.push(`${counts.get("same")} unchanged`);
  if (pieces.length) out.push(`    ${pieces.join(". ")}`);
  const errored = v.rows.filter((r) => r.failed).length;
  if (errored) out.push(`    ${errored} errored`);
  if (!v.preview) out.push("", `Duration: ${Math.ceil(v.durationMs / 1000)}s`);
  out.push("");
}

/** Stack outputs as the display prints property values (object_diff.go): strings quoted, secrets "[secret]". */
function printObject(obj: Record<string, unknown>, indent: number, showSecrets: boolean): string[] {
  const keys = Object.keys(obj).sort();
  const width = Math.max(0, ...keys.map((k) => k.length));
  return keys.flatMap((k) => printValue(`${k.padEnd(width)}: `, obj[k], indent, showSecrets));
}

function printValue(head: string, v: unknown, indent: number, showSecrets: boolean): string[] {
  const pad = "    ".repeat(indent);
  if (isSecretMarker(v))
    return showSecrets ? printValue(head, v.value, indent, showSecrets) : [`${pad}${head}[secret]`];
  if (Array.isArray(v)) {
    if (!v.length) return [`${pad}${head}[]`];
    const items = v.flatMap((x, i) => printValue(`[${i}]: `, x, indent + 1, showSecrets));
    return [`${pad}${head}[`, ...items, `${pad}]`];
  }
  if (v !== null && typeof v === "object") {
    const inner = printObject(v as Record<string, unknown>, indent + 1, showSecrets);
    return inner.length ? [`${pad}${head}{`, ...inner, `${pad}}`] : [`${pad}${head}{}`];
  }
  // An unknown (a preview's computed value) prints as output<string> (object_diff.go, printPropertyValue).
  if (v === UNKNOWN) return [`${pad}${head}output<string>`];
  return [`${pad}${head}${typeof v === "string" ? JSON.stringify(v) : String(v)}`];
}
