// How the Pulumi CLI stand-in fails: an error with the CLI's exit code (pkg/cmd/pulumi/cmd/exit_codes.go).
/** Exit codes of pkg/cmd/pulumi/cmd/exit_codes.go (ExitCodeFor). */
export const EXIT = {
  error: 1, // ExitCodeError: generic, and an update that failed (a "bail": diagnostics already shown)
  configuration: 2, // ExitConfigurationError: e.g. NoConfirmationInNonInteractiveError
  stackNotFound: 6, // ExitStackNotFound: StackNotFoundError, NoStackSelectedError
  noChanges: 7, // ExitNoChanges: NoChangesExpectedError (--expect-no-changes)
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
    /** A bail: the failure was already reported (result.IsBail), so main prints nothing more. */
    readonly bail = false,
  ) {
    super(message);
  }
}

/** What the stand-in supports, for every command or flag it does not (it never ignores one silently). */
const SUPPORTED = [
  "login [--local | file://<dir>]",
  "stack init|select|rm [NAME] [--yes] [--force]",
  "stack output [NAME] [--json] [--show-secrets]",
  "stack export",
  "cancel [NAME] [--yes]",
  "config set [--secret|--plaintext] [--path] KEY [VALUE]",
  "config get [--path] KEY",
  "state delete|rm|remove URN... [--yes] [--force] [--target-dependents] | --all",
  "preview | up | refresh | destroy [--yes] [--skip-preview] [--expect-no-changes]",
  "  destroy [--run-program], refresh [--clear-pending-creates]",
  "  [--policy-pack DIR]... [--policy-pack-config FILE]...",
  "global flags: --stack/-s NAME, --cwd/-C DIR, --non-interactive, --color never|always|auto|raw",
].join("\n    ");

export function unsupported(what: string): CliError {
  return new CliError(
    `${what} is not supported by the test engine's stand-in for the Pulumi CLI (test/engine/bin/pulumi), ` +
      `which runs programs on test/engine; install the Pulumi CLI for it. The stand-in supports:\n    ${SUPPORTED}`,
    EXIT.error,
  );
}
