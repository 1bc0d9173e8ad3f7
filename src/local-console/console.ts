// startLocalConsole: wires the store, the clock, the console server, the fake providers and the test controls.
import { consoleCallbackUrl, GIT_PROVIDER_TYPES, type GitProviderType } from "../catalog";
import { Auth, newServiceKey, SERVICE_ACCOUNT_DOMAIN } from "./auth";
import { fakeIssuer, type CiTokenClaims } from "./ci-era";
import { registerDemoApps } from "./demo-apps";
import { codeForHttpStatus, grpcReply } from "./errors";
import { normalizeExternalUrl } from "./external-url";
import { FaultRegistry } from "./faults";
import { GitTokens, type IssuedToken } from "./git-fakes";
import { serve } from "./http";
import { RateLimiter } from "./rate-limit";
import { OAuthRegistry, startOAuthFakes } from "./oauth-fakes";
import type { RouteContext } from "./routes/context";
import { handleConsole, routesFor } from "./routes/router";
import { projects } from "./routes/vcs-connectors";
import { vcsState } from "./routes/vcs-records";
import { ADMIN_EMAIL, Store } from "./state";
import { nextConnectorUid } from "./state-data";
import type { LocalConsole, LocalConsoleOptions, ProviderRecord, RegisteredApp, Role } from "./types";
import { versionProfile, type ConsoleVersion } from "./versions";

export interface StartedLocalConsole extends LocalConsole {
  /** Extension: the pre-registered demo OAuth app of each fake provider (deterministic credentials). */
  readonly demoApps: Readonly<Record<GitProviderType, RegisteredApp>>;
  /** Extension: the external URL in use ("" = none). */
  readonly externalUrl: string;
  /**
   * Extension (2.15 - 3.4): one access token per fake Git provider with what Bytebase's wizard asks of it, issued at
   * start (live until the console stops), so examples and first runs can use them; undefined before 2.15.
   */
  readonly demoTokens?: Readonly<Record<GitProviderType, IssuedToken>>;
  /** Extension: the Bytebase version the console is, and the version its actuator reports. */
  readonly version: { readonly era: ConsoleVersion; readonly reported: string };
  /**
   * Extension (3.15+): the console's fake OIDC issuer, which answers for GitHub Actions' and GitLab's issuers in
   * `auth:exchangeToken`: a token as a CI job would get it, and the issuer's JWKS.
   */
  readonly oidc?: {
    issue(claims: CiTokenClaims): string;
    readonly jwks: { keys: Array<Record<string, unknown>> };
  };
}

