// The VcsProvider's outputs (what Pulumi stores) and how they are built from the console's answer and the inputs.
import type { GitProviderType } from "../../catalog";
import type { VcsProvider } from "../../client/vcs-providers";
import type { TokenVerification } from "../../verification/access-token";
import { dropUndefined, type ConnectionInputs } from "../shared-inputs";
import type { VcsProviderInputs } from "./inputs";

export interface VcsProviderOutputs {
  /** `vcsProviders/<resourceId>` */
  readonly name: string;
  readonly resourceId: string;
  readonly title: string;
  readonly type: GitProviderType;
  readonly instanceUrl: string;
  /** A secret output: the console never returns it, so it is the declared one. */
  readonly accessToken: string;
  /** The declared permissions of the token, as the inputs gave them. */
  readonly permissions?: string[];
  readonly verification?: TokenVerification;
  readonly verifyToken: boolean;
  readonly adoptExisting: boolean;
  /** The console this provider lives in. */
  readonly consoleUrl: string;
  /** Kept so that delete and refresh reach the same console; a secret output. */
  readonly connection?: ConnectionInputs;
}

/** The id in `vcsProviders/<id>` (or `vcsProviders%2F<id>`), or the id itself. */
export function vcsIdFromName(name: string): string {
  return decodeURIComponent(name).replace(/^vcsProviders\//, "");
}

export function toVcsOutputs(
  remote: VcsProvider,
  inputs: Pick<
    VcsProviderInputs,
    "accessToken" | "permissions" | "verifyToken" | "adoptExisting" | "connection"
  >,
  context: { consoleUrl: string; verification?: TokenVerification },
): VcsProviderOutputs {
  return dropUndefined({
    name: remote.name,
    resourceId: vcsIdFromName(remote.name),
    title: remote.title,
    type: remote.type as GitProviderType, // as the console says: read shows a drifted type
    instanceUrl: remote.url,
    accessToken: inputs.accessToken,
    permissions: inputs.permissions,
    verification: context.verification,
    verifyToken: inputs.verifyToken,
    adoptExisting: inputs.adoptExisting,
    consoleUrl: context.consoleUrl,
    connection: inputs.connection,
  });
}

/** The inputs that reproduce these outputs (for `read`: refresh and Resource.get). */
export function toVcsInputs(o: VcsProviderOutputs): Record<string, unknown> {
  return dropUndefined({
    resourceId: o.resourceId,
    type: o.type,
    title: o.title,
    instanceUrl: o.instanceUrl,
    accessToken: o.accessToken,
    permissions: o.permissions,
    verifyToken: o.verifyToken,
    adoptExisting: o.adoptExisting,
    connection: o.connection,
  });
}
