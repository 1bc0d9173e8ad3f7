// Which consoles GitOpsProvider can manage: Bytebase 2.5 - 2.14 (OAuth `externalVersionControls`). Every operation
// that reaches the console checks the version its actuator reports first, and fails on any other with what to do.
import { eraOf, type ConsoleEra } from "../client/actuator";
import type { ConsoleClient } from "../client/console-client";

const WHAT_TO_DO: Record<Exclude<ConsoleEra, "oauth">, string> = {
  "before-2.5":
    "GitOpsProvider manages the OAuth Git providers of Bytebase 2.5 to 2.14: upgrade the console to 2.14 " +
    "(the last version with them), then run again",
  "access-token":
    "Bytebase 2.15 replaced OAuth Git providers (externalVersionControls) with access-token Git providers " +
    "(vcsProviders), which GitOpsProvider cannot manage: declare them with the access-token `VcsProvider` resource " +
    "(coming in a later version of this package), and drop these GitOpsProvider resources from the stack's state " +
    "without touching the console (`pulumi state delete <urn>`)",
  removed:
    "Bytebase 3.5 removed built-in GitOps (Git providers and connectors; GitOps now runs in the CI with " +
    "bytebase-action): remove these GitOpsProvider resources from the program and drop them from the stack's state " +
    "(`pulumi state delete <urn>`)",
};

/**
 * Fails unless the console is one GitOpsProvider can manage. A console whose actuator does not answer, or that
 * reports no release number (a build from source says `development`), is let through: its answers then tell
 * (only Bytebase's own not-found means "gone": see isProviderGone).
 */
export async function requireGitOpsConsole(client: ConsoleClient, operation: string): Promise<void> {
  const info = await client.consoleInfo();
  if (!info?.version) return;
  const era = eraOf(info.version);
  if (era === "oauth") return;
  throw new Error(
    `${operation} failed: the console at ${client.url} runs Bytebase ${info.version.text} (GET /v1/actuator/info), ` +
      `and GitOpsProvider supports Bytebase 2.5 to 2.14 only. ${WHAT_TO_DO[era]}.`,
  );
}
