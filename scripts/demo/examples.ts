// The example programs (examples/azure-devops, examples/bitbucket) and the stack config that points each one at a
// local console and its demo OAuth apps, as `pulumi config set` would: shared by `npm run demo` and the tests.
import { resolve } from "node:path";
import { GIT_PROVIDER_TYPES, type GitProviderType } from "../../src/catalog";
import type { StartedLocalConsole } from "../../src/local-console";

export const repoRoot = resolve(__dirname, "../..");

export interface Example {
  /** Directory name under examples/. */
  readonly dir: string;
  /** The `name:` of its Pulumi.yaml: the namespace of its own config keys. */
  readonly project: string;
  readonly type: GitProviderType;
  /** Its Pulumi resource name. */
  readonly resourceName: string;
  readonly defaultTitle: string;
  /** The example's own config keys for the OAuth app: [application id key, secret key]. */
  readonly keys: readonly [string, string];
  /** The scopes the example declares, and a set missing one, for the "bad change" preview. */
  readonly scopes: readonly string[];
  readonly missingOneScope: readonly string[];
  /** How the Git provider's UI calls what the missing scope is. */
  readonly missingScopeUiName: string;
  /** Whether the program passes `connection` explicitly (then stored as a secret output). */
  readonly explicitConnection: boolean;
}

export const EXAMPLES: readonly Example[] = [
  {
    dir: "azure-devops",
    project: "bytebase-azure-devops",
    type: "AZURE_DEVOPS",
    resourceName: "azure-devops",
    defaultTitle: "Azure DevOps",
    keys: ["appId", "clientSecret"],
    scopes: ["vso.code_full", "vso.identity", "vso.project", "vso.build_execute"],
    missingOneScope: ["vso.code_full", "vso.identity", "vso.project"],
    missingScopeUiName: "Build (read and execute)",
    explicitConnection: false,
  },
  {
    dir: "bitbucket",
    project: "bytebase-bitbucket",
    type: "BITBUCKET",
    resourceName: "bitbucket",
    defaultTitle: "Bitbucket.org",
    keys: ["key", "secret"],
    scopes: ["account", "webhook", "repository:write"],
    missingOneScope: ["account", "repository:write"],
    missingScopeUiName: "Webhooks > Read and write",
    explicitConnection: true,
  },
];

export { GITOPS_PROVIDER_TYPE as TYPE_TOKEN } from "../../src/resource/type-token";
import { GITOPS_PROVIDER_TYPE } from "../../src/resource/type-token";
import { destroy, up, type EngineRun, type ResourceState } from "../../test/harness/engine";

export const STACK = "dev";

export function programDir(example: Example): string {
  return resolve(repoRoot, "examples", example.dir);
}

export function resourceUrn(example: Example, stack: string): string {
  return `urn:pulumi:${stack}::${example.project}::${GITOPS_PROVIDER_TYPE}::${example.resourceName}`;
}

export interface StackSettings {
  /** Namespaced config, as the CLI hands it to the program: `bytebase:url`, `<project>:appId`, ... */
  readonly config: Record<string, string>;
  /** The keys set with `pulumi config set --secret`. */
  readonly secretKeys: string[];
  /** Environment of the program and the provider host. */
  readonly env: Record<string, string>;
  /** Every secret value in this stack (to check that none is printed or stored in plain text). */
  readonly secrets: string[];
}

/** The env that points the package's credential verification at the console's fake Git providers. */
export function oauthEnv(bb: Pick<StartedLocalConsole, "oauth">): Record<string, string> {
  return Object.fromEntries(
    GIT_PROVIDER_TYPES.map((t) => [`BYTEBASE_GITOPS_OAUTH_URL_${t}`, bb.oauth.url(t)]),
  );
}

/**
 * The stack of `example` against the console `bb`, declaring its demo OAuth app. `extra` adds or overrides the
 * example's own keys (without the project prefix), e.g. `{ title: "Renamed" }`.
 */
export function stackSettings(
  example: Example,
  bb: StartedLocalConsole,
  extra: Record<string, string> = {},
): StackSettings {
  const app = bb.demoApps[example.type];
  const [idKey, secretKey] = example.keys;
  const own: Record<string, string> = {
    [idKey]: app.applicationId,
    [secretKey]: app.secret,
    callbackUrl: app.callbackUrls[0] ?? "",
    ...extra,
  };
  const config: Record<string, string> = {
    "bytebase:url": bb.url,
    "bytebase:serviceAccount": bb.admin.email,
    "bytebase:serviceKey": bb.admin.key,
  };
  for (const [key, value] of Object.entries(own)) config[`${example.project}:${key}`] = value;
  return {
    config,
    secretKeys: ["bytebase:serviceKey", `${example.project}:${secretKey}`],
    // The Pulumi CLI's Node language host sets PULUMI_NODEJS_TYPESCRIPT=true unless Pulumi.yaml turns TypeScript
    // off: cmd/run then registers ts-node and loads index.ts directly.
    env: { ...oauthEnv(bb), PULUMI_NODEJS_TYPESCRIPT: "true" },
    secrets: [bb.admin.key, app.secret, ...(app.appSecret ? [app.appSecret] : [])],
  };
}

/** The console's Git providers as its API lists them (GET /v1/externalVersionControls), logged in as admin. */
export async function listFromApi(
  bb: Pick<StartedLocalConsole, "url" | "admin">,
): Promise<Array<Record<string, unknown>>> {
  const login = await fetch(`${bb.url}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: bb.admin.email, password: bb.admin.key }),
  });
  if (!login.ok) throw new Error(`login to ${bb.url} failed: HTTP ${login.status}`);
  const { token } = (await login.json()) as { token: string };
  const answer = await fetch(`${bb.url}/v1/externalVersionControls`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!answer.ok) throw new Error(`listing the Git providers failed: HTTP ${answer.status}`);
  const body = (await answer.json()) as { externalVersionControls?: Array<Record<string, unknown>> };
  return body.externalVersionControls ?? [];
}

/** Texts that must not contain any of `secrets`; returns the places where one was found. */
export function leaks(secrets: readonly string[], places: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [place, value] of Object.entries(places)) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    if (secrets.some((s) => s && text.includes(s))) found.push(place);
  }
  return found;
}

/** `pulumi up` (or, with `preview`, `pulumi preview`) of an example against the console, through the test engine. */
export function runExample(
  example: Example,
  bb: StartedLocalConsole,
  options: { extra?: Record<string, string>; priorState?: ResourceState[]; preview?: boolean } = {},
): Promise<EngineRun> {
  const settings = stackSettings(example, bb, options.extra);
  return up({
    programDir: programDir(example),
    project: example.project,
    stack: STACK,
    config: settings.config,
    secretKeys: settings.secretKeys,
    env: settings.env,
    priorState: options.priorState,
    preview: options.preview,
  });
}

/** The engine options for refreshing or destroying an example's stack with the given state. */
export function stateOptions(example: Example, bb: StartedLocalConsole, state: ResourceState[]) {
  const settings = stackSettings(example, bb);
  const { config, env } = settings;
  return { programDir: programDir(example), project: example.project, stack: STACK, config, env, state };
}

/** `pulumi destroy` of an example's stack. */
export function destroyExample(
  example: Example,
  bb: StartedLocalConsole,
  state: ResourceState[],
): Promise<void> {
  return destroy(stateOptions(example, bb, state));
}
