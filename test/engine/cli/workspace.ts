// Where the Pulumi CLI stand-in keeps things, as the CLI does: the login (credentials.json), the selected stack
// (workspaces/<project>-<sha1>-workspace.json), the project (Pulumi.yaml), each stack's config (Pulumi.<stack>.yaml,
// read and written with @pulumi/pulumi's own js-yaml) and the local backend's state files.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pulumiRequire } from "../../harness/provider-host";
import { CliError, EXIT, unsupported } from "./errors";

interface JsYaml {
  load(text: string): unknown;
  dump(value: unknown, options?: { sortKeys?: boolean; lineWidth?: number }): string;
}
const yaml = pulumiRequire("js-yaml") as JsYaml;

/**
 * The user's home as the CLI finds it: Go's os/user.Current(), i.e. the passwd entry, not $HOME
 * (sdk/go/common/util/pulumihome/pulumihome.go Dir; pkg/backend/diy/backend.go massageBlobPath for `file://~`).
 * Node's os.userInfo() reads the same entry (getpwuid_r).
 */
const homedir = () => userInfo().homedir;

/** PULUMI_HOME, else <home>/.pulumi (sdk/go/common/util/pulumihome/pulumihome.go, Dir). */
const pulumiHome = (env: NodeJS.ProcessEnv) => env.PULUMI_HOME || join(homedir(), ".pulumi");

const readJson = <T>(path: string, fallback: T): T =>
  existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : fallback;

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 4)}\n`);
}

interface Credentials {
  current?: string;
  accessTokens?: Record<string, string>;
}

/** `pulumi login`'s record of the current backend (pkg/workspace/creds.go, StoreCredentials). */
export function storeLogin(env: NodeJS.ProcessEnv, url: string): void {
  const path = join(pulumiHome(env), "credentials.json");
  const creds = readJson<Credentials>(path, {});
  writeJson(path, { ...creds, current: url, accessTokens: { ...creds.accessTokens, [url]: "" } });
}

/**
 * The backend URL: PULUMI_BACKEND_URL, then the project's `backend.url`, then the stored login
 * (pkg/workspace/creds.go, GetCurrentCloudURLWithSource).
 */
export function backendUrl(env: NodeJS.ProcessEnv, project?: Project): string {
  const url =
    env.PULUMI_BACKEND_URL ||
    project?.backendUrl ||
    readJson<Credentials>(join(pulumiHome(env), "credentials.json"), {}).current;
  if (!url)
    throw unsupported(
      "Pulumi Cloud (no PULUMI_BACKEND_URL and no `pulumi login --local` or `pulumi login file://...` yet)",
    );
  return url;
}

/**
 * The directory of a file:// backend, as pkg/backend/diy/backend.go massageBlobPath resolves it: `~` is the
 * user's home, a relative path is made absolute, the query is dropped. Other schemes are not for the stand-in.
 */
export function backendRoot(url: string): string {
  if (!url.startsWith("file://")) throw unsupported(`The backend ${url} (only file:// backends are)`);
  let path = url.slice("file://".length).split("?")[0]!;
  if (path === "~") path = homedir();
  else if (path.startsWith("~")) path = join(homedir(), path.slice(2));
  return resolve(path);
}

/** `.pulumi/stacks/<project>/<stack>.json` under the backend (pkg/backend/diy/store.go, StackBasePath). */
export const statePath = (url: string, project: string, stack: string) =>
  join(backendRoot(url), ".pulumi", "stacks", project, `${stack}.json`);

export interface Project {
  name: string;
  /** Pulumi.yaml's path. */
  file: string;
  /** Where the program is: the project's directory joined with `main`. */
  programDir: string;
  backendUrl?: string;
}

