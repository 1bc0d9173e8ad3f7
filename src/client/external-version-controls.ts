// The console's Git provider API (Bytebase 2.5-2.14 `externalVersionControls`), typed; the only module that
// knows its paths and field names.
import type { z } from "zod";
import {
  ExternalVersionControlAnswer,
  LinkedProjectsAnswer,
  ListAnswer,
  PROFILE_SETTING,
  ProfileAnswer,
  SettingsAnswer,
  Anything,
  parserOf,
} from "./answers";
import { ConsoleApi } from "./connection";
import { ConsoleAnswerError, ConsoleError } from "./errors";
import { SETTINGS_LIST_ADVICE } from "./permissions";
import type { GitProviderType } from "../catalog";

/** A Git provider as the console returns it (`secret` is always empty in answers; `type` may be one we do not know). */
export type ExternalVersionControl = z.output<typeof ExternalVersionControlAnswer>;

export interface NewExternalVersionControl {
  readonly title: string;
  readonly type: GitProviderType;
  readonly url: string;
  readonly applicationId: string;
  readonly secret: string;
}

/** The fields the console can change in place, by their update_mask paths. */
const UPDATABLE_FIELDS = {
  title: "title",
  applicationId: "application_id",
  secret: "secret",
} as const;
export type UpdatableField = keyof typeof UPDATABLE_FIELDS;

export class ConsoleClient extends ConsoleApi {
  protected readonly versions = "2.5 to 2.14";

  private external: Promise<string> | undefined;

  /**
   * The console's external URL ("" when none is set), read once per client (again after a failure): from the
   * actuator, which every caller may read (its `externalUrl` is the profile setting's: getServerInfo in
   * backend/api/v1/actuator_service.go@2.5.0 and @2.14.0), else from the settings list.
   */
  externalUrl(): Promise<string> {
    if (!this.external) {
      const pending = this.consoleInfo().then((info) => info?.externalUrl ?? this.externalUrlSetting());
      pending.catch(() => this.external === pending && (this.external = undefined));
      this.external = pending;
    }
    return this.external;
  }

  /**
   * The external URL from the settings list: ListSettings needs `bb.settings.list`, which every workspace role
   * holds, where GetSetting of the profile needs `bb.settings.get`, which a 2.14 Member lacks (bytebase
   * backend/component/iam/acl.yaml@2.14.0).
   */
  async externalUrlSetting(): Promise<string> {
    const operation = "Reading the console's external URL";
    let answer;
    try {
      answer = await this.call(SettingsAnswer, {
        method: "GET",
        path: "v1/settings",
        operation,
        idempotent: true,
      });
    } catch (error) {
      if (error instanceof ConsoleError && error.status === 403) error.message += `; ${SETTINGS_LIST_ADVICE}`;
      throw error;
    }
    const profile = answer.settings.find((s) => s.name === PROFILE_SETTING);
    if (!profile) return ""; // never stored: no external URL set
    try {
      return parserOf(ProfileAnswer)(profile).value.workspaceProfileSettingValue.externalUrl;
    } catch (error) {
      const detail = `the setting ${PROFILE_SETTING}: ${(error as Error).message}`;
      throw new ConsoleAnswerError(operation, detail, this.versions);
    }
  }

  /** Every Git provider (the console does not page this list). */
  async list(): Promise<ExternalVersionControl[]> {
    const answer = await this.call(ListAnswer, {
      method: "GET",
      path: "v1/externalVersionControls",
      operation: "Listing Git providers",
      idempotent: true,
    });
    return answer.externalVersionControls;
  }

  get(id: string): Promise<ExternalVersionControl> {
    return this.call(ExternalVersionControlAnswer, {
      method: "GET",
      path: `v1/externalVersionControls/${encodeURIComponent(id)}`,
      operation: `Reading Git provider ${id}`,
      idempotent: true,
    });
  }

  create(provider: NewExternalVersionControl): Promise<ExternalVersionControl> {
    return this.call(
      ExternalVersionControlAnswer,
      {
        method: "POST",
        path: "v1/externalVersionControls",
        body: provider,
        operation: `Creating Git provider "${provider.title}"`,
        idempotent: false,
      },
      [provider.secret],
    );
  }

  /** PATCH with an update_mask of exactly the given fields. */
  update(id: string, changes: Partial<Record<UpdatableField, string>>): Promise<ExternalVersionControl> {
    const fields = Object.keys(changes) as UpdatableField[];
    const mask = fields.map((f) => UPDATABLE_FIELDS[f]).join(",");
    return this.call(
      ExternalVersionControlAnswer,
      {
        method: "PATCH",
        path: `v1/externalVersionControls/${encodeURIComponent(id)}?update_mask=${mask}`,
        body: { name: `externalVersionControls/${id}`, ...changes },
        operation: `Updating ${fields.join(", ")} of Git provider ${id}`,
        idempotent: true,
      },
      changes.secret ? [changes.secret] : [],
    );
  }

  async delete(id: string): Promise<void> {
    await this.call(Anything, {
      method: "DELETE",
      path: `v1/externalVersionControls/${encodeURIComponent(id)}`,
      operation: `Deleting Git provider ${id}`,
      idempotent: true,
    });
  }

  /**
   * The Bytebase projects whose GitOps repository uses the Git provider, each with its repository (ListProjectGitOpsInfo's
   * `title` is the repository's title), e.g. `projects/payments (repository "schema", acme/schema)`.
   */
  async linkedProjects(id: string): Promise<string[]> {
    const answer = await this.call(LinkedProjectsAnswer, {
      method: "GET",
      path: `v1/externalVersionControls/${encodeURIComponent(id)}/projects`,
      operation: `Listing the projects that use Git provider ${id}`,
      idempotent: true,
    });
    return answer.projectGitopsInfo.map((info) => {
      const project = (info.name ?? "").replace(/\/gitOpsInfo$/, "") || "a project";
      const repository = [info.title && `"${info.title}"`, info.fullPath].filter(Boolean).join(", ");
      return repository ? `${project} (repository ${repository})` : project;
    });
  }
}
