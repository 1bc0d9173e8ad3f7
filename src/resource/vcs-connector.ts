// VcsConnector: the program-side Pulumi resource for one project-repository connector of a Bytebase 2.15 - 3.4
// console (`projects/<project>/vcsConnectors/<resourceId>`).
import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "./gitops-provider";
import { serializedVcsConnector } from "./serialized-provider";
import { GITOPS_PROVIDER_MODULE, VCS_CONNECTOR_TYPE, VCS_CONNECTOR_TYPE_NAME } from "./type-token";

export interface VcsConnectorArgs {
  /** The project: `projects/<id>` or `<id>`. Changing it replaces the resource. */
  project: pulumi.Input<string>;
  /**
   * The connector's id in the project: 1-63 lower-case letters, digits and '-', starting with a letter. Changing it
   * replaces the resource.
   */
  resourceId: pulumi.Input<string>;
  /** The Git provider: a `VcsProvider`'s `name` output, `vcsProviders/<id>` or `<id>`. Changing it replaces. */
  vcsProvider: pulumi.Input<string>;
  /**
   * The repository's path as the Git provider lists it: `platform/db` (Azure DevOps:
   * `<organization>/<project>/<repository>`). Looked up through the console; changing it replaces the resource.
   */
  repository: pulumi.Input<string>;
  /** The branch Bytebase watches; the console checks it exists at the Git provider. Updated in place. */
  branch: pulumi.Input<string>;
  /** The folder of the migration files (default: the repository root; Bytebase 3.x requires one). Updated in place. */
  baseDirectory?: pulumi.Input<string>;
  /** A database group of the project: `<id>` or `projects/<project>/databaseGroups/<id>`. Updated in place. */
  databaseGroup?: pulumi.Input<string>;
  /** The display name; default the repository's title at the Git provider. The console cannot change it: replaces. */
  title?: pulumi.Input<string>;
  /** The console to manage; default: stack config `bytebase:*`, then env `BYTEBASE_*`. */
  connection?: pulumi.Input<ConnectionArgs>;
}

/** Every output, inputs included: a `get` has no inputs, and an output exists only if its key is among the props. */
const OUTPUTS = [
  "name",
  "project",
  "resourceId",
  "vcsProvider",
  "repository",
  "branch",
  "externalId",
  "fullPath",
  "webUrl",
  "title",
  "baseDirectory",
  "databaseGroup",
] as const;

export class VcsConnector extends pulumi.dynamic.Resource {
  /** The type token, so that policies (`validateResourceOfType`) can match this resource. */
  static readonly __pulumiType = VCS_CONNECTOR_TYPE;

  static override isInstance(obj: unknown): obj is VcsConnector {
    return (
      obj instanceof VcsConnector ||
      (pulumi.Resource.isInstance(obj) &&
        (obj as { __pulumiType?: string }).__pulumiType === VCS_CONNECTOR_TYPE)
    );
  }

  /** The connector's name in the console: `projects/<project>/vcsConnectors/<resourceId>`. */
  declare readonly name: pulumi.Output<string>;
  /** The project's id (without `projects/`). */
  declare readonly project: pulumi.Output<string>;
  /** The connector's id in the project. */
  declare readonly resourceId: pulumi.Output<string>;
  /** The Git provider's id (without `vcsProviders/`). */
  declare readonly vcsProvider: pulumi.Output<string>;
  /** The declared repository path (after a refresh or `get`: the console's full path). */
  declare readonly repository: pulumi.Output<string>;
  /** The display name, as the console holds it. */
  declare readonly title: pulumi.Output<string>;
  /** The repository as the console refers to it: its id (GitLab, Azure DevOps) or full path (GitHub, Bitbucket). */
  declare readonly externalId: pulumi.Output<string>;
  /** The repository's full path at the Git provider, as the console stored it. */
  declare readonly fullPath: pulumi.Output<string>;
  /** The repository's web page. */
  declare readonly webUrl: pulumi.Output<string>;
  /** The branch Bytebase watches. */
  declare readonly branch: pulumi.Output<string>;
  /** The folder of the migration files, as the console stored it (2.15 Azure DevOps and 3.x: with a leading '/'). */
  declare readonly baseDirectory: pulumi.Output<string>;
  /** `projects/<project>/databaseGroups/<id>`, or "" for none. */
  declare readonly databaseGroup: pulumi.Output<string>;

  /**
   * The console's existing connector `projects/<project>/vcsConnectors/<id>` as a resource of this stack, read and
   * never changed or deleted (the full name: a bare id does not tell the project). The console is the stack config's
   * `bytebase:*` (else `BYTEBASE_*`).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): VcsConnector {
    return new VcsConnector(name, {} as VcsConnectorArgs, { ...opts, id });
  }

  constructor(name: string, args: VcsConnectorArgs, opts?: pulumi.CustomResourceOptions) {
    // An output exists only if its key is among the props: seed every output, then the user's inputs over them.
    const props = {
      ...Object.fromEntries(OUTPUTS.map((key) => [key, undefined])),
      ...args,
      connection: args.connection === undefined ? undefined : pulumi.secret(args.connection),
    };
    super(
      serializedVcsConnector,
      name,
      props,
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["connection"] }),
      GITOPS_PROVIDER_MODULE,
      VCS_CONNECTOR_TYPE_NAME,
    );
  }
}