/** Pulumi.yaml (or .yml), searched from `cwd` upwards (sdk/go/common/workspace/paths.go, DetectProjectPathFrom). */
export function findProject(cwd: string): Project {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
      const file = join(dir, name);
      if (!existsSync(file)) continue;
      const doc = (yaml.load(readFileSync(file, "utf8")) ?? {}) as {
        name?: string;
        main?: string;
        backend?: { url?: string };
      };
      if (!doc.name) throw new CliError(`${file}: project is missing a 'name' attribute`);
      const main = doc.main ? (isAbsolute(doc.main) ? doc.main : join(dir, doc.main)) : dir;
      return { name: doc.name, file, programDir: main, backendUrl: doc.backend?.url };
    }
    if (dirname(dir) === dir)
      throw new CliError(
        `no Pulumi.yaml project file found (searching upwards from ${cwd}). If you have not created a project yet, use \`pulumi new\` to do so`,
      );
  }
}

interface WorkspaceSettings {
  stack?: string;
  stacks?: Record<string, string>;
}

/** `~/.pulumi/workspaces/<project>-<sha1 of Pulumi.yaml's path>-workspace.json` (pkg/workspace/workspace.go). */
function settingsPath(env: NodeJS.ProcessEnv, project: Project): string {
  const sha1 = createHash("sha1").update(project.file).digest("hex");
  return join(pulumiHome(env), "workspaces", `${project.name}-${sha1}-workspace.json`);
}

/** The selected stack for this backend (pkg/workspace/settings.go, StackForBackend). */
export function selectedStack(env: NodeJS.ProcessEnv, project: Project, url: string): string | undefined {
  const s = readJson<WorkspaceSettings>(settingsPath(env, project), {});
  return s.stacks?.[url] ?? s.stack;
}

/** Selects (or, with undefined, unselects) the stack for this backend (SetStackForBackend). */
export function selectStack(env: NodeJS.ProcessEnv, project: Project, url: string, stack?: string): void {
  const path = settingsPath(env, project);
  const s = readJson<WorkspaceSettings>(path, {});
  const stacks = { ...s.stacks };
  if (stack) stacks[url] = stack;
  else delete stacks[url];
  writeJson(path, { ...(stack ? {} : { stack: undefined }), stacks });
}

/** A stack name as the diy backend takes it: plain, or `organization/<project>/<name>`. */
export function stackName(name: string, project: Project): string {
  const parts = name.split("/");
  if (parts.length === 3 && parts[0] === "organization" && parts[1] === project.name) return parts[2]!;
  if (parts.length !== 1 || !/^[A-Za-z0-9_.-]+$/.test(name))
    throw new CliError(
      `stack names may only contain alphanumeric, hyphens, underscores, or periods: '${name}' (the stand-in takes a plain name or organization/${project.name}/<name>)`,
      EXIT.configuration,
    );
  return name;
}

/** Pulumi.<stack>.yaml's content (sdk/go/common/workspace/project.go, ProjectStack). */
export interface StackConfigFile {
  encryptionsalt?: string;
  config?: Record<string, unknown>;
}

export const stackConfigPath = (project: Project, stack: string) =>
  join(dirname(project.file), `Pulumi.${stack}.yaml`);

export function readStackConfig(project: Project, stack: string): StackConfigFile {
  const path = stackConfigPath(project, stack);
  return existsSync(path) ? ((yaml.load(readFileSync(path, "utf8")) ?? {}) as StackConfigFile) : {};
}

/** Written in ProjectStack's field order (encryptionsalt, then config), config keys sorted as Go's yaml does. */
export function writeStackConfig(project: Project, stack: string, file: StackConfigFile): void {
  const head = file.encryptionsalt
    ? yaml.dump({ encryptionsalt: file.encryptionsalt }, { lineWidth: -1 })
    : "";
  const body =
    file.config && Object.keys(file.config).length
      ? yaml.dump({ config: file.config }, { sortKeys: true, lineWidth: -1 })
      : "";
  writeFileSync(stackConfigPath(project, stack), head + body);
}
