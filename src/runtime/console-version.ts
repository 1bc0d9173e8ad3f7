// Which consoles GitOpsProvider (Bytebase 2.5 - 2.14, OAuth `externalVersionControls`), VcsProvider (2.15 - 3.4,
// access-token `vcsProviders`) and the CI-era resources (3.15+) can manage. Every operation that reaches the console
// checks the version its actuator reports first, and fails on any other with what to do; a route missing where the
// actuator did not tell says the same.
import { eraOf, type ConsoleEra, type ConsoleVersion } from "../client/actuator";
import type { ConsoleClient } from "../client/external-version-controls";
import { missingRoute } from "../client/errors";

const WHAT_TO_DO: Record<Exclude<ConsoleEra, "oauth">, string> = {
  "before-2.5":
    "GitOpsProvider manages the OAuth Git providers of Bytebase 2.5 to 2.14: upgrade the console to 2.14 " +
    "(the last version with them), then run again",
  "access-token":
    "Bytebase 2.15 replaced OAuth Git providers (externalVersionControls) with access-token Git providers " +
    "(vcsProviders), which GitOpsProvider cannot manage: declare them with the `VcsProvider` resource (with " +
    "adoptExisting: true for the providers the upgrade kept), and drop these GitOpsProvider resources from the " +
    "stack's state without touching the console (`pulumi state delete <urn>`)",
  removed:
    "Bytebase 3.5 removed built-in GitOps (Git providers and connectors; GitOps now runs in the CI with " +
    "bytebase-action): remove these GitOpsProvider resources from the program and drop them from the stack's state " +
    "(`pulumi state delete <urn>`)",
};

type Console = Pick<ConsoleClient, "url" | "consoleInfo">;

/**
 * Fails unless the console runs the era `resource` manages, saying what to do on each other era; resolves to the
 * console's release, which decides the form of some requests (a connector's base directory). A console whose
 * actuator does not answer, or that reports no release number (a build from source says `development`), is let
 * through (undefined): its answers then tell (only Bytebase's own not-found means "gone").
 */
async function requireEra(
  client: Console,
  operation: string,
  resource: string,
  era: { name: ConsoleEra; versions: string },
  whatToDo: Partial<Record<ConsoleEra, string>>,
): Promise<ConsoleVersion | undefined> {
  const info = await client.consoleInfo();
  if (!info?.version) return undefined;
  const found = eraOf(info.version);
  if (found === era.name) return info.version;
  throw new Error(
    `${operation} failed: the console at ${client.url} runs Bytebase ${info.version.text} (GET /v1/actuator/info), ` +
      `and ${resource} supports Bytebase ${era.versions} only: ${whatToDo[found]}.`,
  );
}

/** GitOpsProvider: Bytebase 2.5 - 2.14 (externalvs_service.go@2.5.0 - @2.14.0). */
export const requireGitOpsConsole = (client: Console, operation: string) =>
  requireEra(client, operation, "GitOpsProvider", { name: "oauth", versions: "2.5 to 2.14" }, WHAT_TO_DO);

const ACCESS_TOKEN_ERA = { name: "access-token", versions: "2.15 to 3.4" } as const;

const VCS_WHAT_TO_DO: Record<Exclude<ConsoleEra, "access-token">, string> = {
  "before-2.5":
    "declare the console's Git providers with GitOpsProvider (2.5 to 2.14), or upgrade the console",
  oauth:
    "its Git providers are OAuth applications (externalVersionControls): declare them with GitOpsProvider, or " +
    "upgrade the console to 2.15 - 3.4 first",
  removed: WHAT_TO_DO.removed.replace(/GitOpsProvider/g, "VcsProvider"),
};

/** VcsProvider: Bytebase 2.15 - 3.4 (vcs_provider_service.go@2.15.0 - @3.4.1). */
export const requireVcsProviderConsole = (client: Console, operation: string) =>
  requireEra(client, operation, "VcsProvider", ACCESS_TOKEN_ERA, VCS_WHAT_TO_DO);

const CONNECTOR_WHAT_TO_DO: Record<Exclude<ConsoleEra, "access-token">, string> = {
  "before-2.5":
    "before 2.15 Bytebase links a project to a repository in the project's GitOps settings, with no connectors API: " +
    "upgrade the console to 2.15 - 3.4, or link the repository in the console",
  oauth:
    "before 2.15 Bytebase links a project to a repository in the project's GitOps settings, with no connectors API: " +
    "upgrade the console to 2.15 - 3.4 first (then declare its Git providers with VcsProvider), or link the repository in the console",
  removed: WHAT_TO_DO.removed.replace(/GitOpsProvider/g, "VcsConnector"),
};

/** VcsConnector: Bytebase 2.15 - 3.4 (vcs_connector_service.go@2.15.0 - @3.4.1). */
export const requireVcsConnectorConsole = (client: Console, operation: string) =>
  requireEra(client, operation, "VcsConnector", ACCESS_TOKEN_ERA, CONNECTOR_WHAT_TO_DO);

/** What a console without the API of a resource of Bytebase 2.15 - 3.4 lacks, and what to do before 2.15. */
const NO_ROUTE = {
  VcsProvider: { api: "/v1/vcsProviders", before: "for 2.5 to 2.14 declare GitOpsProvider" },
  VcsConnector: {
    api: "connectors",
    before: "before 2.15 link the repository in the project's GitOps settings",
  },
} as const;

/**
 * Runs a console call of `resource`. A 404 from a route the console lacks (a console before 2.15 or from 3.5 whose
 * actuator did not tell, a wrong path prefix, a proxy) then says what the resource needs, once.
 */
export async function explainRoute<T>(
  client: Pick<Console, "url">,
  resource: keyof typeof NO_ROUTE,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const { api, before } = NO_ROUTE[resource];
    const advice =
      `the console at ${client.url} has no ${api} API: ${resource} needs Bytebase 2.15 to 3.4, so ${before}, and ` +
      "from 3.5 Bytebase has no built-in GitOps (use bytebase-action in CI); or bytebase:url (or BYTEBASE_URL) is " +
      "not the console's own URL: a wrong path prefix or a proxy answers this too";
    throw missingRoute(error, advice) ?? error;
  }
}

/**
 * WorkloadIdentity, ServiceAccount, ProjectIamMember: Bytebase 3.15 and later (WorkloadIdentityService and
 * ServiceAccountService arrived in 3.15.0; 3.13 - 3.14 kept both as users of `POST /v1/users`).
 */
export async function requireCiEraConsole(
  client: Console,
  operation: string,
  resource: string,
): Promise<void> {
  const info = await client.consoleInfo();
  const v = info?.version;
  if (!v || v.major > 3 || (v.major === 3 && v.minor >= 15)) return;
  const whatToDo =
    v.major === 3 && v.minor >= 13
      ? "Bytebase 3.13 and 3.14 keep workload identities and service accounts as users (POST /v1/users), which this " +
        "package does not manage: upgrade the console to 3.15 or later"
      : v.major === 3 && v.minor >= 5
        ? "upgrade the console to 3.15 or later (3.16 or later for bytebase-action to sign in as a workload identity)"
        : "before 3.5 Bytebase's GitOps lives in the console (GitOpsProvider for 2.5 - 2.14, VcsProvider and " +
          "VcsConnector for 2.15 - 3.4): declare those, or upgrade the console to 3.15 or later";
  throw new Error(
    `${operation} failed: the console at ${client.url} runs Bytebase ${v.text} (GET /v1/actuator/info), and ` +
      `${resource} supports Bytebase 3.15 and later only: ${whatToDo}.`,
  );
}
