// Login, the workspace profile setting (the external URL), the settings list and the actuator info.
import { Method } from "../acl";
import { Code, GrpcError } from "../errors";
import { normalizeExternalUrl } from "../external-url";
import type { Reply, Req } from "../http";
import { jsonBody, stringField, type RouteContext } from "./context";

export const PROFILE = "settings/bb.workspace.profile";

/** Login (auth_service.go@2.14.0): the token in the body; the access-token cookie only for `"web": true`. */
export function login(ctx: RouteContext, req: Req): Reply {
  const body = jsonBody(req);
  const { token, expiresAt } = ctx.auth.login(body.email, body.password);
  if (body.web !== true) return { status: 200, body: { token } };
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
        gitopsWebhookUrl: d.gitopsWebhookUrl ?? "",
      },
    },
  };
}

/** GetSetting: any role in 2.5 - 2.13; `bb.settings.get` (Admin, DBA; not Member) from 2.14 (see acl.ts). */
export function getProfile(ctx: RouteContext, req: Req): Reply {
  ctx.auth.authorize(req, Method.getSetting);
  return { status: 200, body: profileBody(ctx) };
}

/**
 * `GET /v1/settings` (ListSettings, bytebase backend/api/v1/setting_service.go@2.5.0 - @2.14.0): every whitelisted
 * setting stored; this console stores only the workspace profile. Needs `bb.settings.list` on 2.14
 * (acl_config.go@2.14.0), which every role holds; no role check on 2.5 - 2.13.
 */
export function listSettings(ctx: RouteContext, req: Req): Reply {
  ctx.auth.authorize(req, Method.listSettings);
  return { status: 200, body: { settings: [profileBody(ctx)] } };
}

/**
 * `PATCH /v1/settings/bb.workspace.profile`: SetSetting (2.5 - 2.13, Owner and DBA) or UpdateSetting (2.14+,
 * `bb.settings.set`). The body is the Setting itself (`body: "setting"` in setting_service.proto@2.5.0 - @2.14.0);
 * unknown keys are discarded (grpc-gateway's default unmarshaler has DiscardUnknown), so a body wrapped as
 * `{"setting": ...}` carries no value. The profile is replaced as a whole (setting_service.go@2.14.0 marshals the
 * given WorkspaceProfileSetting): an absent value or externalUrl unsets the external URL.
 */
export function patchProfile(ctx: RouteContext, req: Req): Reply {
  const setting = jsonBody(req);
  const method = ctx.profile.updateSettingMethod === "SetSetting" ? Method.setSetting : Method.updateSetting;
  ctx.auth.authorize(req, method);
  const value = setting.value as Record<string, unknown> | undefined;
  const found = value?.workspaceProfileSettingValue ?? value?.workspace_profile_setting_value;
  const profile = (typeof found === "object" && found !== null ? found : {}) as Record<string, unknown>;
  const externalUrl = stringField(profile, "externalUrl") ?? "";
  const d = ctx.store.data;
  const gitopsWebhookUrl = webhookUrl(stringField(profile, "gitopsWebhookUrl") ?? "");
  ctx.store.setExternalUrl(externalUrl); // validates before anything changes
  d.gitopsWebhookUrl = gitopsWebhookUrl;
  d.disallowSignup = profile.disallowSignup === true;
  d.require2fa = profile.require2fa === true;
  ctx.store.changed();
  return { status: 200, body: profileBody(ctx) };
}

/** setting_service.go@2.15.0 (@3.4.1 alike): a non-empty GitOps webhook URL is normalized as the external URL is. */
function webhookUrl(given: string): string {
  if (given === "") return "";
  try {
    return normalizeExternalUrl(given);
  } catch (error) {
    const reason = (error as Error).message.replace(/^invalid external url: /, "");
    throw new GrpcError(Code.InvalidArgument, `invalid GitOps webhook URL: ${reason}`);
  }
}

/** `GET /v1/actuator/info`: public (skipped by the ACL), ActuatorInfo of the version's actuator_service.proto. */
export function actuatorInfo(ctx: RouteContext): Reply {
  const d = ctx.store.data;
  return {
    status: 200,
    body: {
      version: ctx.profile.reported,
      gitCommit: "local-console",
      readonly: false,
      saas: false,
      demoName: "",
      host: "",
      port: "",
      externalUrl: d.externalUrl,
      needAdminSetup: false,
      disallowSignup: d.disallowSignup,
      lastActiveTime: new Date(ctx.nowMs()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      require2fa: d.require2fa,
      workspaceId: d.workspaceId,
      gitopsWebhookUrl: d.gitopsWebhookUrl ?? "",
      debug: false,
      ...ctx.profile.actuatorExtras,
    },
  };
}
