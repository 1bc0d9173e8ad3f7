// One demo OAuth app per Git provider with deterministic credentials, so examples and first runs can use them.
import { GIT_PROVIDER_TYPES, specFor, type GitProviderType } from "../catalog";
import { seededRng } from "./oauth-fakes/credentials";
import type { OAuthRegistry } from "./oauth-fakes/registry";
import type { RegisteredApp } from "./types";

/** The demo Azure DevOps Client Secret is valid from 2025-01-01 to 2100-01-01 (fixed, so it never changes). */
const DEMO_NBF = Date.UTC(2025, 0, 1) / 1000;
const DEMO_EXPIRY = new Date(Date.UTC(2100, 0, 1));

/** (Re-)registers the demo apps with the console's current callback. Bitbucket's is a private consumer. */
export function registerDemoApps(
  registry: OAuthRegistry,
  callbackUrl: string,
): Record<GitProviderType, RegisteredApp> {
  const apps = {} as Record<GitProviderType, RegisteredApp>;
  for (const type of GIT_PROVIDER_TYPES) {
    const rng = seededRng(`pulumi-bytebase-gitops local console demo app ${type}`);
    apps[type] = registry.register(
      type,
      {
        callbackUrl,
        // A private consumer where the catalog reads granted permissions; an expiry where secrets carry one.
        clientCredentials: specFor(type).probe.grantedScopesRequest !== undefined,
        secretExpiresAt: specFor(type).secretExpiry ? DEMO_EXPIRY : undefined,
      },
      rng,
      DEMO_NBF,
    );
  }
  return apps;
}
