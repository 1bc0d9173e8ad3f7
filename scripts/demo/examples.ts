// The example programs (examples/quickstart, github, gitlab; upgrade-2.15 after its switch; ci-gitops) and the stack config that points each one at a local
// console and its demo OAuth apps, as `pulumi config set` would: shared by `npm run demo` and the tests.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { GIT_PROVIDER_TYPES, specFor, type GitProviderType } from "../../src/catalog";
import type { RegisteredApp, StartedLocalConsole } from "../../src/local-console";
import { GITOPS_PROVIDER_TYPE } from "../../src/resource/type-token";
import { LocalStack, type PolicyPackOptions } from "../../test/engine";

export { GITOPS_PROVIDER_TYPE as TYPE_TOKEN };
export const repoRoot = resolve(__dirname, "../..");
export const STACK = "dev";
/** The passphrase of the demo stacks' secrets (PULUMI_CONFIG_PASSPHRASE). */
export const PASSPHRASE = "local demo passphrase";

/** One GitOpsProvider of an example program. */
export interface ExampleProvider {
  readonly type: GitProviderType;
  /** Its Pulumi resource name. */
  readonly resourceName: string;
  /** The program's config keys for its OAuth app: [application id, secret]. */
  readonly keys: readonly [string, string];
}

export interface Example {
  /** Directory name under examples/. */
  readonly dir: string;
  /** The `name:` of its Pulumi.yaml: the namespace of its own config keys. */
  readonly project: string;
  readonly providers: readonly ExampleProvider[];
  /** Config the example needs besides the apps and the callback (without the project prefix). */
  readonly extraConfig?: (bb: StartedLocalConsole) => Record<string, string>;
  /** Secret config the example needs besides the apps' secrets (without the project prefix). */
  readonly secretConfig?: (bb: StartedLocalConsole) => Record<string, string>;
  /** The program file when not index.ts: it runs as the index.ts of a copy of the directory (see programDir). */
  readonly main?: string;
  /** A config change that updates one provider in place: [key, new value, the provider's resource name]. */
  readonly edit: readonly [string, string, string];
}

/** What a stack of an example needs: all but the in-place edit that test/program/examples.test.ts makes. */
export type ExampleProgram = Omit<Example, "edit">;

export const EXAMPLES: readonly Example[] = [
  {
    dir: "quickstart",
    project: "bytebase-gitops-quickstart",
    providers: [
      {
        type: "AZURE_DEVOPS",
        resourceName: "azure-devops",
        keys: ["azureAppId", "azureClientSecret"],
      },
      {
        type: "BITBUCKET",
        resourceName: "bitbucket",
        keys: ["bitbucketKey", "bitbucketSecret"],
      },
    ],
    edit: ["bitbucketTitle", "Bitbucket (payments team)", "bitbucket"],
  },
  {
    dir: "github",
    project: "bytebase-github",
    providers: [
      {
        type: "GITHUB",
        resourceName: "github",
        keys: ["clientId", "clientSecret"],
      },
    ],
    edit: ["title", "GitHub (platform)", "github"],
  },
  {
    dir: "gitlab",
    project: "bytebase-gitlab",
    providers: [{ type: "GITLAB", resourceName: "gitlab", keys: ["applicationId", "secret"] }],
    // A self-managed GitLab: the fake GitLab's own URL stands for https://gitlab.example.com.
    extraConfig: (bb) => ({ instanceUrl: bb.oauth.url("GITLAB") }),
    edit: ["title", "GitLab (self-managed)", "gitlab"],
  },
];

export const QUICKSTART = EXAMPLES[0]!;

/**
 * examples/upgrade-2.15 after step 3 of its README: index-2.15.ts, the `VcsProvider`s that take over the providers
 * Bytebase's 2.15 migration kept (`gitlab`, `azure_devops`), with the console's demo access tokens.
 */
export const UPGRADED: ExampleProgram = {
  dir: "upgrade-2.15",
  main: "index-2.15.ts",
  project: "bytebase-upgrade",
  providers: [],
  secretConfig: (bb) => ({
    gitlabToken: bb.demoTokens!.GITLAB.token,
    azureDevOpsToken: bb.demoTokens!.AZURE_DEVOPS.token,
  }),
};

