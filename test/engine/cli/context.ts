// The project, backend and stack a command of the Pulumi CLI stand-in works on, and the stack's crypter.
import { existsSync } from "node:fs";
import { bool, str, type Parsed } from "./args";
import { CliError, EXIT } from "./errors";
import { crypterFromState, newEncryptionSalt, readPassphrase, type Crypter } from "./passphrase";
import {
  backendUrl,
  findProject,
  readStackConfig,
  selectedStack,
  stackName,
  statePath,
  writeStackConfig,
  type Project,
} from "./workspace";

const env = process.env;

export interface StackContext {
  project: Project;
  url: string;
  stack: string;
  /** The stack's state file in the backend. */
  state: string;
}

/** cmdutil.Interactive: a terminal on both ends, not --non-interactive, not CI (sdk/go/common/util/cmdutil/term.go). */
export const interactive = (p: Parsed) =>
  !bool(p, "non-interactive") && !!process.stdin.isTTY && !!process.stdout.isTTY && !env.CI;

/** The project, backend and stack a command works on (pkg/cmd/pulumi/stack/io.go, RequireStack). */
export function stackContext(p: Parsed, cwd: string, name = str(p, "stack")): StackContext {
  const project = findProject(cwd);
  const url = backendUrl(env, project);
  const stack = name ? stackName(name, project) : selectedStack(env, project, url);
  // backenderr.NoStackSelectedError
  if (!stack) throw new CliError("no stack selected; specify a stack name with --stack", EXIT.stackNotFound);
  const state = statePath(url, project.name, stack);
  return { project, url, stack, state };
}

/** Fails with backenderr.StackNotFoundError unless the stack exists in the backend. */
export function requireStack(ctx: StackContext): StackContext {
  if (!existsSync(ctx.state)) throw new CliError(`no stack named '${ctx.stack}' found`, EXIT.stackNotFound);
  return ctx;
}

/** The stack's config crypter, creating `encryptionsalt` when missing (pkg/cmd/pulumi/stack/secrets.go). */
export function stackCrypter(project: Project, stack: string): Crypter {
  const file = readStackConfig(project, stack);
  const phrase = readPassphrase(env);
  if (file.encryptionsalt) return crypterFromState(phrase, file.encryptionsalt);
  const created = newEncryptionSalt(phrase);
  writeStackConfig(project, stack, { ...file, encryptionsalt: created.state });
  return created.crypter;
}

/** The stack config's `encryptionsalt` (made when missing): the passphrase secrets manager's state. */
export function encryptionSalt(ctx: StackContext): string {
  stackCrypter(ctx.project, ctx.stack);
  return readStackConfig(ctx.project, ctx.stack).encryptionsalt!;
}
