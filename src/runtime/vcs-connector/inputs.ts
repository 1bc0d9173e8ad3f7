// The VcsConnector's inputs (Bytebase 2.15 - 3.4 project-repository connectors): their schema, how `check`
// normalises them (ids without their `projects/` and `vcsProviders/` prefixes, the repository path and base directory
// without surrounding slashes, the database group as its full name), and the failures it reports, one per property.
import { z } from "zod";
import {
  connectionSchema,
  dropUndefined,
  isKnownString,
  UNKNOWN,
  type CheckFailure,
  type ConnectionInputs,
} from "../shared-inputs";
import { onePerProperty, schemaFailures } from "../schema-failures";
import { looksLikeCredential, secretSafe } from "../secret-safe";

/** Checked inputs. */
export interface VcsConnectorInputs {
  /** The project's resource id (`projects/<project>` in the console). */
  readonly project: string;
  readonly resourceId: string;
  /** The Git provider's resource id (`vcsProviders/<vcsProvider>`). */
  readonly vcsProvider: string;
  /** The repository's path at the Git provider, as `:searchRepositories` lists it (`platform/db`). */
  readonly repository: string;
  readonly branch: string;
  /** The folder of the migration files, without leading or trailing "/"; "" = the repository's root (base-directory.ts). */
  readonly baseDirectory: string;
  /** `projects/<project>/databaseGroups/<group>`, or "" for none. */
  readonly databaseGroup: string;
  /** Default: the repository's title at the Git provider (as Bytebase's wizard does). */
  readonly title?: string;
  readonly connection?: ConnectionInputs;
}

const orUnknown = <T extends z.ZodType>(schema: T) => z.union([z.literal(UNKNOWN), schema]);
const text = (fix: string) =>
  z
    .string({ error: `must be a string: ${fix}` })
    .min(1, { error: `must not be empty: ${fix}` })
    .refine((v) => v.trim() === v, { error: `has leading or trailing whitespace: ${fix}` });

const schema = z.strictObject({
  project: orUnknown(text("the project's id, e.g. payments or projects/payments")),
  resourceId: orUnknown(text("the connector's id in the project, e.g. db-main")),
  vcsProvider: orUnknown(
    text("the Git provider, e.g. a VcsProvider's name output, vcsProviders/gitlab-main or gitlab-main"),
  ),
  repository: orUnknown(text("the repository's path at the Git provider, e.g. platform/db")),
  branch: orUnknown(text("the branch Bytebase watches, e.g. main")),
  baseDirectory: orUnknown(
    z
      .string({ error: "must be a string: the folder of the migration files, e.g. migrations" })
      .refine((v) => v.trim() === v, { error: "has leading or trailing whitespace" }),
  ).optional(),
  databaseGroup: orUnknown(text("a database group of the project, e.g. all-dbs")).optional(),
  title: orUnknown(text("the connector's display name, e.g. 'db'")).optional(),
  connection: orUnknown(connectionSchema).optional(),
});

/** The console's connection holds a secret. */
const SECRET_INPUTS = { secret: ["connection"], known: Object.keys(schema.shape) };

const REQUIRED: Record<string, string> = {
  project: "the project's id, e.g. payments (or projects/payments)",
  resourceId: "the connector's id in the project, e.g. db-main",
  vcsProvider: "the Git provider: a VcsProvider's name output, or vcsProviders/<id>",
  repository: "the repository's path at the Git provider, e.g. platform/db",
  branch: "the branch Bytebase watches, e.g. main",
};

const ONE_ID = /^[^/\s]+$/;

/** `prefix/<id>` or `<id>` to `<id>`; undefined when it is neither. */
function idOf(value: string, prefix: string): string | undefined {
  const id = value.startsWith(`${prefix}/`) ? value.slice(prefix.length + 1) : value;
  return ONE_ID.test(id) ? id : undefined;
}