/** examples/ci-gitops (Bytebase 3.15+): a project's CI identities, their roles, and the GitHub workflow files. */
export const CI_GITOPS: ExampleProgram = {
  dir: "ci-gitops",
  project: "bytebase-ci-gitops",
  providers: [],
  extraConfig: () => ({
    project: "shop",
    repository: "acme/shop",
    target: "instances/prod-pg/databases/shop",
    bytebaseUrl: "https://bytebase.acme.com",
    bytebaseVersion: "3.21.1",
  }),
};

const staged = new Map<string, string>();

/** The example's directory; for a `main` other than index.ts, a copy (under .cache/stacks) with it as index.ts. */
export function programDir(example: ExampleProgram): string {
  const dir = resolve(repoRoot, "examples", example.dir);
  if (!example.main) return dir;
  let copy = staged.get(`${example.dir}/${example.main}`);
  if (!copy) {
    copy = newStackDir(`${example.dir}-program`);
    for (const file of ["Pulumi.yaml", "package.json"]) copyFileSync(join(dir, file), join(copy, file));
    copyFileSync(join(dir, example.main), join(copy, "index.ts"));
    staged.set(`${example.dir}/${example.main}`, copy);
  }
  return copy;
}

export function resourceUrn(example: ExampleProgram, resourceName: string): string {
  return `urn:pulumi:${STACK}::${example.project}::${GITOPS_PROVIDER_TYPE}::${resourceName}`;
}

/**
 * examples/policy-pack with its policy-config.json, as `--policy-pack` and `--policy-pack-config` load it, the
 * allowed callback host and GitLab instance made the local console's (as a team sets its own).
 */
export function policyPack(bb: StartedLocalConsole): PolicyPackOptions {
  const dir = resolve(repoRoot, "examples/policy-pack");
  const file = JSON.parse(readFileSync(join(dir, "policy-config.json"), "utf8")) as Record<string, unknown>;
  const config = {
    ...file,
    "gitops-callback-url": { allowedHosts: [new URL(bb.externalUrl).host] },
    "gitops-instance-url": {
      // The self-managed GitLab of examples/gitlab (the fake), and GitLab.com of the access-token examples.
      allowedInstanceUrls: {
        GITLAB: [bb.oauth.url("GITLAB"), "https://gitlab.com"],
        GITHUB: ["https://github.com"],
      },
    },
  };
  return { dir, config };
}

export interface StackSettings {
  /** Namespaced config, as the CLI hands it to the program: `bytebase:url`, `<project>:callbackUrl`, ... */
  readonly config: Record<string, string>;
  /** The keys set with `pulumi config set --secret`. */
  readonly secretKeys: string[];
  /** Environment of the program and the provider host. */
  readonly env: Record<string, string>;
  /** Every secret value in this stack (to check that none is printed or stored in plain text). */
  readonly secrets: string[];
}

/** An OAuth app's secrets: its secret, and for Azure DevOps also the App Secret shown beside it. */
export function appSecrets(app: RegisteredApp): string[] {
  return [app.secret, ...(app.appSecret ? [app.appSecret] : [])];
}

/** The env that points the package's credential verification at the console's fake Git providers. */
export function oauthEnv(bb: Pick<StartedLocalConsole, "oauth">): Record<string, string> {
  return Object.fromEntries(
    GIT_PROVIDER_TYPES.map((t) => [`BYTEBASE_GITOPS_OAUTH_URL_${t}`, bb.oauth.url(t)]),
  );
}

/** The env that points the package's token verification (VcsProvider) at the console's fake Git provider APIs. */
export function gitApiEnv(bb: Pick<StartedLocalConsole, "oauth">): Record<string, string> {
  return Object.fromEntries(GIT_PROVIDER_TYPES.map((t) => [`BYTEBASE_GITOPS_API_URL_${t}`, bb.oauth.url(t)]));
}

