// The console's access-token Git provider API (Bytebase 2.15 - 3.4 `vcsProviders`,
// proto/v1/vcs_provider_service.proto@2.15.0 and @3.4.1), typed; the only module that knows its paths and fields.
import { z } from "zod";
import type { GitProviderType } from "../catalog";
import { Anything } from "./answers";
import { ConsoleApi } from "./connection";

const text = z.string().max(10_000);

/**
 * convertVCSProvider (vcs_provider_service.go@2.15.0): name, title, type, url; `accessToken` is INPUT_ONLY. 2.15 - 3.3
 * emit every field, empty ones too; 3.4.1's marshaler leaves empty ones out (server.go@3.4.1), so only `name` is
 * required.
 */
export const VcsProviderAnswer = z.object({
  name: text.regex(/^vcsProviders\/[^/]+$/, "expected vcsProviders/<id>"),
  title: text.default(""),
  type: text.default(""),
  url: text.default(""),
  accessToken: text.default(""),
});
const ConnectorsAnswer = z.object({
  vcsConnectors: z
    .array(z.object({ name: text, branch: text.optional(), fullPath: text.optional() }))
    .default([]),
});

export type VcsProvider = z.output<typeof VcsProviderAnswer>;

export interface NewVcsProvider {
  readonly title: string;
  readonly type: GitProviderType;
  readonly url: string;
  readonly accessToken: string;
}

/** The fields UpdateVCSProvider honours, by their update_mask paths (vcs_provider_service.go@2.15.0). */
const VCS_UPDATABLE = { title: "title", accessToken: "access_token" } as const;
export type VcsUpdatable = keyof typeof VCS_UPDATABLE;

const path = (id: string) => `v1/vcsProviders/${encodeURIComponent(id)}`;

export class VcsProviderClient extends ConsoleApi {
  protected readonly versions = "2.15 to 3.4";

  get(id: string): Promise<VcsProvider> {
    return this.call(VcsProviderAnswer, {
      method: "GET",
      path: path(id),
      operation: `Reading Git provider vcsProviders/${id}`,
      idempotent: true,
    });
  }

  /** `POST /v1/vcsProviders?vcsProviderId=<id>` with the provider as the body. */
  create(id: string, provider: NewVcsProvider): Promise<VcsProvider> {
    return this.call(
      VcsProviderAnswer,
      {
        method: "POST",
        path: `v1/vcsProviders?vcsProviderId=${encodeURIComponent(id)}`,
        body: provider,
        operation: `Creating Git provider vcsProviders/${id}`,
        idempotent: false,
      },
      [provider.accessToken],
    );
  }

  /** PATCH with an update_mask of exactly the given fields. */
  update(id: string, changes: Partial<Record<VcsUpdatable, string>>): Promise<VcsProvider> {
    const fields = Object.keys(changes) as VcsUpdatable[];
    const mask = fields.map((f) => VCS_UPDATABLE[f]).join(",");
    return this.call(
      VcsProviderAnswer,
      {
        method: "PATCH",
        path: `${path(id)}?update_mask=${mask}`,
        body: { name: `vcsProviders/${id}`, ...changes },
        operation: `Updating ${fields.map((f) => VCS_UPDATABLE[f]).join(", ")} of Git provider vcsProviders/${id}`,
        idempotent: true,
      },
      changes.accessToken ? [changes.accessToken] : [],
    );
  }

  async delete(id: string): Promise<void> {
    await this.call(Anything, {
      method: "DELETE",
      path: path(id),
      operation: `Deleting Git provider vcsProviders/${id}`,
      idempotent: true,
    });
  }

  /** The connectors that use the provider (ListVCSConnectorsInProvider), e.g. `projects/db/vcsConnectors/main`. */
  async connectors(id: string): Promise<string[]> {
    const answer = await this.call(ConnectorsAnswer, {
      method: "GET",
      path: `${path(id)}/vcsConnectors`,
      operation: `Listing the connectors that use Git provider vcsProviders/${id}`,
      idempotent: true,
    });
    return answer.vcsConnectors.map((c) => c.name);
  }
}
