// `pulumi preview | up | refresh | destroy` on the test engine, with the CLI's confirmation rules, its
// preview-then-execute sequence (pkg/backend/apply.go PreviewThenPromptThenExecute), its display and exit codes.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { LocalStack } from "../stack";
import { refresh as refreshRun } from "../operations";
import type { PolicyPackOptions } from "../analyzer";
import type { EngineRun } from "../types";
import { bool, list, type Parsed } from "./args";
import { programConfig } from "./config";
import { render, type Op, type Row, type RunView } from "./display";
import { CliError, EXIT } from "./errors";
import { encryptionSalt, interactive, requireStack, stackContext, stackCrypter } from "./context";
import { readPassphrase } from "./passphrase";
import { lockStack } from "./lock";
import { readStackConfig } from "./workspace";

type Kind = RunView["kind"];
const print = (text: string) => process.stdout.write(text);

/** --policy-pack DIR (repeatable) with --policy-pack-config FILE paired by position (operations/up.go). */
function policyPacks(p: Parsed, cwd: string): PolicyPackOptions[] {
  const dirs = list(p, "policy-pack");
  const configs = list(p, "policy-pack-config");
  if (configs.length > dirs.length)
    throw new CliError(
      "the number of --policy-pack-config flags must not exceed the number of --policy-pack flags",
      EXIT.configuration,
    );
  return dirs.map((dir, i) => {
    const file = configs[i] ? resolve(cwd, configs[i]) : undefined;
    if (file && !existsSync(file))
      throw new CliError(`reading policy pack config ${file}: file does not exist`);
    const config = file ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : undefined;
    return { dir: resolve(cwd, dir), ...(config ? { config } : {}) };
  });
}

function packVersion(dir: string): string {
  const pkg = resolve(dir, "package.json");
  return existsSync(pkg)
    ? String((JSON.parse(readFileSync(pkg, "utf8")) as { version?: string }).version ?? "")
    : "";
}

/** The URNs named by "error: <urn>: ..." diagnostics: their steps failed. */
const failedUrns = (diagnostics: string[]) =>
  new Set(diagnostics.map((d) => /^error: (urn:pulumi:\S+?): /.exec(d)?.[1]).filter((u): u is string => !!u));

