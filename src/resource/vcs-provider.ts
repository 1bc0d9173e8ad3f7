// VcsProvider: the program-side Pulumi resource for one access-token Git provider of a Bytebase 2.15 - 3.4 console.
import * as pulumi from "@pulumi/pulumi";
import type { GitProviderType } from "../catalog";
import type { TokenVerification } from "../verification/access-token";
import type { ConnectionArgs } from "./gitops-provider";
import { serializedVcsProvider } from "./serialized-provider";
import { GITOPS_PROVIDER_MODULE, VCS_PROVIDER_TYPE, VCS_PROVIDER_TYPE_NAME } from "./type-token";

export interface VcsProviderArgs {
  /**
   * The provider's id in the console (`vcsProviders/<resourceId>`): 1-63 lower-case letters, digits and '-',
   * starting with a letter. Changing it replaces the resource. The ids Bytebase's 2.15 upgrade gave (`gitlab`,
   * `azure_devops`, ...) are accepted with `adoptExisting`.
   */
  resourceId: pulumi.Input<string>;
  /** The Git provider: `AZURE_DEVOPS`, `BITBUCKET`, `GITHUB` or `GITLAB`. Changing it replaces the resource. */
  type: pulumi.Input<GitProviderType>;
  /**
   * The access token: a GitLab access token, a GitHub personal access token, a Bitbucket `<username>:<app password>`
   * or an Azure DevOps personal access token. Always stored as a secret.
   */
  accessToken: pulumi.Input<string>;
  /** The display name in the console; default the type's name. */
  title?: pulumi.Input<string>;
  /** The Git provider's address; default per type (https://gitlab.com, ...). Changing it replaces the resource. */
  instanceUrl?: pulumi.Input<string>;
  /**
   * What the token was made to grant, in the Git provider's words: GitLab scopes (`api`, `read_repository`), GitHub
   * fine-grained permissions (`contents:read`, `pull_requests:write`, ...) or classic scopes (`repo`), Bitbucket
   * permissions (`repository:write`, ...), Azure DevOps scopes (`vso.code`, ...). Checked against what Bytebase needs
   * (`check`, the policies) and, where the Git provider tells, against what the token really grants.
   */
  permissions?: pulumi.Input<pulumi.Input<string>[]>;
  /** Ask the Git provider what the token is and may do before writing it (default true). */
  verifyToken?: pulumi.Input<boolean>;
  /**
   * When the console already has a provider with this id, take it over instead of failing: its type and URL must be
   * the declared ones; its title and token are set. For the upgrade from 2.14. Ignored after creation.
   */
  adoptExisting?: pulumi.Input<boolean>;
  /** The console to manage; default: stack config `bytebase:*`, then env `BYTEBASE_*`. */
  connection?: pulumi.Input<ConnectionArgs>;
}

/** Every output, inputs included: a `get` has no inputs, and an output exists only if its key is among the props. */
const OUTPUTS = [
  "name",
  "resourceId",
  "title",
  "type",
  "instanceUrl",
  "accessToken",
  "permissions",
  "verification",
] as const;

export class VcsProvider extends pulumi.dynamic.Resource {
  /** The type token, so that policies (`validateResourceOfType`) can match this resource. */
  static readonly __pulumiType = VCS_PROVIDER_TYPE;

  static override isInstance(obj: unknown): obj is VcsProvider {
    return (
      obj instanceof VcsProvider ||
      (pulumi.Resource.isInstance(obj) &&
        (obj as { __pulumiType?: string }).__pulumiType === VCS_PROVIDER_TYPE)
    );
  }

  /** The provider's name in the console: `vcsProviders/<resourceId>` (give it to a VcsConnector's `vcsProvider`). */
  declare readonly name: pulumi.Output<string>;
  /** The provider's id in the console. */
  declare readonly resourceId: pulumi.Output<string>;
  /** The display name, as the console holds it (refresh shows a change made in the console). */
  declare readonly title: pulumi.Output<string>;
  /** The Git provider type, as the console holds it. */
  declare readonly type: pulumi.Output<GitProviderType>;
  /** The Git provider's address, as the console holds it (no trailing '/'). */
  declare readonly instanceUrl: pulumi.Output<string>;
  /** The access token: the declared one (the console never returns it). A secret output. */
  declare readonly accessToken: pulumi.Output<string>;
  /** The declared permissions of the token; undefined when none were declared. */
  declare readonly permissions: pulumi.Output<string[] | undefined>;
  /** What the Git provider said about the token, when, and how it went; undefined when it was not verified. */
  declare readonly verification: pulumi.Output<TokenVerification | undefined>;

  /**
   * The console's existing Git provider `id` (`gitlab-main` or `vcsProviders/gitlab-main`) as a resource of this
   * stack, read and never changed or deleted. The console is the stack config's `bytebase:*` (else `BYTEBASE_*`).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): VcsProvider {
    return new VcsProvider(name, {} as VcsProviderArgs, { ...opts, id });
  }

  constructor(name: string, args: VcsProviderArgs, opts?: pulumi.CustomResourceOptions) {
    // An output exists only if its key is among the props: seed every output, then the user's inputs over them.
    const props = {
      ...Object.fromEntries(OUTPUTS.map((key) => [key, undefined])),
      ...args,
      accessToken: args.accessToken === undefined ? undefined : pulumi.secret(args.accessToken),
      connection: args.connection === undefined ? undefined : pulumi.secret(args.connection),
    };
    super(
      serializedVcsProvider,
      name,
      props,
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["accessToken", "connection"] }),
      GITOPS_PROVIDER_MODULE,
      VCS_PROVIDER_TYPE_NAME,
    );
  }
}
