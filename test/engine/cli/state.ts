// `pulumi state delete|rm|remove` of the Pulumi CLI stand-in: removes resources from the stack's state without
// touching them, as pkg/cmd/pulumi/state/state_delete.go does (with io.go's URN lookup and pkg/resource/edit's
// DeleteResource: protected resources need --force, resources others depend on need --target-dependents).
import { bool, type Parsed } from "./args";
import { interactive, requireStack, stackContext } from "./context";
import { CliError, unsupported } from "./errors";
import { readPassphrase } from "./passphrase";
import { loadState, saveState } from "../state-file";
import type { ResourceState } from "../types";

const print = (text: string) => process.stdout.write(`${text}\n`);

/** io.go listURNsHint(""). */
const LIST_HINT =
  "To list the resource URNs in the stack, run `pulumi stack --show-urns`; " +
  "to inspect the full state, run `pulumi stack export`.";

export function stateDelete(p: Parsed, cwd: string): void {
  const yes = bool(p, "yes") || isTruthy(process.env.PULUMI_SKIP_CONFIRMATIONS);
  const all = bool(p, "all");
  if (all && p.args.length) throw new CliError("cannot specify a resource URN when deleting all resources");
  if (!all && !p.args.length) {
    // getURNFromState's picker needs a terminal; without one io.go missingNonInteractiveArg.
    if (!interactive(p)) throw new CliError("Must supply <resource URN> unless pulumi is run interactively");
    throw unsupported("Choosing the resource of `pulumi state delete` at a prompt (pass its URN)");
  }
  // io.go TotalStateEdit asks "This command will edit your stack's state directly. Confirm?" only on a terminal.
  if (!yes && interactive(p)) throw unsupported("Confirming `pulumi state delete` at a prompt (pass --yes)");
  const ctx = requireStack(stackContext(p, cwd));
  const passphrase = readPassphrase(process.env);
  const state = loadState(ctx.state, passphrase);
  let resources = [...state.resources];
  const force = bool(p, "force");
  const targetDependents = bool(p, "target-dependents");

  const remove = (condemned: ResourceState) => {
    checkProtected(condemned, force);
    const deps = dependents(resources, condemned);
    if (deps.length && !targetDependents) {
      // state_delete.go: edit.ResourceHasDependenciesError
      const lines = deps.map((d) => ` * ${JSON.stringify(d.name).padEnd(15)} (${d.urn})`);
      throw new CliError(
        `${condemned.urn} can't be safely deleted because the following resources depend on it:\n` +
          `${lines.join("\n")}\n\nDelete those resources first or pass --target-dependents.`,
      );
    }
    for (const d of deps) checkProtected(d, force);
    resources = resources.filter((r) => r !== condemned && !deps.includes(r));
  };

  let count = 0;
  if (all) [...resources].reverse().forEach((r) => resources.includes(r) && remove(r));
  else {
    const targets = p.args.map((arg) => locate(resources, arg));
    // computeStateDeleteOrder: a target whose dependents are targets too goes after them.
    const order: ResourceState[] = [];
    const remaining = new Set(targets);
    while (remaining.size) {
      const next = [...remaining].find((t) => !dependents(resources, t).some((d) => remaining.has(d)));
      if (!next)
        throw new CliError(
          "could not order deletions: selected resources have cyclic or conflicting dependencies; " +
            "try deleting them one at a time",
        );
      order.push(next);
      remaining.delete(next);
    }
    for (const r of order) remove(r);
    count = order.length;
  }
  saveState(ctx.state, passphrase, { ...state, resources });
  print(all ? "Resources deleted" : count === 1 ? "Resource deleted" : `${count} resources deleted`);
}

const isTruthy = (v: string | undefined) => v === "1" || v?.toLowerCase() === "true";

function checkProtected(r: ResourceState, force: boolean): void {
  if (!r.protect) return;
  if (!force)
    throw new CliError(
      `${r.urn} can't be safely deleted because it is protected. Re-run this command with --force to force deletion`,
    );
  process.stderr.write(`warning: deleting protected resource ${r.urn} due to presence of --force\n`);
}

/**
 * graph.DependencyGraph.OnlyDependsOn, for the links this state keeps: a provider's dependents are the resources
 * whose provider reference (`<urn>::<id>`) names it; the stack resource's are all the others (their parent); and
 * transitively.
 */
function dependents(resources: readonly ResourceState[], res: ResourceState): ResourceState[] {
  const found = new Set<ResourceState>([res]);
  for (const candidate of resources) {
    if (found.has(candidate)) continue;
    const parentIsIn = [...found].some((f) => f.type === "pulumi:pulumi:Stack");
    const providerIsIn = [...found].some((f) => candidate.provider === `${f.urn}::${f.id}`);
    if (parentIsIn || providerIsIn) found.add(candidate);
  }
  found.delete(res);
  return [...found];
}

/** io.go resolveStateResourceArg and locateStackResource, non-interactive. */
function locate(resources: readonly ResourceState[], arg: string): ResourceState {
  if (!arg.startsWith("urn:pulumi:") || arg.split("::").length - 1 < 3)
    throw new CliError(`${JSON.stringify(arg)} is not a valid resource URN\n${LIST_HINT}`);
  const found = resources.filter((r) => r.urn === arg);
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw new CliError(
      `Resource URN ambiguously referred to multiple resources. Did you mean:\n${found.map((r) => `  ${r.id}\n`).join("")}`,
    );
  // io.go resourceNotFoundError with similarURNs: up to 3 URNs within an edit distance of max(2, len/4).
  const threshold = Math.max(2, Math.floor(arg.length / 4));
  const similar = [...new Set(resources.map((r) => r.urn))]
    .map((urn) => ({ urn, d: distance(arg.toLowerCase(), urn.toLowerCase()) }))
    .filter((c) => c.d <= threshold)
    .sort((a, b) => a.d - b.d)
    .slice(0, 3);
  const suggestions = similar.length ? `Did you mean:\n${similar.map((c) => `  ${c.urn}\n`).join("")}` : "";
  throw new CliError(
    `No such resource ${JSON.stringify(arg)} exists in the current state\n${suggestions}${LIST_HINT}`,
  );
}

/** Levenshtein distance with substitution cost 1 (levenshtein.DefaultOptionsWithSub). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
