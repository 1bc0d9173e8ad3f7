// GitOpsProvider: the program-side Pulumi resource for one Git provider (OAuth application) of a Bytebase console.
import * as pulumi from "@pulumi/pulumi";
import type { GitProviderType } from "../catalog";
import type { Verification } from "../verification";
import { serializedProvider } from "./serialized-provider";
import { GITOPS_PROVIDER_MODULE, GITOPS_PROVIDER_TYPE, GITOPS_PROVIDER_TYPE_NAME } from "./type-token";

/** Where the console is and who logs in; each field falls back to stack config, then the environment. */
export interface ConnectionArgs {
  /** The console's URL (else config `bytebase:url`, else env `BYTEBASE_URL`). */
  url?: pulumi.Input<string>;
  /** A service account email (else `bytebase:serviceAccount` / `BYTEBASE_SERVICE_ACCOUNT`). */
  serviceAccount?: pulumi.Input<string>;
  /** The service account's key, `bbs_...` (else `bytebase:serviceKey` / `BYTEBASE_SERVICE_KEY`). Always stored as a secret. */
  serviceKey?: pulumi.Input<string>;
}

export interface GitOpsProviderArgs {
  /** The Git provider: `AZURE_DEVOPS`, `BITBUCKET`, `GITHUB` or `GITLAB`. Changing it replaces the resource. */
  type: pulumi.Input<GitProviderType>;
  /** The OAuth application's id (Azure DevOps App ID, Bitbucket Key, GitHub Client ID, GitLab Application ID). */
  applicationId: pulumi.Input<string>;
  /** The OAuth application's secret (Azure DevOps: the Client Secret). Always stored as a secret. */
  secret: pulumi.Input<string>;
  /** The display name in the console; default: the wizard's name for the type. */
  title?: pulumi.Input<string>;
  /** The Git provider's address; default per type (https://github.com, ...). Changing it replaces the resource. */
  instanceUrl?: pulumi.Input<string>;
  /**
   * The callback registered in the OAuth app; checked against the console's `<externalUrl>/oauth/callback` (read the
   * console's own from the `consoleCallbackUrl` output).
   */
  callbackUrl?: pulumi.Input<string>;
  /** The scopes (Bitbucket: permissions) the OAuth app was registered with, e.g. `vso.code_full`. */
  scopes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Verify the application id and secret against the Git provider before writing them (default true). */
  verifyCredentials?: pulumi.Input<boolean>;
  /**
   * Adopt the console's existing Git provider with this id (`101` or `externalVersionControls/101`) when the resource
   * is created, instead of making a new one: its title, application id and secret are set to the declared ones. The
   * `import` resource option cannot reach dynamic providers (pulumi/pulumi#16175). Ignored after creation.
   */
  importId?: pulumi.Input<string>;
  /** The console to manage; default: stack config `bytebase:*`, then env `BYTEBASE_*`. */
  connection?: pulumi.Input<ConnectionArgs>;
}

const OUTPUTS = [
  "name",
  "title",
  "type",
  "instanceUrl",
  "apiUrl",
  "applicationId",
  "callbackUrl",
  "consoleCallbackUrl",
  "scopes",
  "secret",
  "verification",
] as const;

export class GitOpsProvider extends pulumi.dynamic.Resource {
  /** The type token, so that policies (`validateResourceOfType`) can match this resource. */
  static readonly __pulumiType = GITOPS_PROVIDER_TYPE;

  static override isInstance(obj: unknown): obj is GitOpsProvider {
    return (
      obj instanceof GitOpsProvider ||
      (pulumi.Resource.isInstance(obj) &&
        (obj as { __pulumiType?: string }).__pulumiType === GITOPS_PROVIDER_TYPE)
    );
  }

  /** The provider's name in the console: `externalVersionControls/101`. */
  declare readonly name: pulumi.Output<string>;
  /** The display name, as the console holds it (refresh shows a change made in the console). */
  declare readonly title: pulumi.Output<string>;
  /** The Git provider type, as the console holds it. */
  declare readonly type: pulumi.Output<GitProviderType>;
  /** The Git provider's address, as the console holds it (no trailing '/'). */
  declare readonly instanceUrl: pulumi.Output<string>;
  /** The Git provider's API address the console uses, e.g. `https://api.github.com`. */
  declare readonly apiUrl: pulumi.Output<string>;
  /** The OAuth application's id, as the console holds it. */
  declare readonly applicationId: pulumi.Output<string>;
  /**
   * @deprecated Read `consoleCallbackUrl`. The console's OAuth callback (`<externalUrl>/oauth/callback`), as in 0.x;
   * from 1.1 this output is the declared `callbackUrl` input, as its name says.
   */
  declare readonly callbackUrl: pulumi.Output<string>;
  /** The console's OAuth callback, `<externalUrl>/oauth/callback`: what every OAuth app must register. */
  declare readonly consoleCallbackUrl: pulumi.Output<string>;
  /** The declared scopes (`[]` when none were declared). */
  declare readonly scopes: pulumi.Output<string[]>;
  /** The OAuth application's secret: the declared one (the console never returns it). A secret output. */
  declare readonly secret: pulumi.Output<string>;
  /** What was verified against the Git provider, when, and how it went; undefined when nothing was verified. */
  declare readonly verification: pulumi.Output<Verification | undefined>;

  /**
   * The console's existing Git provider `id` (`101` or `externalVersionControls/101`) as a resource of this stack,
   * read and never changed or deleted. The console is the stack config's `bytebase:*` (else `BYTEBASE_*`).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): GitOpsProvider {
    return new GitOpsProvider(name, {} as GitOpsProviderArgs, { ...opts, id });
  }

  constructor(name: string, args: GitOpsProviderArgs, opts?: pulumi.CustomResourceOptions) {
    // An output exists only if its key is among the props: seed every output, then the user's inputs over them.
    const props = {
      ...Object.fromEntries(OUTPUTS.map((key) => [key, undefined])),
      ...args,
      secret: args.secret === undefined ? undefined : pulumi.secret(args.secret),
      connection: args.connection === undefined ? undefined : pulumi.secret(args.connection),
    };
    super(
      serializedProvider,
      name,
      props,
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["secret", "connection"] }),
      GITOPS_PROVIDER_MODULE,
      GITOPS_PROVIDER_TYPE_NAME,
    );
    // A state written before 1.0 has no consoleCallbackUrl until a refresh or update; its callbackUrl is the console's.
    const legacy = this.callbackUrl;
    this.consoleCallbackUrl = pulumi.all([this.consoleCallbackUrl, legacy]).apply(([own, old]) => own ?? old);
  }
}
