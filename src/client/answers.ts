// The shapes of the console's answers, checked before use: a proxy's login page, a truncated body or another API
// version fails with the field that did not fit, never with a TypeError deep inside the provider.
import { z } from "zod";
import type { AnswerParser } from "./http";

const text = z.string().max(10_000);

export const ExternalVersionControlAnswer = z.object({
  name: text.regex(/^externalVersionControls\/[^/]+$/, "expected externalVersionControls/<id>"),
  title: text,
  type: text,
  url: text,
  apiUrl: text.default(""),
  applicationId: text.default(""),
  secret: text.default(""),
});

export const ListAnswer = z.object({
  externalVersionControls: z.array(ExternalVersionControlAnswer).default([]),
  nextPageToken: text.default(""),
});

/** The name of the workspace profile setting, which holds the external URL. */
export const PROFILE_SETTING = "settings/bb.workspace.profile";

/**
 * `GET /v1/settings` (ListSettings, bytebase backend/api/v1/setting_service.go@2.14.0): every whitelisted setting
 * the console has stored, each `{name, value}`; only the workspace profile is read, the others' values pass unread.
 */
export const SettingsAnswer = z.object({
  settings: z.array(z.object({ name: text, value: z.unknown() })).default([]),
});

export const ProfileAnswer = z.object({
  value: z
    .object({
      workspaceProfileSettingValue: z.object({ externalUrl: text.default("") }).default({ externalUrl: "" }),
    })
    .default({ workspaceProfileSettingValue: { externalUrl: "" } }),
});

/** `GET /v1/actuator/info` (proto/v1/actuator_service.proto@2.14.0 ActuatorInfo: `version`, `external_url`, ...). */
export const ActuatorAnswer = z.object({
  version: text.default(""),
  externalUrl: text.default(""),
  /** actuator_service.proto@3.15.0 - @3.16.0 `workspace_id`; @3.21.1 `workspace` (`workspaces/<id>`). */
  workspaceId: text.default(""),
  workspace: text.default(""),
});

export const LoginAnswer = z.object({ token: z.string().min(1) });

// ProjectGitOpsInfo (bytebase backend/api/v1/project_service.go@2.14.0 convertToProjectGitOpsInfo): `title` is the
// linked repository's title (repository.name), `fullPath` its path in the Git provider, e.g. "group/schema".
export const LinkedProjectsAnswer = z.object({
  projectGitopsInfo: z
    .array(z.object({ name: text.optional(), title: text.optional(), fullPath: text.optional() }))
    .default([]),
});

export const Anything = z.unknown();

/** A parser for sendJson from a schema; its error names each field that did not fit, never a value. */
export function parserOf<S extends z.ZodType>(schema: S): AnswerParser<z.output<S>> {
  return (body) => {
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    throw new Error(
      result.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.length ? issue.path.join(".") : "the body"}: ${issue.message}`)
        .join("; "),
    );
  };
}
