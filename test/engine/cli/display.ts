// What the Pulumi CLI prints for an operation without a terminal (the non-interactive progress display): the
// "<Action> (<stack>):" banner, one line per resource step, then Policies, Diagnostics and the summary (no Outputs).
// Shapes from pkg/backend/display (progress.go processEndSteps, printPolicies, printDiagnostics;
// diff.go renderSummaryEvent, renderDiffPolicyViolationEvent) and its testdata/*.non-interactive.stdout.txt;
// the banner from pkg/backend/diy/backend.go apply and pkg/backend/apply.go ActionLabel.
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
  ok: boolean;
  /** `--run-program`: how many resources the program registered (counted unchanged in the summary). */
  programSames?: number;
  /** The run's own error (EngineRun.error): printed by the command after the display, which then has no summary. */
  error?: string;
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
  // No Outputs section: the CLI prints the outputs as a diff against the last ones (object_diff.go: `+` for new
  // ones, `~` with old => new), which the stand-in does not mirror; `pulumi stack output` shows them.
  // progress.go: no summary after a mandatory policy violation, nor when the run ended with its own error.
  if (!mandatory && !v.error) summary(v, out);
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
    // Info lines (the provider host's and the program's output) print bare; warnings and errors with their level.
    const [urn, text] = m ? [m[2]!, `${m[1]}: ${m[3]}`] : [stackUrn, d.replace(/^info: /, "")];
    groups.set(urn, [...(groups.get(urn) ?? []), text]);
  }
  // The real CLI (v3.276.0) adds the stack's "error: preview failed" after mandatory violations too.
  // The stack's own error after a failed run: "preview failed", else "update failed" (refresh and destroy too).
  if (!v.ok && !v.error)
    groups.set(stackUrn, [
      ...(groups.get(stackUrn) ?? []),
      `error: ${v.preview ? "preview" : "update"} failed`,
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
  const add = (op: Op, n = 1) => counts.set(op, (counts.get(op) ?? 0) + n);
  // A failed run's stack resource also counts as errored (it carries the run's error), as the real CLI counts it;
  // its own step counts unless it is a destroy's delete, which a failed destroy never reaches.
  if (v.ok || v.kind !== "destroy" || v.preview) add(v.stackOp);
  for (const r of v.rows) if (!r.failed) add(r.op === "refresh" ? "same" : r.op);
  // `--run-program`: the program's registrations are same steps beside the refresh or the deletes.
  if (v.programSames) add("same", v.programSames);
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
  const errored = v.rows.filter((r) => r.failed).length + (v.ok ? 0 : 1);
  if (errored) out.push(`    ${errored} errored`);
  if (!v.preview) out.push("", `Duration: ${Math.ceil(v.durationMs / 1000)}s`);
  out.push("");
}
