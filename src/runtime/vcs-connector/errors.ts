// How VcsConnector words the console's refusals: each known message of vcs_connector_service.go@2.15.0 / @3.4.1
// quoted with what to do, and a route the console lacks told apart from Bytebase's own answers.
import type { GitProviderSpec } from "../../catalog";
import { CONNECTOR_ROWS_MISSING, ConsoleError } from "../../client/errors";
import type { VcsConnectorClient } from "../../client/vcs-connectors";
import { explainRoute } from "../console-version";
import { directoryAdvice } from "./base-directory";
import type { VcsConnectorInputs } from "./inputs";

/**
 * Quotes the console's refusals of a create or update with what to do. `specOf` tells the Git provider's type (its
 * catalog entry) for advice specific to it; it is asked only after a refusal.
 */
export async function explain<T>(
  client: VcsConnectorClient,
  inputs: VcsConnectorInputs,
  specOf: () => Promise<GitProviderSpec | undefined>,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await explainRoute(client, "VcsConnector", call);
  } catch (error) {
    if (!(error instanceof ConsoleError)) throw error;
    const advice = adviceFor(error.consoleMessage, inputs, await specOf());
    if (!advice) throw error;
    throw new Error(`${error.message}. ${advice}`, { cause: error });
  }
}

/**
 * Runs a read or delete of connector `name`, quoting the console's answer that its own rows for it disagree
 * (CONNECTOR_ROWS_MISSING) with what to do: Bytebase's words about its data, not a missing route nor a gone connector.
 */
export async function explainRows<T>(name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ConsoleError) || !CONNECTOR_ROWS_MISSING.test(error.consoleMessage)) throw error;
    throw new Error(`${error.message}. ${rowsAdvice(error.consoleMessage, name)}`, { cause: error });
  }
}

function rowsAdvice(message: string, name: string): string {
  if (message.startsWith("cannot find the creator"))
    return (
      `The console holds ${name}, but not the user who made it (convertStoreVCSConnector, Bytebase 2.15 - 3.3): ` +
      "restore that user, or delete the connector in the console (Project > Integration > GitOps), then run again."
    );
  return (
    `The console holds ${name}, but not the Git provider row it uses (UpdateVCSConnector / DeleteVCSConnector): make ` +
    "that Git provider again (a VcsProvider with its resourceId), or delete the connector in the console, then run again."
  );
}

function adviceFor(
  message: string,
  inputs: VcsConnectorInputs,
  spec: GitProviderSpec | undefined,
): string | undefined {
  if (CONNECTOR_ROWS_MISSING.test(message))
    return rowsAdvice(message, `projects/${inputs.project}/vcsConnectors/${inputs.resourceId}`);
  if (message.startsWith("external URL isn't setup yet"))
    return (
      "Set the console's external URL (Settings > General > External URL, or the --external-url flag): Bytebase " +
      "refuses connectors without one, and makes it the target of the connector's webhook unless the GitOps Webhook " +
      "URL (Settings > General) is set. Then run again."
    );
  if (/^branch .* not found in repository /.test(message))
    return (
      `Create the branch ${inputs.branch} in ${inputs.repository}, or declare an existing branch, then run again.` +
      (spec?.connector.unfindableBranch?.pattern.test(inputs.branch)
        ? ` (${spec.label}: ${spec.connector.unfindableBranch.why}.)`
        : "")
    );
  if (message.startsWith("failed to check branch:"))
    return (
      `The Git provider did not answer Bytebase's branch check: check that the token of vcsProviders/${inputs.vcsProvider} ` +
      `still works (the VcsProvider's accessToken) and that ${inputs.repository} and the branch ${inputs.branch} exist.`
    );
  if (message.startsWith("failed to create webhook"))
    return (
      `The Git provider refused the webhook Bytebase adds for the connector. ${
        spec ? `${spec.label}: ${spec.connector.webhookRight}; and it` : "It"
      } must accept the webhook's target, the console's GitOps Webhook URL (Settings > General) when set, else its ` +
      "external URL (cloud Git providers refuse loopback and private addresses; vcs_connector_service.go@2.15.0 - " +
      "@3.4.1): set one the Git provider can reach, then run again."
    );
  const directory = directoryAdvice(message);
  if (directory) return directory;
  if (/^project with resource id ".*" (not found|had deleted)$/.test(message))
    return `Create the project ${inputs.project} in the console first (or restore it), or check project.`;
  if (/^vcs connector ".*" already exists$/.test(message))
    return (
      `The project ${inputs.project} already has a connector ${inputs.resourceId} (made in the console or by another ` +
      "stack): choose another resourceId, or delete that connector in the console (Project > Integration > GitOps)."
    );
  return undefined;
}
