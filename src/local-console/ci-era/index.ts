// The routes of Bytebase 3.15 - 3.21 the local console serves (login, actuator, workload identities, service
// accounts, project IAM, the OIDC token exchange); the gateway's 3.x answers are ../gateway.ts and ../versions.ts.
import type { Route } from "../gateway";
import type { Reply } from "../http";
import type { RouteContext } from "../routes/context";
import { login } from "../routes/workspace";
import { SERVICE_ACCOUNT, WORKLOAD_IDENTITY } from "./account-kinds";
import { accountRoutes } from "./accounts";
import { exchangeToken } from "./exchange";
import { PROJECT_IAM } from "./iam";

type R = Route<RouteContext>;

/** ActuatorInfo of actuator_service.proto@3.15.0/@3.16.0 (`workspaceId`) or @3.21.1 (`workspace`), zero values left out. */
function actuatorInfo(ctx: RouteContext): Reply {
  const d = ctx.store.data;
  return {
    status: 200,
    body: {
      version: ctx.profile.reported,
      gitCommit: "local-console",
      ...(d.externalUrl ? { externalUrl: d.externalUrl } : {}),
      lastActiveTime: new Date(ctx.nowMs()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      ...(ctx.profile.ciEra?.isolatesWorkspaces
        ? { workspace: `workspaces/${d.workspaceId}` }
        : { workspaceId: d.workspaceId }),
    },
  };
}

export const CI_ERA_ROUTES: readonly R[] = [
  { method: "POST", pattern: /^\/v1\/auth\/login$/, handle: login },
  { method: "GET", pattern: /^\/v1\/actuator\/info$/, handle: actuatorInfo },
  // auth_service.proto@3.21.1: `post: "/v1/auth:exchangeToken" body: "*"`, public (no token needed).
  { method: "POST", pattern: /^\/v1\/auth:exchangeToken$/, handle: exchangeToken },
  ...accountRoutes(WORKLOAD_IDENTITY),
  ...accountRoutes(SERVICE_ACCOUNT),
  ...PROJECT_IAM,
];

export { fakeIssuer } from "./exchange";
export { CI_ISSUERS, type CiTokenClaims } from "./oidc-issuer";
