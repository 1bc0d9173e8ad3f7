// Errors of the console client: the console's own message, quoted, with the operation and what to do about it.

/** gRPC code names, as the console (grpc-gateway) reports them in `{code, message}` error bodies. */
const GRPC_CODES: Record<number, string> = {
  3: "InvalidArgument",
  5: "NotFound",
  6: "AlreadyExists",
  7: "PermissionDenied",
  8: "ResourceExhausted",
  9: "FailedPrecondition",
  13: "Internal",
  14: "Unavailable",
  16: "Unauthenticated",
};

/** Advice per HTTP status, for the console's answers that a user can act on. */
const ADVICE: Record<number, string> = {
  401: "check bytebase:serviceAccount / bytebase:serviceKey (or BYTEBASE_SERVICE_ACCOUNT / BYTEBASE_SERVICE_KEY)",
  403: "give the service account the workspace Admin or DBA role (Settings > Members) or use one that has it",
  429: "the console is rate limiting; run again later",
  503: "the console is unavailable; run again when it is back",
};

/** The console answered with an error. */
export class ConsoleError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly grpcCode: number | undefined,
    readonly consoleMessage: string,
  ) {
    const codeName = grpcCode !== undefined ? ` ${GRPC_CODES[grpcCode] ?? `code ${grpcCode}`}` : "";
    const advice = ADVICE[status] ? ` (${ADVICE[status]})` : "";
    super(`${operation} failed: the console answered ${status}${codeName}: "${consoleMessage}"${advice}`);
    this.name = "ConsoleError";
  }
}

/** The console could not be reached or did not answer in time. */
export class ConsoleUnreachableError extends Error {
  constructor(
    readonly operation: string,
    consoleUrl: string,
    cause: string,
  ) {
    super(
      `${operation} failed: could not reach the console at ${consoleUrl} (${cause}); ` +
        "check that it is running and that bytebase:url (or BYTEBASE_URL) points at it",
    );
    this.name = "ConsoleUnreachableError";
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ConsoleError && error.status === 404;
}

/** A short, secret-free description of a network error (undici/Node error codes). */
export function describeNetworkError(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof e.code === "string") return e.code;
    if (typeof e.name === "string" && e.name !== "Error") return e.name;
  }
  return "network error";
}
