// How VcsConnector words the console's refusals: each known message of vcs_connector_service.go@2.15.0 / @3.4.1
// quoted with what to do, and a route the console lacks told apart from Bytebase's own answers.
import type { GitProviderSpec } from "../../catalog";
import { ConsoleError } from "../../client/errors";
import type { VcsConnectorClient } from "../../client/vcs-connectors";
import { explainRoute } from "../console-version";
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

function adviceFor(
  message: string,
  inputs: VcsConnectorInputs,
  spec: GitProviderSpec | undefined,
): string | undefined {
  if (message.startsWith("external URL isn't setup yet"))
    return (
      "Set the console's external URL (Settings > General > External URL, or the --external-url flag) to an address " +
      "the Git provider can reach: Bytebase makes it the target of the connector's webhook. Then run again."
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
      } must accept the console's external URL as a webhook target (cloud Git providers refuse loopback and private ` +
      "addresses): set an external URL the Git provider can reach, then run again."
    );
  if (message.startsWith('base directory should start with "/"'))
    return "Bytebase 3.x needs a base directory (the repository root cannot be used): set baseDirectory to the folder of the migration files, e.g. migrations.";
  if (/^project with resource id ".*" (not found|had deleted)$/.test(message))
    return `Create the project ${inputs.project} in the console first (or restore it), or check project.`;
  if (/^vcs connector ".*" already exists$/.test(message))
    return (
      `The project ${inputs.project} already has a connector ${inputs.resourceId} (made in the console or by another ` +
      "stack): choose another resourceId, or delete that connector in the console (Project > Integration > GitOps)."
    );
  return undefined;
}