export function checkVcsConnectorInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const { __provider: _provider, ...props } = news;
  const parsed = schema.safeParse(props);
  const failures: CheckFailure[] = parsed.success
    ? []
    : schemaFailures(parsed.error.issues, props, {
        resource: "VcsConnector",
        required: REQUIRED,
        shape: schema.shape,
      });
  const safe = (all: CheckFailure[]) => ({
    inputs: props,
    failures: secretSafe(onePerProperty(all), props, SECRET_INPUTS),
  });
  if (failures.length || !parsed.success) return safe(failures);
  const raw = parsed.data;
  const known = (v: string | undefined, f: (s: string) => string | undefined) =>
    v === undefined || v === UNKNOWN ? v : f(v);
  const project = known(raw.project, (v) => idOf(v, "projects"));
  const vcsProvider = known(raw.vcsProvider, (v) => idOf(v, "vcsProviders"));
  const repository = known(raw.repository, (v) => v.replace(/^\/+|\/+$/g, "").replace(/\.git$/, ""));
  const branch = known(raw.branch, (v) => v.replace(/^refs\/heads\//, ""));
  const baseDirectory = known(raw.baseDirectory ?? "", (v) =>
    v
      .replace(/\/{2,}/g, "/")
      .replace(/^\.?\/+|\/+$/g, "")
      .replace(/^\.$/, ""),
  );
  if (project === undefined)
    failures.push({
      property: "project",
      reason: `'${raw.project}' is not a project: give its id, e.g. payments, or projects/payments`,
    });
  if (vcsProvider === undefined)
    failures.push({
      property: "vcsProvider",
      reason: `'${raw.vcsProvider}' is not a Git provider: give a VcsProvider's name output, vcsProviders/<id> or <id>`,
    });
  // Bytebase checks no rule on a connector's id (CreateVCSConnector@2.15.0 - @3.4.1 stores request.VcsConnectorId as
  // given; only provider ids meet isValidResourceID): it must only be one segment of projects/<p>/vcsConnectors/<id>.
  if (isKnownString(raw.resourceId) && raw.resourceId.includes("/"))
    failures.push({
      property: "resourceId",
      reason:
        "holds a '/': the console names a connector projects/<project>/vcsConnectors/<id>, so its id is one path segment; remove the '/' (e.g. db-main)",
    });
  if (isKnownString(repository) && (/^[a-z][a-z0-9+.-]*:\/\//i.test(repository) || !repository.includes("/")))
    failures.push({
      property: "repository",
      reason: `${looksLikeCredential(raw.repository) ? "is" : `'${raw.repository}' is`} not a repository path: give it as the Git provider lists it, <namespace>/<name> (e.g. platform/db; Azure DevOps: <organization>/<project>/<repository>), not a URL`,
    });
  if (isKnownString(branch) && (branch === "" || /\s|\.\.|^-|[~^:?*[\\]/.test(branch)))
    failures.push({
      property: "branch",
      reason: `'${raw.branch}' is not a Git branch name: give the branch, e.g. main`,
    });
  if (isKnownString(baseDirectory) && baseDirectory.split("/").some((part) => part === ".."))
    failures.push({ property: "baseDirectory", reason: "must stay inside the repository: remove '..'" });
  const group = raw.databaseGroup;
  let databaseGroup: string | undefined = group ?? "";
  if (isKnownString(group)) {
    const m = /^projects\/([^/]+)\/databaseGroups\/([^/]+)$/.exec(group);
    if (m && isKnownString(project) && m[1] !== project)
      failures.push({
        property: "databaseGroup",
        reason: `${group} belongs to project ${m[1]}, not ${project}: give a database group of ${project}`,
      });
    else if (!m && !ONE_ID.test(group))
      failures.push({
        property: "databaseGroup",
        reason: `'${group}' is not a database group: give its id (e.g. all-dbs) or projects/<project>/databaseGroups/<id>`,
      });
    else if (!m)
      databaseGroup = isKnownString(project) ? `projects/${project}/databaseGroups/${group}` : UNKNOWN;
  }
  if (failures.length) return safe(failures);
  return {
    inputs: dropUndefined({ ...raw, project, vcsProvider, repository, branch, baseDirectory, databaseGroup }),
    failures: [],
  };
}