/** The stack of `example` against the console `bb`, declaring the console's demo OAuth apps. */
export function stackSettings(example: ExampleProgram, bb: StartedLocalConsole): StackSettings {
  const own: Record<string, string> = {
    // What the OAuth apps were registered with: only programs of OAuth apps (GitOpsProvider) read it.
    ...(example.providers.length ? { callbackUrl: `${bb.externalUrl}/oauth/callback` } : {}),
    ...example.extraConfig?.(bb),
  };
  const secretKeys = ["bytebase:serviceKey"];
  const secrets = [bb.admin.key];
  for (const [key, value] of Object.entries(example.secretConfig?.(bb) ?? {})) {
    own[key] = value;
    secretKeys.push(`${example.project}:${key}`);
    secrets.push(value);
  }
  for (const provider of example.providers) {
    const app = bb.demoApps[provider.type];
    const [idKey, secretKey] = provider.keys;
    own[idKey] = app.applicationId;
    own[secretKey] = app.secret;
    secretKeys.push(`${example.project}:${secretKey}`);
    secrets.push(...appSecrets(app));
  }
  const config: Record<string, string> = {
    "bytebase:url": bb.url,
    "bytebase:serviceAccount": bb.admin.email,
    "bytebase:serviceKey": bb.admin.key,
  };
  for (const [key, value] of Object.entries(own)) config[`${example.project}:${key}`] = value;
  return {
    config,
    secretKeys,
    // The Pulumi CLI's Node language host sets PULUMI_NODEJS_TYPESCRIPT=true unless Pulumi.yaml turns TypeScript
    // off: cmd/run then registers ts-node and loads index.ts directly.
    env: { ...oauthEnv(bb), ...gitApiEnv(bb), PULUMI_NODEJS_TYPESCRIPT: "true" },
    secrets,
  };
}

/** A fresh directory for one stack's state, under .cache/stacks (ignored by git). */
export function newStackDir(name: string): string {
  mkdirSync(join(repoRoot, ".cache", "stacks"), { recursive: true });
  return mkdtempSync(join(repoRoot, ".cache", "stacks", `${name}-`));
}

/** A stack of the example on the test engine, its state file in a fresh directory under .cache/stacks. */
export function exampleStack(
  example: ExampleProgram,
  bb: StartedLocalConsole,
  policyPacks?: PolicyPackOptions[],
): LocalStack {
  const { config, secretKeys, env } = stackSettings(example, bb);
  const dir = newStackDir(example.dir);
  return new LocalStack({
    programDir: programDir(example),
    project: example.project,
    stack: STACK,
    config,
    secretKeys,
    env,
    stateFile: join(dir, "state.json"),
    passphrase: PASSPHRASE,
    policyPacks,
  });
}

/** The console's Git providers as its API lists them (GET /v1/externalVersionControls), logged in as admin. */
export async function listFromApi(
  bb: Pick<StartedLocalConsole, "url" | "admin">,
): Promise<Array<Record<string, unknown>>> {
  const body = (await asAdmin(bb, "GET", "v1/externalVersionControls")) as {
    externalVersionControls?: Array<Record<string, unknown>>;
  };
  return body.externalVersionControls ?? [];
}

/** A call to the console as its admin, the way a person in the UI changes things behind Pulumi's back. */
export async function asAdmin(
  bb: Pick<StartedLocalConsole, "url" | "admin">,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const login = await fetch(`${bb.url}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: bb.admin.email, password: bb.admin.key }),
  });
  if (!login.ok) throw new Error(`login to ${bb.url} failed: HTTP ${login.status}`);
  const { token } = (await login.json()) as { token: string };
  const answer = await fetch(`${bb.url}/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`${method} ${path}: HTTP ${answer.status} ${await answer.text()}`);
  return answer.json();
}

/**
 * A Git provider made in the console directly, as an admin clicking through the wizard would, for the console's
 * demo OAuth app of `type` at its default instance; returns its id.
 */
export async function makeInConsole(
  bb: StartedLocalConsole,
  type: GitProviderType,
  fields: { title?: string; secret?: string } = {},
): Promise<string> {
  const app = bb.demoApps[type];
  const spec = specFor(type);
  const made = (await asAdmin(bb, "POST", "v1/externalVersionControls", {
    title: fields.title ?? spec.defaultTitle,
    type,
    url: spec.defaultInstanceUrl,
    applicationId: app.applicationId,
    secret: fields.secret ?? app.secret,
  })) as { name: string };
  return made.name.split("/")[1]!;
}

/**
 * The github example's program with the `import` resource option added to its GitOpsProvider, as
 * docs/gitops-provider.md (Import and adoption) describes it; `expression` is the option's value, as TypeScript
 * source.
 */
export function githubWithImportOption(expression: string): string {
  const source = readFileSync(join(repoRoot, "examples", "github", "index.ts"), "utf8");
  const end = source.indexOf("\n});\n", source.indexOf('new GitOpsProvider("github"'));
  return `${source.slice(0, end)}\n}, { import: ${expression} });\n${source.slice(end + 5)}`;
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