export async function startLocalConsole(opts: LocalConsoleOptions = {}): Promise<StartedLocalConsole> {
  const baseNow = opts.now ?? Date.now;
  let offset = 0;
  const nowMs = () => baseNow() + offset;
  const host = opts.host ?? "127.0.0.1";
  // Everything that can refuse the options runs before any server listens.
  if (opts.externalUrl) normalizeExternalUrl(opts.externalUrl);
  const profile = versionProfile(opts.version);
  const store = Store.open(opts.stateFile, opts.adminKey ?? newServiceKey(), profile);
  const auth = new Auth(store, nowMs, profile);
  const faults = new FaultRegistry();
  const requests: Array<{ method: string; path: string; query: string }> = [];
  const callback = () => consoleCallbackUrl(store.data.externalUrl || consoleUrl);
  const registry = new OAuthRegistry(store, nowMs, callback);
  const tokens = new GitTokens(nowMs);
  let consoleUrl = "";
  let fakes: Awaited<ReturnType<typeof startOAuthFakes>> | undefined;

  const ctx: RouteContext = {
    store,
    auth,
    nowMs,
    profile,
    fakeUrl: (type) => fakes!.url(type),
  };
  const routes = routesFor(profile);
  // Bytebase's limiter runs before any handler (backend/server/routers.go@2.14.0 - @3.3.1, server.go@2.5.0; none at
  // 3.4.1 nor @3.15.0 - @3.21.1: the version's gateway rules): see rate-limit.ts.
  const limiter = opts.rateLimit === false || !profile.gateway.rateLimit ? undefined : new RateLimiter(nowMs);
  const server = await serve((req) => limiter?.check(req) ?? handleConsole(ctx, routes, req), {
    host,
    port: opts.port ?? 0,
    target: "console",
    faults,
    faultReply: (status) => grpcReply(codeForHttpStatus(status), `injected fault: HTTP ${status}`, status),
    onRequest: (method, path, query) => requests.push({ method, path, query }),
  });
  consoleUrl = server.url;
  try {
    fakes = await startOAuthFakes(registry, faults, host, opts.oauthPorts ?? {}, tokens);
  } catch (error) {
    await server.close();
    throw error;
  }

  const setExternalUrl = (url: string | null) => store.setExternalUrl(url);
  if (opts.externalUrl !== undefined) setExternalUrl(opts.externalUrl);
  else if (!store.loaded || store.data.externalUrlIsDefault) {
    store.data.externalUrl = consoleUrl;
    store.data.externalUrlIsDefault = true;
    store.changed();
  }
  const demoApps = registerDemoApps(registry, callback());
  const demoTokens =
    profile.gitProviders === "vcsProviders"
      ? (Object.fromEntries(GIT_PROVIDER_TYPES.map((t) => [t, tokens.issue(t)])) as Record<
          GitProviderType,
          IssuedToken
        >)
      : undefined;
  const admin = store.account(ADMIN_EMAIL)!;
  const providerId = (id: string) => id.replace(/^externalVersionControls\//, "");

  return {
    url: consoleUrl,
    admin: { email: admin.email, key: admin.secret },
    demoApps,
    demoTokens,
    version: { era: profile.version, reported: profile.reported },
    oidc: profile.ciEra && {
      issue: (claims: CiTokenClaims) => fakeIssuer(ctx).issue(claims),
      jwks: fakeIssuer(ctx).jwks,
    },
    get externalUrl() {
      return store.data.externalUrl;
    },
    rateLimit: {
      on: limiter !== undefined,
      get denied() {
        return limiter?.denied ?? 0;
      },
    },
    addServiceAccount(email: string, role: Role) {
      const full = email.includes("@") ? email : `${email}${SERVICE_ACCOUNT_DOMAIN}`;
      if (!full.endsWith(SERVICE_ACCOUNT_DOMAIN))
        throw new Error(`a service account's email ends with ${SERVICE_ACCOUNT_DOMAIN}: ${email}`);
      const account = store.upsertAccount(full, "service", role, newServiceKey());
      return { email: account.email, key: account.secret };
    },
    addUser(email: string, password: string, role: Role) {
      store.upsertAccount(email, "user", role, password);
    },
    setExternalUrl,
    linkProject(id, projectTitle, repositoryTitle, repository) {
      const provider = store.provider(providerId(id));
      if (!provider) throw new Error(`no Git provider ${id}`);
      const n = store.data.links.length + 1;
      const title = projectTitle ?? `Project ${n}`;
      const slug =
        title
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-|-$/g, "") || `project-${n}`;
      store.data.links.push({
        providerId: provider.id,
        projectId: slug,
        title,
        repositoryTitle: repositoryTitle ?? slug,
        ...(repository ? { repository } : {}),
      });
      store.changed();
    },
    unlinkProjects(id: string) {
      store.data.links = store.data.links.filter((l) => l.providerId !== providerId(id));
      store.changed();
    },
    listProviders: (): ProviderRecord[] => store.data.providers.map((p) => ({ ...p })),
    advanceClock(ms: number) {
      offset += ms;
    },
    faults: { inject: (fault) => faults.inject(fault), clear: () => faults.clear() },
    oauth: {
      url: (type) => fakes!.url(type),
      register: (type, app) => registry.register(type, app),
      issueCode: (type, applicationId, redirectUri) => registry.issueCode(type, applicationId, redirectUri),
    },
    git: {
      issueToken: (type, input) => tokens.issue(type, input),
      revokeToken: (token) => tokens.revoke(token),
      addBranch(type, fullPath, branch) {
        const repo = tokens.repos.repo(type, fullPath);
        if (!repo.branches.includes(branch)) repo.branches.push(branch);
      },
      hooks: (type, fullPath) => tokens.repos.repo(type, fullPath).hooks.map((h) => ({ ...h })),
      refusePrivateHookUrls: (type, on) => tokens.repos.refusePrivateHookUrls(type, on),
    },
    vcs: {
      providers: () => vcsState(ctx).providers.map((p) => ({ ...p })),
      connectors: () => vcsState(ctx).connectors.map((c) => ({ ...c })),
      addProject(resourceId, title) {
        const all = projects(ctx);
        if (!all.some((p) => p.resourceId === resourceId))
          all.push({ resourceId, title: title ?? resourceId, deleted: false });
        store.changed();
      },
      archiveProject(resourceId) {
        const found = projects(ctx).find((p) => p.resourceId === resourceId);
        if (!found) throw new Error(`no project ${resourceId}`);
        found.deleted = true;
        store.changed();
      },
      addConnector(provider, project, resourceId = "default", fullPath = "platform/db") {
        const state = vcsState(ctx);
        const id = provider.replace(/^vcsProviders\//, "");
        if (!state.providers.some((p) => p.resourceId === id)) throw new Error(`no vcs provider ${provider}`);
        state.connectors.push({
          uid: nextConnectorUid(store.data),
          project,
          resourceId,
          vcsProvider: id,
          fullPath,
          branch: "main",
        });
        store.changed();
      },
      removeConnectors(provider) {
        const state = vcsState(ctx);
        const id = provider.replace(/^vcsProviders\//, "");
        state.connectors.splice(
          0,
          state.connectors.length,
          ...state.connectors.filter((c) => c.vcsProvider !== id),
        );
        store.changed();
      },
      put(record) {
        const state = vcsState(ctx);
        state.providers.push({ ...record });
        store.changed();
      },
    },
    requests,
    async close() {
      await Promise.all([server.close(), fakes!.close()]);
    },
  };
}
