// Errors of the console client: the console's own message, quoted, with the operation and what to do about it.
import { permissionAdvice } from "./permissions";

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
  403: permissionAdvice(),
  429: "the console is rate limiting; run again later",
  503: "the console is unavailable; run again when it is back",
};

/**
 * Bytebase's own answer for a Git provider that does not exist: NotFound (404) `External version control not found:
 * <nil>` (`%v` of a nil error), from getVCS, Update and Delete in backend/api/v1/externalvs_service.go at 2.5.0,
 * 2.10.0, 2.13.0 and 2.14.0 alike. Any other 404 did not come from that service: grpc-gateway answers an unknown
 * route `{"code":5,"message":"Not Found"}` (runtime/errors.go DefaultRoutingErrorHandler, v2.16.0 in go.mod@2.5.0,
 * v2.19.1 @2.14.0), as does a 2.15+ console for /v1/externalVersionControls, and a proxy or a wrong URL prefix
 * answers its own "Not Found".
 */
const PROVIDER_NOT_FOUND = /^External version control not found:/;
/** vcs_provider_service.go@2.15.0 (and @3.4.1) getVCS: `vcs provider vcsProviders/<id> not found`. */
const VCS_PROVIDER_NOT_FOUND = /^vcs provider vcsProviders\/[^ ]+ not found$/;
/**
 * grpc-gateway's answer to a route it lacks: `Not Found` (runtime/errors.go DefaultRoutingErrorHandler, Bytebase 2.5 -
 * 2.23), or from 3.0 Bytebase's own `Routing error. Please check the request URI <uri>` (backend/server/server.go@3.0.0
 * - @3.4.1 WithRoutingErrorHandler).
 */
const NO_ROUTE = /^(Not Found|Routing error\. Please check the request URI .*)$/;
/**
 * vcs_connector_service.go@2.15.0 (and @3.4.1) NotFound answers: the connector (`vcs connector "<id>" not found`),
 * its project (`project "<p>" not found`, on create `project with resource id "<p>" not found`), the provider
 * (`vcs <id> not found`) and a branch (`branch <b> not found in repository <r>`). Bytebase's own, not a missing route.
 */
const VCS_CONNECTOR_NOT_FOUND = /^vcs connector "[^"]*" not found$/;
const CONNECTOR_SERVICE_NOT_FOUND = [
  VCS_CONNECTOR_NOT_FOUND,
  /^project (with resource id )?"[^"]*" (not found|had deleted)$/,
  /^vcs [^ ]+ not found$/,
  /^branch .* not found in repository /,
];
/**
 * The connector's own rows disagree (a provider or creator row missing): UpdateVCSConnector's `vcs provider <id> not
 * found` (vcs_connector_service.go@2.15.0 - @3.4.1), DeleteVCSConnector's `vcs provider <uid> not found` (the
 * connector's numeric id, @2.15.0 - @3.3.1; the provider's id @3.4.1), and convertStoreVCSConnector's `cannot find
 * the creator: <n>` (@2.15.0 - @3.3.1). Bytebase's own answers about the data, not a missing route.
 */
export const CONNECTOR_ROWS_MISSING =
  /^(vcs provider (?!vcsProviders\/)[^ ]+ not found|cannot find the creator: .*)$/;

/** What to do about a 404 that is not Bytebase's own not-found. */
const NO_SUCH_ROUTE =
  "nothing at that address answers this request, so it tells nothing about the Git provider: check that " +
  "bytebase:url (or BYTEBASE_URL) is the console's own URL (without a path a proxy adds or removes), and that the " +
  "console runs a Bytebase version the resource supports (GitOpsProvider: 2.5 to 2.14, externalVersionControls; " +
  "VcsProvider: 2.15 to 3.4, vcsProviders)";

/** The console answered with an error. */
export class ConsoleError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly grpcCode: number | undefined,
    readonly consoleMessage: string,
    gaveUp?: string,
    /** The request that got this answer, `GET /v1/externalVersionControls/101` (no query: masks only). */
    readonly request?: string,
  ) {
    const codeName = grpcCode !== undefined ? ` ${GRPC_CODES[grpcCode] ?? `code ${grpcCode}`}` : "";
    const unknownRoute =
      status === 404 &&
      ![
        PROVIDER_NOT_FOUND,
        VCS_PROVIDER_NOT_FOUND,
        ...CONNECTOR_SERVICE_NOT_FOUND,
        CONNECTOR_ROWS_MISSING,
      ].some((p) => p.test(consoleMessage));
    const to = request && status === 404 ? ` to ${request}` : "";
    const advice = unknownRoute ? ` (${NO_SUCH_ROUTE})` : ADVICE[status] ? ` (${ADVICE[status]})` : "";
    const retries = gaveUp ? `; ${gaveUp}` : "";
    super(
      `${operation} failed: the console answered ${status}${codeName}: "${consoleMessage}"${to}${advice}${retries}`,
    );
    this.name = "ConsoleError";
  }
}

/**
 * A 404 from a route the console lacks (NO_ROUTE: grpc-gateway's `Not Found`, or 3.x's `Routing error ...`), told
 * with `advice` in place of the general NO_SUCH_ROUTE, so that the message says what to do once; undefined for any
 * other error.
 */
export function missingRoute(error: unknown, advice: string): Error | undefined {
  if (!(error instanceof ConsoleError) || error.status !== 404 || !NO_ROUTE.test(error.consoleMessage))
    return undefined;
  return new Error(error.message.replace(`(${NO_SUCH_ROUTE})`, `(${advice})`), { cause: error });
}

