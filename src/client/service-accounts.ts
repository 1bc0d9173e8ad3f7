// The console's service accounts (Bytebase 3.15+ `ServiceAccountService`,
// proto/v1/v1/service_account_service.proto@3.15.0 - @3.21.1): create (the answer carries the `bbs_` key, once),
// get, update by mask (`service_key` rotates the key), soft delete, undelete. The only module that knows their paths.
import { z } from "zod";
import { Anything } from "./answers";
import { ConsoleApi } from "./connection";

const text = z.string().max(10_000);

/** convertToServiceAccount (service_account_service.go@3.21.1); `serviceKey` only on create and rotation. */
const ServiceAccountAnswer = z.object({
  name: text.regex(/^serviceAccounts\/[^/]+$/, "expected serviceAccounts/<email>"),
  state: z.enum(["STATE_UNSPECIFIED", "ACTIVE", "DELETED"]).default("ACTIVE"),
  email: text,
  title: text.default(""),
  serviceKey: text.default(""),
});
export type ServiceAccount = z.output<typeof ServiceAccountAnswer>;

/** The paths UpdateServiceAccount honours (service_account_service.go@3.21.1). */
export type ServiceAccountPath = "title" | "service_key";

const named = (email: string) => `v1/serviceAccounts/${encodeURIComponent(email)}`;

export class ServiceAccountClient extends ConsoleApi {
  protected readonly versions = "3.15 and later";

  create(parent: string, id: string, title: string): Promise<ServiceAccount> {
    return this.call(ServiceAccountAnswer, {
      method: "POST",
      path: `v1/${parent}/serviceAccounts?serviceAccountId=${encodeURIComponent(id)}`,
      body: { title },
      operation: `Creating service account ${id} in ${parent}`,
      idempotent: false,
    });
  }

  get(email: string): Promise<ServiceAccount> {
    return this.call(ServiceAccountAnswer, {
      method: "GET",
      path: named(email),
      operation: `Reading service account ${email}`,
      idempotent: true,
    });
  }

  /** A rotation (`service_key`) is not repeated after a lost answer: each one makes a new key. */
  update(email: string, paths: readonly ServiceAccountPath[], title: string): Promise<ServiceAccount> {
    return this.call(ServiceAccountAnswer, {
      method: "PATCH",
      path: `${named(email)}?update_mask=${paths.join(",")}`,
      body: { name: `serviceAccounts/${email}`, title },
      operation: `Updating ${paths.join(", ")} of service account ${email}`,
      idempotent: !paths.includes("service_key"),
    });
  }

  async delete(email: string): Promise<void> {
    await this.call(Anything, {
      method: "DELETE",
      path: named(email),
      operation: `Deleting service account ${email}`,
      idempotent: true,
    });
  }

  undelete(email: string): Promise<ServiceAccount> {
    return this.call(ServiceAccountAnswer, {
      method: "POST",
      path: `${named(email)}:undelete`,
      body: {},
      operation: `Undeleting service account ${email}`,
      idempotent: true,
    });
  }
}
