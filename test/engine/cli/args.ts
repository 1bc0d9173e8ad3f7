// The stand-in's command line, parsed as cobra/pflag parses the CLI's: commands first, flags anywhere after them,
// `--flag value`, `--flag=value`, `-s value`, booleans as `--flag` or `--flag=false`, `--` ends the flags.
import { unsupported } from "./errors";

type FlagKind = "bool" | "string" | "list";
interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
}

const flag = (name: string, kind: FlagKind, short?: string): FlagSpec => ({ name, kind, short });

/** Persistent flags of the root command (pkg/cmd/pulumi/pulumi.go) that the stand-in honours. */
const GLOBAL = [
  flag("cwd", "string", "C"),
  flag("non-interactive", "bool"),
  flag("color", "string"),
  flag("emoji", "bool"),
];
const STACK = flag("stack", "string", "s");
const YES = flag("yes", "bool", "y");
const UPDATE = [
  STACK,
  YES,
  // No --diff: the CLI's diff display (pkg/backend/display/diff.go ShowDiffEvents: each step's properties, the
  // "Policy Packs run:" table) is not mirrored, so a line with --diff runs on the real CLI only.
  flag("expect-no-changes", "bool"),
  flag("policy-pack", "list"),
  flag("policy-pack-config", "list"),
  flag("skip-preview", "bool"),
  flag("suppress-outputs", "bool"),
  flag("show-secrets", "bool"),
];

/** pkg/cmd/pulumi/state/state_delete.go: `pulumi state remove`, aliases `rm` and `delete`. */
const STATE_DELETE = [
  STACK,
  YES,
  flag("force", "bool"),
  flag("all", "bool"),
  flag("target-dependents", "bool"),
];

/** Each command's own flags, as pkg/cmd/pulumi/{auth,stack,config,operations}/*.go declare them. */
const COMMANDS: Record<string, FlagSpec[]> = {
  login: [flag("local", "bool", "l")],
  cancel: [STACK, YES],
  "stack init": [STACK],
  "stack select": [STACK],
  "stack rm": [STACK, YES, flag("force", "bool", "f"), flag("preserve-config", "bool")],
  "stack output": [STACK, flag("json", "bool", "j"), flag("show-secrets", "bool")],
  "stack export": [STACK, flag("show-secrets", "bool")],
  "config set": [STACK, flag("secret", "bool"), flag("plaintext", "bool"), flag("path", "bool")],
  "config get": [STACK, flag("path", "bool"), flag("json", "bool", "j")],
  "state delete": STATE_DELETE,
  "state rm": STATE_DELETE,
  "state remove": STATE_DELETE,
  preview: UPDATE.filter((f) => f.name !== "yes" && f.name !== "skip-preview"),
  // `up -f` is --skip-preview (operations/up.go)
  up: UPDATE.map((f) => (f.name === "skip-preview" ? { ...f, short: "f" } : f)),
  // operations/refresh.go: --clear-pending-creates drops the pending creates an interrupted run left. No
  // --run-program: a refresh that runs the program diffs the reads against its registrations, not mirrored.
  refresh: [
    ...UPDATE.filter((f) => !f.name.startsWith("policy-pack")),
    flag("clear-pending-creates", "bool"),
  ],
  destroy: [...UPDATE.filter((f) => !f.name.startsWith("policy-pack")), flag("run-program", "bool")],
};

export interface Parsed {
  command: string;
  args: string[];
  flags: Map<string, string | boolean | string[]>;
}

export function parse(argv: readonly string[]): Parsed {
  const words = commandWords(argv);
  const two = words.slice(0, 2).join(" ");
  const command = COMMANDS[two] ? two : COMMANDS[words[0] ?? ""] ? words[0]! : undefined;
  if (!command) {
    const shown = words.length ? `\`pulumi ${words.slice(0, 2).join(" ")}\`` : "`pulumi` without a command";
    throw unsupported(shown);
  }
  const specs = [...GLOBAL, ...COMMANDS[command]!];
  const flags = new Map<string, string | boolean | string[]>();
  const args: string[] = [];
  let skip = command.split(" ").length;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith("-") || a === "-") {
      if (skip > 0) skip--;
      else args.push(a);
      continue;
    }
    const long = a.startsWith("--");
    const [name, inline] = long
      ? splitOnce(a.slice(2))
      : [a.slice(1, 2), a.length > 2 ? a.slice(2) : undefined];
    const spec = specs.find((s) => (long ? s.name === name : s.short === name));
    if (!spec) throw unsupported(`The flag ${a.split("=")[0]} of \`pulumi ${command}\``);
    if (spec.kind === "bool") {
      flags.set(spec.name, inline === undefined ? true : inline !== "false");
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`flag needs an argument: ${a}`);
    if (spec.kind === "list") flags.set(spec.name, [...((flags.get(spec.name) as string[]) ?? []), value]);
    else flags.set(spec.name, value);
  }
  return { command, args, flags };
}

/** The words before any positional argument, skipping flags and their values (for finding the command). */
function commandWords(argv: readonly string[]): string[] {
  const valued = new Set(
    [...GLOBAL, ...Object.values(COMMANDS).flat()]
      .filter((s) => s.kind !== "bool")
      .flatMap((s) => [`--${s.name}`, ...(s.short ? [`-${s.short}`] : [])]),
  );
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const a = argv[i]!;
    if (a === "--") break;
    if (a.startsWith("-")) {
      if (valued.has(a)) i++;
    } else words.push(a);
  }
  return words;
}

function splitOnce(s: string): [string, string | undefined] {
  const i = s.indexOf("=");
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

export const str = (p: Parsed, name: string) => p.flags.get(name) as string | undefined;
export const bool = (p: Parsed, name: string) => p.flags.get(name) === true;
export const list = (p: Parsed, name: string) => (p.flags.get(name) as string[] | undefined) ?? [];