/** The console answered 2xx, but not with what its API returns (not JSON, missing or mistyped fields). */
export class ConsoleAnswerError extends Error {
  constructor(
    readonly operation: string,
    detail: string,
    /** The Bytebase releases whose API the request was for, e.g. "2.15 to 3.4" (none for the actuator). */
    versions?: string,
  ) {
    super(
      `${operation} failed: the console's answer was not valid: ${detail}; check that bytebase:url (or ` +
        `BYTEBASE_URL) points at a Bytebase console${versions ? ` (${versions})` : ""}, not at a proxy or login page`,
    );
    this.name = "ConsoleAnswerError";
  }
}

/**
 * How a request failed without an answer. `refused`: never reached the console (safe to send again);
 * `dropped`: the connection closed after sending; `timeout`: no answer in time (both: the console may have
 * processed it); `unresolvable`: the host name does not resolve (a configuration error, not retried).
 */
export type NetworkFailure = "refused" | "dropped" | "timeout" | "unresolvable";

const FAILURE_WORDS: Record<NetworkFailure, string> = {
  refused: "connection refused",
  dropped: "the connection closed before an answer",
  timeout: "no answer in time",
  unresolvable: "the host name does not resolve",
};

/** The console could not be reached or did not answer in time. */
export class ConsoleUnreachableError extends Error {
  constructor(
    readonly operation: string,
    consoleUrl: string,
    readonly failure: NetworkFailure,
    detail: string,
    gaveUp?: string,
  ) {
    const retries = gaveUp ? `; ${gaveUp}` : "";
    super(
      `${operation} failed: could not reach the console at ${consoleUrl} (${FAILURE_WORDS[failure]}: ${detail})${retries}; ` +
        "check that it is running and that bytebase:url (or BYTEBASE_URL) points at it",
    );
    this.name = "ConsoleUnreachableError";
  }

  /** Whether the console may have received and processed the request. */
  get ambiguous(): boolean {
    return this.failure === "dropped" || this.failure === "timeout";
  }
}

/** `text` with every occurrence of each secret (of 4 characters or more) replaced by "[secret]". */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join("[secret]"), text);
}

/**
 * Whether the console said, in Bytebase's own words (`notFound`), that what a request on `path` asked for does not
 * exist: a 404 with that message to a request whose path ends with `path`. Only then is it gone; any other 404 (an
 * unknown route, a proxy, a 404 on login, a not-found of something else) is a failure to report, never "deleted".
 */
function isGone(error: unknown, notFound: RegExp, path: string): boolean {
  if (!(error instanceof ConsoleError) || error.status !== 404) return false;
  if (!notFound.test(error.consoleMessage)) return false;
  return decodeURIComponent(error.request?.split(" ")[1] ?? "").endsWith(path);
}

/** The GitOpsProvider's Git provider `id` is gone (PROVIDER_NOT_FOUND, Bytebase 2.5 - 2.14). */
export const isProviderGone = (error: unknown, id: string) =>
  isGone(error, PROVIDER_NOT_FOUND, `/externalVersionControls/${id}`);

/**
 * The VcsProvider `id` is gone (VCS_PROVIDER_NOT_FOUND, Bytebase 2.15 - 3.4). A `Not Found` from an unknown route (a
 * console before 2.15 or from 3.5, a wrong URL prefix, a proxy) means the request never reached this API.
 */
export const isVcsProviderGone = (error: unknown, id: string) =>
  isGone(error, VCS_PROVIDER_NOT_FOUND, `/vcsProviders/${id}`);

/** The connector `id` of `project` is gone (VCS_CONNECTOR_NOT_FOUND); a not-found of its project is not that. */
export const isVcsConnectorGone = (error: unknown, project: string, id: string) =>
  isGone(error, VCS_CONNECTOR_NOT_FOUND, `/projects/${project}/vcsConnectors/${id}`);

const REFUSED = new Set([
  "ECONNREFUSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
const TIMEOUT = new Set(["TimeoutError", "AbortError", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** Classifies a network error (undici/Node error codes) with a short, secret-free description. */
export function networkFailure(error: unknown): { failure: NetworkFailure; detail: string } {
  const e = (error && typeof error === "object" ? error : {}) as {
    code?: unknown;
    name?: unknown;
    cause?: unknown;
  };
  const code =
    typeof e.code === "string" ? e.code : typeof e.name === "string" && e.name !== "Error" ? e.name : "";
  const causeCode = (e.cause as { code?: unknown } | undefined)?.code;
  const detail = code || (typeof causeCode === "string" ? causeCode : "network error");
  if (REFUSED.has(detail)) return { failure: "refused", detail };
  if (TIMEOUT.has(detail)) return { failure: "timeout", detail };
  if (detail === "ENOTFOUND") return { failure: "unresolvable", detail };
  return { failure: "dropped", detail };
}

/**
 * How a create's answer was lost, when the console may have processed it: the connection closed, a gateway answered
 * 502, or the console answered 503 (`dropped`: if nothing was made, it was not processed), or no answer in time or
 * a gateway's 504 (`timeout`: it may still be processing). Bytebase's own 503 is echo's 30 s timeout
 * (TimeoutWithConfig in backend/server/routers.go@2.14.0, server.go@2.5.0; routers.go@2.15.0 sets no limit) over
 * Go's http.TimeoutHandler, which answers 503 with an HTML page while the handler runs on: the create may have
 * committed. The handler's context ends with the timeout (net/http TimeoutHandler, passed on to the gRPC call by
 * grpc-gateway), so one that has not committed by the answer is taken as not processed.
 */
export function lostAnswer(error: unknown): "dropped" | "timeout" | undefined {
  if (error instanceof ConsoleUnreachableError && error.ambiguous)
    return error.failure === "timeout" ? "timeout" : "dropped";
  if (error instanceof ConsoleError && [502, 503, 504].includes(error.status))
    return error.status === 504 ? "timeout" : "dropped";
  return undefined;
}
