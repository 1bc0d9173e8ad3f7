// Login, the workspace profile setting (the external URL), the settings list and the actuator info.
import { Code, GrpcError } from "../errors";
import type { Reply, Req } from "../http";
import { jsonBody, stringField, type RouteContext } from "./context";

export const PROFILE = "settings/bb.workspace.profile";

export function login(ctx: RouteContext, req: Req): Reply {
  const body = jsonBody(req);
  const { token, expiresAt } = ctx.auth.login(body.email, body.password);
  const expires = new Date(expiresAt * 1000).toUTCString();
  return {
    status: 200,
    headers: { "set-cookie": `access-token=${token}; Path=/; Expires=${expires}; HttpOnly; SameSite=Strict` },
    body: { token },
  };
}

function profileBody(ctx: RouteContext) {
  const d = ctx.store.data;
  return {
    name: PROFILE,
    value: {
      workspaceProfileSettingValue: {
        externalUrl: d.externalUrl,
        disallowSignup: d.disallowSignup,
        require2fa: d.require2fa,
        outboundIpList: [],
        gitopsWebhookUrl: "",
      },
    },
  };
}

export function getProfile(ctx: RouteContext, req: Req): Reply {
  ctx.auth.authorize(req, "bb.settings.get", "/bytebase.v1.SettingService/GetSetting");
  return { status: 200, body: profileBody(ctx) };
}

/**
 * `GET /v1/settings` (ListSettings, bytebase backend/api/v1/setting_service.go@2.14.0): every whitelisted setting
 * stored; this console stores only the workspace profile. Needs `bb.settings.list` (acl_config.go@2.14.0).
 */
export function listSettings(ctx: RouteContext, req: Req): Reply {
  ctx.auth.authorize(req, "bb.settings.list", "/bytebase.v1.SettingService/ListSettings");
  return { status: 200, body: { settings: [profileBody(ctx)] } };
}

/**
 * `PATCH /v1/settings/bb.workspace.profile`, body = the Setting (also accepted wrapped as `{"setting": ...}`).
 * As in Bytebase 2.x the profile value is replaced as a whole: an absent externalUrl unsets it.
 */
export function patchProfile(ctx: RouteContext, req: Req): Reply {
  const raw = jsonBody(req);
  ctx.auth.authorize(req, "bb.settings.set", "/bytebase.v1.SettingService/UpdateSetting");
  const setting = (typeof raw.setting === "object" && raw.setting !== null ? raw.setting : raw) as Record<
    string,
    unknown
  >;
  const value = setting.value as Record<string, unknown> | undefined;
  const profile = (value?.workspaceProfileSettingValue ?? value?.workspace_profile_setting_value) as
    Record<string, unknown> | undefined;
  if (typeof profile !== "object" || profile === null)
    throw new GrpcError(Code.InvalidArgument, "workspace profile setting value is required");
  const d = ctx.store.data;
  d.disallowSignup = profile.disallowSignup === true;
  d.require2fa = profile.require2fa === true;
  ctx.store.setExternalUrl(stringField(profile, "externalUrl") ?? "");
  return { status: 200, body: profileBody(ctx) };
}

/** `GET /v1/actuator/info`: public, as in Bytebase. */
export function actuatorInfo(ctx: RouteContext): Reply {
  const d = ctx.store.data;
  return {
    status: 200,
    body: {
      version: ctx.version,
      gitCommit: "local-console",
      readonly: false,
      saas: false,
      demoName: "",
      host: "",
      port: "",
      externalUrl: d.externalUrl,
      needAdminSetup: false,
      disallowSignup: d.disallowSignup,
      require2fa: d.require2fa,
      workspaceId: d.workspaceId,
      gitopsWebhookUrl: "",
      debug: false,
      lastActiveTime: new Date(ctx.nowMs()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    },
  };
}
