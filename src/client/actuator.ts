// The console's actuator (`GET /v1/actuator/info`, no login): which Bytebase version it runs and its external URL,
// read once per connection. Other code asks a client's `consoleInfo()` for them (the version gate, 403 advice).
import { ActuatorAnswer, parserOf } from "./answers";
import { ConsoleAnswerError, ConsoleError } from "./errors";
import { sendJson } from "./http";
import type { HttpOptions } from "./http-settings";

/** A Bytebase version as the actuator reports it (`2.14.0`, or `2.14.0-<suffix>`). */
export interface ConsoleVersion {
  /** As reported, e.g. `2.14.0`. */
  readonly text: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** What the actuator told; `version` is undefined for a build without one (`development`, from source). */
export interface ConsoleInfo {
  readonly version?: ConsoleVersion;
  /** The version text as reported (also when it is not a release number). */
  readonly versionText: string;
  readonly externalUrl: string;
  /** The workspace's id (3.16+ workload identities and service accounts name it as their parent); "" if not told. */
  readonly workspaceId: string;
}

/** The Bytebase eras that matter to Git providers. */
export type ConsoleEra = "before-2.5" | "oauth" | "access-token" | "removed";

/**
 * The era of a version: 2.5 - 2.14 OAuth `externalVersionControls`; 2.15 - 3.4 access-token `vcsProviders`
 * (backend/api/v1/vcs_provider_service.go@2.15.0; externalvs_service.go is gone there); 3.5 and later: built-in
 * GitOps removed (bytebase PR #15353, shipped in 3.5.0).
 */
export function eraOf(v: ConsoleVersion): ConsoleEra {
  const at = (major: number, minor: number) => v.major > major || (v.major === major && v.minor >= minor);
  if (at(3, 5)) return "removed";
  if (at(2, 15)) return "access-token";
  if (at(2, 5)) return "oauth";
  return "before-2.5";
}

/**
 * `version` is `profile.Version` (backend/api/v1/actuator_service.go@2.5.0, @2.14.0, @2.15.0, @3.4.1), set at build
 * time from scripts/VERSION (e.g. `2.14.0`, plus an optional suffix: scripts/Dockerfile@2.14.0); a build from
 * source reports `development` (backend/bin/server/cmd/version.go@2.14.0).
 */
function parseVersion(text: string): ConsoleVersion | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+.].*)?$/.exec(text.trim());
  if (!match) return undefined;
  return {
    text: text.trim(),
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3] ?? 0),
  };
}

/**
 * Reads the actuator. `GET /v1/actuator/info` needs no login at every supported tag (backend/api/auth/config.go@2.5.0
 * and @2.14.0 allow GetActuatorInfo without a token; proto/v1/actuator_service.proto@3.4.1
 * `allow_without_credential`), and answers `{version, externalUrl, ...}` in camelCase with unpopulated fields
 * emitted (grpc-gateway v2's default marshaler). Resolves to undefined when the console does not answer it as Bytebase
 * does: a 404 or 501 (no such route: a proxy that forwards only some paths) or a 2xx that is not the actuator's
 * answer; the caller then falls back to what it can tell without it. Any other failure (unreachable, 5xx, 429 after
 * retries, 401/403 from a proxy) rejects: the console is not usable right now.
 */
export async function readActuator(url: string, options: HttpOptions): Promise<ConsoleInfo | undefined> {
  try {
    const answer = await sendJson(
      url,
      {
        method: "GET",
        path: "v1/actuator/info",
        operation: "Reading the console's version and external URL",
        idempotent: true,
      },
      options,
      parserOf(ActuatorAnswer),
    );
    return {
      version: parseVersion(answer.version),
      versionText: answer.version,
      externalUrl: answer.externalUrl,
      workspaceId: answer.workspaceId || answer.workspace.replace(/^workspaces\//, ""),
    };
  } catch (error) {
    if (error instanceof ConsoleAnswerError) return undefined;
    if (error instanceof ConsoleError && (error.status === 404 || error.status === 501)) return undefined;
    throw error;
  }
}
