// The console's access-token Git provider API (Bytebase 2.15 - 3.4 `vcsProviders`,
// proto/v1/vcs_provider_service.proto@2.15.0 and @3.4.1), typed; the only module that knows its paths and fields.
import { z } from "zod";
import type { GitProviderType } from "../catalog";
import { Anything } from "./answers";
import { ConsoleApi } from "./connection";
import { ConsoleError, VCS_PROVIDER_NOT_FOUND } from "./errors";

const text = z.string().max(10_000);

/** convertVCSProvider (vcs_provider_service.go@2.15.0): name, title, type, url; `accessToken` is INPUT_ONLY. */
export const VcsProviderAnswer = z.object({
  name: text.regex(/^vcsProviders\/[^/]+$/, "expected vcsProviders/<id>"),
  title: text,
  type: text,
  url: text,
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
export const VCS_UPDATABLE = { title: "title", accessToken: "access_token" } as const;
export type VcsUpdatable = keyof typeof VCS_UPDATABLE;

/**
 * Bytebase's own not-found for this provider (getVCS: `vcs provider vcsProviders/<id> not found`, NotFound) to a
 * request on it: the only 404 that means "this provider is gone". Any other 404 (`Not Found` from an unknown route: a
 * console before 2.15 or from 3.5, a wrong URL prefix, a proxy) means the request never reached this API.
 */
export function isVcsProviderGone(error: unknown, id: string): boolean {
  if (!(error instanceof ConsoleError) || error.status !== 404) return false;
  if (!VCS_PROVIDER_NOT_FOUND.test(error.consoleMessage)) return false;
  const path = decodeURIComponent(error.request?.split(" ")[1] ?? "");
  return path.endsWith(`/vcsProviders/${id}`);
}

/** A 404 from a route the console does not have: this console does not serve `vcsProviders`. */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ConsoleError && error.status === 404 && error.consoleMessage === "Not Found";
}

const path = (id: string) => `v1/vcsProviders/${encodeURIComponent(id)}`;

export class VcsProviderClient extends ConsoleApi {
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
