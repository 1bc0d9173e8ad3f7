// GitOpsProvider's outputs (what Pulumi stores) and how they are built from the console's answer and the inputs.
import type { ExternalVersionControl } from "../../client/external-version-controls";
import type { GitProviderType } from "../../catalog";
import { dropUndefined, type ConnectionInputs } from "../shared-inputs";
import type { ProviderInputs } from "./inputs";
import type { Verification } from "../../verification";

export interface ProviderOutputs {
  /** `externalVersionControls/101` */
  readonly name: string;
  readonly title: string;
  readonly type: GitProviderType;
  readonly instanceUrl: string;
  readonly apiUrl: string;
  readonly applicationId: string;
  /**
   * The console's effective OAuth callback: `<externalUrl>/oauth/callback`. Deprecated as an output (kept for the
   * stacks and programs of 0.x): `consoleCallbackUrl` says the same.
   */
  readonly callbackUrl: string;
  /** The console's effective OAuth callback; absent from a state written before 1.0 until a refresh or update. */
  readonly consoleCallbackUrl?: string;
  /** The callback the user declared as registered in the OAuth app (the `callbackUrl` input). */
  readonly declaredCallbackUrl?: string;
  readonly scopes: string[];
  readonly secret: string;
  /** The console this provider lives in. */
  readonly consoleUrl: string;
  readonly verifyCredentials: boolean;
  readonly verification?: Verification;
  /** Kept so that delete and refresh reach the same console; a secret output. */
  readonly connection?: ConnectionInputs;
}

/** The numeric id in a name like `externalVersionControls/101` (or `externalVersionControls%2F101`). */
export function idFromName(name: string): string {
  return decodeURIComponent(name).split("/").pop() ?? name;
}

export function toOutputs(
  remote: ExternalVersionControl,
  inputs: Pick<ProviderInputs, "secret" | "callbackUrl" | "scopes" | "verifyCredentials" | "connection">,
  context: { consoleUrl: string; callbackUrl: string; verification?: Verification },
): ProviderOutputs {
  return dropUndefined({
    name: remote.name,
    title: remote.title,
    type: remote.type as GitProviderType, // as the console says (read shows a type changed in the console)
    instanceUrl: remote.url,
    apiUrl: remote.apiUrl,
    applicationId: remote.applicationId,
    callbackUrl: context.callbackUrl,
    consoleCallbackUrl: context.callbackUrl,
    declaredCallbackUrl: inputs.callbackUrl,
    scopes: inputs.scopes ?? [],
    secret: inputs.secret,
    consoleUrl: context.consoleUrl,
    verifyCredentials: inputs.verifyCredentials,
    verification: context.verification,
    connection: inputs.connection,
  });
}

/** The inputs that reproduce these outputs (for `read`: import and refresh). */
export function toInputs(outputs: ProviderOutputs): Record<string, unknown> {
  return dropUndefined({
    type: outputs.type,
    applicationId: outputs.applicationId,
    secret: outputs.secret,
    title: outputs.title,
    instanceUrl: outputs.instanceUrl,
    callbackUrl: outputs.declaredCallbackUrl,
    scopes: outputs.scopes.length ? outputs.scopes : undefined,
    verifyCredentials: outputs.verifyCredentials,
    connection: outputs.connection,
  });
}

//END