export async function runOperation(p: Parsed, cwd: string): Promise<void> {
  const command = p.command as "preview" | "up" | "refresh" | "destroy";
  const kind: Kind = command === "preview" || command === "up" ? "update" : command;
  const yes = bool(p, "yes");
  const skipPreview = bool(p, "skip-preview");
  const isInteractive = interactive(p);
  // pkg/cmd/pulumi/operations/io.go updateFlagsToOptions: NoConfirmationInNonInteractiveError.
  if (command !== "preview" && !isInteractive && !yes && !skipPreview)
    throw new CliError(
      "--yes or --skip-preview or --preview-only must be passed in to proceed when running in non-interactive mode",
      EXIT.configuration,
    );
  const ctx = requireStack(stackContext(p, cwd));
  // diy backend.go: Update, Refresh and Destroy hold the stack's lock; Preview does not.
  if (command !== "preview") lockStack(ctx);
  const passphrase = readPassphrase(process.env);
  const file = readStackConfig(ctx.project, ctx.stack);
  const { config, secretKeys } = programConfig(file.config ?? {}, () => stackCrypter(ctx.project, ctx.stack));
  const packs = kind === "update" ? policyPacks(p, cwd) : [];
  const stack = new LocalStack({
    programDir: ctx.project.programDir,
    project: ctx.project.name,
    stack: ctx.stack,
    config,
    secretKeys,
    stateFile: ctx.state,
    passphrase,
    policyPacks: packs,
    showSecrets: bool(p, "show-secrets"),
    // The checkpoint names the stack as the diy backend does, its secrets provider the stack config's salt.
    checkpoint: { stack: `organization/${ctx.project.name}/${ctx.stack}`, salt: encryptionSalt(ctx) },
    // The Node language host sets PULUMI_NODEJS_TYPESCRIPT=true (unless Pulumi.yaml's runtime options turn
    // TypeScript off), so cmd/run loads index.ts with ts-node: sdk/nodejs/cmd/pulumi-language-nodejs/main.go.
    env: { PULUMI_NODEJS_TYPESCRIPT: "true" },
  });
  const prior = stack.state();
  const hadStack = prior.resources.some((r) => r.type === "pulumi:pulumi:Stack");
  const base = {
    kind,
    project: ctx.project.name,
    stack: ctx.stack,
    packs: [] as RunView["packs"],
    violations: [],
    diagnostics: [],
  };

  const updateView = (run: EngineRun, preview: boolean, started: number): RunView => {
    const failed = failedUrns(run.diagnostics);
    return {
      ...base,
      preview,
      stackOp: hadStack ? "same" : "create",
      rows: run.steps
        .filter((s) => !s.urn.includes("::pulumi:providers:"))
        .map((s) => ({ urn: s.urn, op: s.op, diffs: s.diffs, failed: failed.has(s.urn) })),
      // Mandatory violations are the Policies section's; the program's stdout is the stack's diagnostics.
      diagnostics: [
        ...run.stdout.split("\n").filter((l) => l.trim()),
        ...run.diagnostics.filter((d) => !d.includes("mandatory policy violation")),
      ],
      violations: run.violations,
      packs: (run.policyPacks ?? []).map((x, i) => ({
        ...x,
        dir: packs[i]?.dir ?? "",
        version: x.version || packVersion(packs[i]?.dir ?? ""),
      })),
      ok: run.ok,
      error: run.error,
      durationMs: Date.now() - started,
    };
  };
  const changed = (v: RunView) => v.stackOp !== "same" || v.rows.some((r) => r.op !== "same");
  /** Prints the run; a failed one ends the command as a bail (its diagnostics are the message), exit 1. */
  const show = (v: RunView) => {
    print(render(v));
    if (v.error) throw new CliError(v.error);
    if (!v.ok) throw new CliError(`${v.preview ? "preview" : kind} failed`, EXIT.error, true);
  };
  const expectNoChanges = (v: RunView) => {
    if (bool(p, "expect-no-changes") && changed(v))
      throw new CliError("no changes were expected but changes were proposed", EXIT.noChanges);
  };
  /** apply.go confirmBeforeUpdating: only with a terminal and without --yes. */
  const confirm = async () => {
    if (!isInteractive || yes) return;
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(`Do you want to perform this ${kind}? [yes/no] `);
    rl.close();
    if (answer.trim() !== "yes")
      throw new CliError("confirmation declined, not proceeding with the update", EXIT.error);
  };

  if (kind === "update") {
    const started = Date.now();
    if (command === "preview") {
      const preview = updateView(await stack.preview(), true, started);
      show(preview);
      expectNoChanges(preview);
      return;
    }
    if (isInteractive && !yes && !skipPreview) {
      // apply.go: preview, ask, then the update (which then runs without a second preview).
      show(updateView(await stack.preview(), true, started));
      await confirm();
      print("\n");
      const up = updateView(await stack.up({ skipPreview: true }), false, Date.now());
      show(up);
      return;
    }
    // The engine's up previews first unless --skip-preview, and stops there when the preview fails.
    const run = await stack.up({ skipPreview });
    if (run.preview) {
      const preview = updateView(run.preview, true, started);
      show(preview);
      expectNoChanges(preview);
      print("\n");
    }
    const up = updateView(run, false, started);
    show(up);
    expectNoChanges(up);
    return;
  }

  const stackOp: Op = kind === "destroy" ? "delete" : "same";
  const resourceRows = (urns: string[], op: Op): Row[] => urns.map((urn) => ({ urn, op }));
  // The default provider resource is not shown (the display hides default providers).
  const custom = prior.resources.filter(
    (r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
  );
  // --run-program: the program registers the stack and each resource again, same steps in the summary.
  const programSames = bool(p, "run-program") ? custom.length + (hadStack ? 1 : 0) : 0;
  if (!skipPreview) {
    // A refresh preview reads without saving (and fails on a failed read, "Preview failed: ..."); a destroy
    // preview lists the deletes, newest first.
    const read =
      kind === "refresh"
        ? await refreshRun({
            programDir: ctx.project.programDir,
            project: ctx.project.name,
            stack: ctx.stack,
            config,
            state: prior.resources,
            runProgram: bool(p, "run-program"),
            env: { PULUMI_NODEJS_TYPESCRIPT: "true" },
          })
        : undefined;
    const failed = failedUrns(read?.diagnostics ?? []);
    const rows = read
      ? read.drift
          .map((d): Row => ({ urn: d.urn, op: d.op, diffs: d.diffs }))
          .concat([...failed].map((urn): Row => ({ urn, op: "refresh", failed: true })))
      : resourceRows(custom.map((r) => r.urn).reverse(), "delete");
    const preview: RunView = {
      ...base,
      preview: true,
      stackOp: hadStack ? stackOp : "same",
      rows,
      diagnostics: (read?.diagnostics ?? []).map((d) =>
        d.replace(/^(error: urn:\S+?: )/, "$1Preview failed: "),
      ),
      programSames,
      ok: read?.ok ?? true,
      durationMs: 0,
    };
    show(preview);
    await confirm();
    print("\n");
  }
  const started = Date.now();
  if (kind === "refresh") {
    const r = await stack.refresh({
      runProgram: bool(p, "run-program"),
      clearPendingCreates: bool(p, "clear-pending-creates"),
    });
    const failed = failedUrns(r.diagnostics);
    show({
      ...base,
      preview: false,
      stackOp: "same",
      rows: r.drift
        .map((d): Row => ({ urn: d.urn, op: d.op, diffs: d.diffs }))
        .concat([...failed].map((urn): Row => ({ urn, op: "refresh", failed: true }))),
      diagnostics: r.diagnostics,
      programSames,
      ok: r.ok,
      durationMs: Date.now() - started,
    });
    expectNoChanges({
      ...base,
      preview: false,
      stackOp: "same",
      rows: r.drift.map((d) => ({ urn: d.urn, op: d.op })),
      ok: true,
      durationMs: 0,
    });
    return;
  }
  const d = await stack.destroy({ runProgram: bool(p, "run-program") });
  const failed = failedUrns(d.diagnostics);
  show({
    ...base,
    preview: false,
    stackOp: d.ok && hadStack ? "delete" : "same",
    rows: [
      ...resourceRows(d.deleted, "delete"),
      ...[...failed].map((urn): Row => ({ urn, op: "delete", failed: true })),
    ],
    diagnostics: d.diagnostics,
    programSames,
    ok: d.ok,
    durationMs: Date.now() - started,
  });
  if (d.ok)
    print(
      `The resources in the stack have been deleted, but the history and configuration associated with the stack are still maintained.\nIf you want to remove the stack completely, run \`pulumi stack rm ${ctx.stack}\`.\n`,
    );
}
