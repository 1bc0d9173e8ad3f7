// The Pulumi CLI stand-in (test infrastructure, started by test/engine/bin/pulumi): the subset of the `pulumi`
// command line that the README, the examples and the CI templates use, run on the test engine. Each command
// follows the pulumi/pulumi command named beside it; anything else fails saying what the stand-in supports.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { resolve } from "node:path";
import { loadState, saveEmptyCheckpoint, type CheckpointFile } from "../state-file";
import { bool, parse, str, type Parsed } from "./args";
import { getConfig, parseKey, plainValue, setConfig } from "./config";
import { CliError, EXIT, unsupported } from "./errors";
import { cancelUpdate } from "./lock";
import { runOperation } from "./operations";
import { stateDelete } from "./state";
import { readPassphrase } from "./passphrase";
import { interactive, requireStack, stackContext, stackCrypter, type StackContext } from "./context";
import {
  backendRoot,
  backendUrl,
  readStackConfig,
  selectStack,
  stackConfigPath,
  storeLogin,
  writeStackConfig,
} from "./workspace";
import { isSecretMarker, reveal } from "../secrets";

const env = process.env;
const print = (text: string) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);

function login(p: Parsed) {
  // pkg/cmd/pulumi/auth/login.go: `--local` is file://~; else the argument; else PULUMI_BACKEND_URL / stored.
  if (bool(p, "local") && p.args[0])
    throw new CliError("a URL may not be specified when --local mode is enabled");
  const url = bool(p, "local") ? "file://~" : (p.args[0] ?? backendUrl(env));
  mkdirSync(backendRoot(url), { recursive: true });
  if ((bool(p, "local") || p.args[0]) && env.PULUMI_BACKEND_URL && env.PULUMI_BACKEND_URL !== url)
    process.stderr.write(
      `Warning: The PULUMI_BACKEND_URL environment variable is set to '${env.PULUMI_BACKEND_URL}', which conflicts with the login URL '${url}'.\n`,
    );
  storeLogin(env, url);
  // diyBackend.Name is the host name, CurrentUser the OS user.
  print(`Logged in to ${hostname() || "diy"} as ${userInfo().username} (${url})`);
}

function stackCommand(p: Parsed, cwd: string) {
  const sub = p.command.split(" ")[1];
  if (p.args.length > 1 || (p.args[0] && str(p, "stack")))
    throw new CliError("only one of --stack or argument stack name may be specified, not both");
  const ctx = stackContext(p, cwd, p.args[0] ?? str(p, "stack"));
  if (sub === "init") {
    // pkg/backend/diy/backend.go CreateStack; the passphrase secrets manager set up as stack/secrets.go does.
    if (existsSync(ctx.state)) throw new CliError(`stack '${ctx.stack}' already exists`);
    stackCrypter(ctx.project, ctx.stack);
    mkdirSync(resolve(ctx.state, ".."), { recursive: true });
    saveEmptyCheckpoint(ctx.state, `organization/${ctx.project.name}/${ctx.stack}`);
    selectStack(env, ctx.project, ctx.url, ctx.stack);
    print(`Created stack '${ctx.stack}'`);
  } else if (sub === "select") {
    requireStack(ctx);
    selectStack(env, ctx.project, ctx.url, ctx.stack);
  } else if (sub === "rm") {
    requireStack(ctx);
    // pkg/cmd/pulumi/stack/stack_remove.go with ui.ConfirmDeletion
    if (!bool(p, "yes") && !interactive(p))
      throw new CliError(
        "--yes must be passed in to proceed when running in non-interactive mode",
        EXIT.configuration,
      );
    const { resources } = loadState(ctx.state, readPassphrase(env));
    if (resources.length && !bool(p, "force"))
      throw new CliError(
        `'${ctx.stack}' still has resources; removal rejected. Possible actions:\n` +
          `- Make sure that '${ctx.stack}' is the stack that you want to destroy\n` +
          "- Run `pulumi destroy` to delete the resources, then run `pulumi stack rm`\n" +
          "- Run `pulumi stack rm --force` to override this error",
      );
    rmSync(ctx.state);
    if (!bool(p, "preserve-config")) rmSync(stackConfigPath(ctx.project, ctx.stack), { force: true });
    selectStack(env, ctx.project, ctx.url, undefined);
    print(`Stack '${ctx.stack}' has been removed!`);
  } else if (sub === "output") {
    stackOutput(p, requireStack(stackContext(p, cwd)));
  } else {
    stackExport(requireStack(stackContext(p, cwd)));
  }
}

