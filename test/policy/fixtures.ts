// Test fixtures: a well-formed GitOpsProvider per Git provider type, and Azure DevOps Client Secrets (JWTs).
import { GIT_PROVIDER_TYPES, type GitProviderType } from "../../src/catalog";
import type { TestResource } from "./harness";

import { UNKNOWN } from "../harness/provider-host";

export { UNKNOWN };
export const TYPES: readonly GitProviderType[] = GIT_PROVIDER_TYPES;
export const CALLBACK = "https://bytebase.example.com/oauth/callback";
export const AZURE_APP_ID = "6f3a1c2e-8b9d-4e7f-a1b2-c3d4e5f60718";
const DAY = 24 * 60 * 60;

/** An Azure DevOps Client Secret: an unsigned JWT with `cid` and `exp` (days from now). */
export function azureSecret(days: number, cid = AZURE_APP_ID): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return [
    part({ typ: "JWT", alg: "RS256" }),
    part({ cid, nbf: now - DAY, exp: now + days * DAY }),
    "c2lnbmF0dXJl",
  ].join(".");
}

const base: Record<GitProviderType, Record<string, unknown>> = {
  AZURE_DEVOPS: {
    applicationId: AZURE_APP_ID,
    secret: azureSecret(60),
    scopes: ["vso.code_full", "vso.identity", "vso.project", "vso.build_execute"],
  },
  BITBUCKET: {
    applicationId: "aB3dE5fG7hJ9kL1mN2",
    secret: "pQ4rS6tU8vW0xY2zA4bC6dE8fG0hJ2kL",
    scopes: ["account", "webhook", "repository:write"],
  },
  GITHUB: {
    applicationId: "Ov23liAbCdEfGhIjKlMn",
    secret: "0123456789abcdef0123456789abcdef01234567",
    scopes: ["repo", "workflow"],
  },
  GITLAB: {
    applicationId: "a".repeat(64),
    secret: `gloas-${"b".repeat(64)}`,
    scopes: ["api"],
  },
};

/** A GitOpsProvider that every policy accepts, with `overrides` applied (an `undefined` override removes a prop). */
export function provider(
  type: GitProviderType,
  overrides: Record<string, unknown> = {},
  name = "git",
): TestResource {
  const props: Record<string, unknown> = {
    type,
    title: type,
    callbackUrl: CALLBACK,
    ...base[type],
    ...overrides,
  };
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete props[k];
  return { name, props };
}
