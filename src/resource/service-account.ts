// ServiceAccount: the program-side Pulumi resource for one Bytebase 3.15+ service account (`serviceAccounts/<email>`),
// whose `bbs_` key is a secret output (the console shows it only on create or rotation).
import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "./gitops-provider";
import { serializedServiceAccount } from "./serialized-provider";
import { GITOPS_PROVIDER_MODULE, SERVICE_ACCOUNT_TYPE, SERVICE_ACCOUNT_TYPE_NAME } from "./type-token";

export interface ServiceAccountArgs {
  /** The account's id (Bytebase's resource-id rule); its email is `<id>@<project>.service.bytebase.com`. Replaces. */
  serviceAccountId: pulumi.Input<string>;
  /** The project's id; omit for a workspace-level account. Replaces. */
  project?: pulumi.Input<string>;
  title?: pulumi.Input<string>;
  /** Raise it to rotate the key (update mask `service_key`); default 0. */
  keyVersion?: pulumi.Input<number>;
  /** The console to manage; default: stack config `bytebase:*`, then env `BYTEBASE_*`. */
  connection?: pulumi.Input<ConnectionArgs>;
}

const OUTPUTS = ["name", "email", "member", "serviceKey", "title"] as const;

export class ServiceAccount extends pulumi.dynamic.Resource {
  static readonly __pulumiType = SERVICE_ACCOUNT_TYPE;

  static override isInstance(obj: unknown): obj is ServiceAccount {
    return (
      obj instanceof ServiceAccount ||
      (pulumi.Resource.isInstance(obj) &&
        (obj as { __pulumiType?: string }).__pulumiType === SERVICE_ACCOUNT_TYPE)
    );
  }

  /** `serviceAccounts/<email>` */
  declare readonly name: pulumi.Output<string>;
  declare readonly email: pulumi.Output<string>;
  /** `serviceAccount:<email>`: give it to a ProjectIamMember. */
  declare readonly member: pulumi.Output<string>;
  /** The `bbs_` key: a secret; store it as a CI secret (never in plain text). */
  declare readonly serviceKey: pulumi.Output<string>;
  declare readonly title: pulumi.Output<string>;

  constructor(name: string, args: ServiceAccountArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...Object.fromEntries(OUTPUTS.map((key) => [key, undefined])),
      ...args,
      connection: args.connection === undefined ? undefined : pulumi.secret(args.connection),
    };
    super(
      serializedServiceAccount,
      name,
      props,
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["connection", "serviceKey"] }),
      GITOPS_PROVIDER_MODULE,
      SERVICE_ACCOUNT_TYPE_NAME,
    );
  }
}