/** pkg/cmd/pulumi/stack/stack_output.go: one value, a table, or JSON; secrets "[secret]" without --show-secrets. */
function stackOutput(p: Parsed, ctx: StackContext) {
  const { outputs } = loadState(ctx.state, readPassphrase(env));
  const shown = Object.fromEntries(
    Object.entries(outputs).map(([k, v]) => [k, bool(p, "show-secrets") ? reveal(v) : blind(v)]),
  );
  const str1 = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  const name = p.args[0];
  if (name !== undefined) {
    if (!(name in shown)) throw new CliError(`current stack does not have output property '${name}'`);
    print(bool(p, "json") ? JSON.stringify(shown[name], null, 2) : str1(shown[name]));
  } else if (bool(p, "json")) {
    print(JSON.stringify(sortKeys(shown), null, 2));
  } else {
    const keys = Object.keys(shown).sort();
    const lines = [`Current stack outputs (${keys.length}):`];
    if (!keys.length) lines.push("    No output values currently in this stack");
    else {
      const w = Math.max("OUTPUT".length, ...keys.map((k) => k.length)) + 2;
      lines.push(`    ${"OUTPUT".padEnd(w)}VALUE`, ...keys.map((k) => `    ${k.padEnd(w)}${str1(shown[k])}`));
    }
    print(lines.join("\n"));
  }
}

/** display.MassageSecrets with a blinding provider: every secret becomes "[secret]". */
function blind(v: unknown): unknown {
  if (isSecretMarker(v)) return "[secret]";
  if (Array.isArray(v)) return v.map(blind);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blind(x)]));
  return v;
}

const sortKeys = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/**
 * `pulumi stack export`: the deployment as stored, secrets still encrypted, as an apitype.UntypedDeployment
 * {version: 3, deployment} (pkg/cmd/pulumi/stack/stack_export.go; a stack without a deployment exports an empty one).
 */
function stackExport(ctx: StackContext) {
  const stored = JSON.parse(readFileSync(ctx.state, "utf8")) as CheckpointFile;
  const deployment = stored.checkpoint.latest ?? {
    manifest: { time: "0001-01-01T00:00:00Z", magic: "", version: "" },
  };
  print(JSON.stringify({ version: 3, deployment }, null, 4));
}

/** cancel/cancel.go: the stack from the argument or --stack (not both); no prompt without a terminal. */
function cancel(p: Parsed, cwd: string) {
  if (p.args.length > 1 || (p.args[0] && str(p, "stack")))
    throw new CliError("only one of --stack or argument stack name may be specified, not both");
  const ctx = requireStack(stackContext(p, cwd, p.args[0] ?? str(p, "stack")));
  if (interactive(p) && !bool(p, "yes")) throw unsupported("`pulumi cancel` without --yes at a terminal");
  print(cancelUpdate(ctx));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function configCommand(p: Parsed, cwd: string) {
  const ctx = requireStack(stackContext(p, cwd));
  const { key, path } = parseKey(p.args[0] ?? "", ctx.project.name, bool(p, "path"));
  const file = readStackConfig(ctx.project, ctx.stack);
  const config = { ...file.config };
  if (p.command === "config get") {
    const value = getConfig(config, key, path);
    if (value === undefined)
      throw new CliError(`configuration key '${p.args[0]}' not found for stack '${ctx.stack}'`);
    const { text, secret } = plainValue(value, () => stackCrypter(ctx.project, ctx.stack));
    print(bool(p, "json") ? JSON.stringify({ value: text, secret }, null, 2) : text);
    return;
  }
  // pkg/cmd/pulumi/config/config.go configSetCmd.Run: the value from the argument, else all of stdin (not a
  // terminal) without its trailing newline, else an error in non-interactive mode.
  let value = p.args[1];
  if (p.args.length > 2) throw new CliError(`accepts between 1 and 2 arg(s), received ${p.args.length}`);
  if (value === undefined) {
    if (process.stdin.isTTY)
      throw new CliError("config value must be specified in non-interactive mode", EXIT.configuration);
    value = (await readStdin()).replace(/\r?\n$/, "");
  }
  const stored = bool(p, "secret") ? { secure: stackCrypter(ctx.project, ctx.stack).encrypt(value) } : value;
  setConfig(config, key, path, stored);
  writeStackConfig(ctx.project, ctx.stack, { ...readStackConfig(ctx.project, ctx.stack), config });
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const p = parse(argv);
    const cwd = resolve(str(p, "cwd") ?? ".");
    if (str(p, "cwd")) process.chdir(cwd);
    if (p.command === "login") login(p);
    else if (p.command.startsWith("stack ")) stackCommand(p, cwd);
    else if (p.command.startsWith("config ")) await configCommand(p, cwd);
    else if (p.command.startsWith("state ")) stateDelete(p, cwd);
    else if (p.command === "cancel") cancel(p, cwd);
    else await runOperation(p, cwd);
    return 0;
  } catch (e) {
    const err = e instanceof CliError ? e : new CliError(e instanceof Error ? e.message : String(e));
    // cmdutil.DisplayErrorMessage: "error: <message>" on stderr, unless a bail already reported it.
    if (!err.bail) process.stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
