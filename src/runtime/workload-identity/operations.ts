// The WorkloadIdentity's operations (Bytebase 3.15+ WorkloadIdentityService), run inside the Pulumi provider host:
// check, diff, create (undeleting a soft-deleted identity of the same id), read (a deleted one is gone), update
// (an exact mask: `title`, `workload_identity_config`), delete (soft, as Bytebase does).
import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  WorkloadIdentityClient,
  type WorkloadIdentity,
  type WorkloadIdentityBody,
  type WorkloadIdentityPath,
} from "../../client/workload-identities";
import {
  deleteSoftly,
  emailOf,
  idAndProject,
  isAlreadyExists,
  lostAnswer,
  parentOf,
  readActive,
} from "../ci-accounts";
import { clientFor, consoleUrl } from "../connection";
import { requireCiEraConsole } from "../console-version";
import { UNKNOWN, dropUndefined, type ConnectionInputs } from "../shared-inputs";
import { checkWorkloadIdentityInputs, type WorkloadIdentityInputs } from "./inputs";

export interface WorkloadIdentityOutputs extends WorkloadIdentityInputs {
  /** `workloadIdentities/<email>` */
  readonly name: string;
  readonly email: string;
  /** `workloadIdentity:<email>`, for ProjectIamMember. */
  readonly member: string;
  readonly consoleUrl: string;
}

const SUFFIX = "workload.bytebase.com";
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function check(_olds: unknown, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  return checkWorkloadIdentityInputs(news);
}

export async function diff(
  _id: string,
  olds: WorkloadIdentityOutputs,
  news: WorkloadIdentityInputs,
): Promise<dynamic.DiffResult> {
  const replaces: string[] = (["workloadIdentityId", "project", "provider"] as const).filter(
    (k) => !same(olds[k], news[k]),
  );
  const newConsole = news.connection === (UNKNOWN as unknown) ? UNKNOWN : consoleUrl(news.connection);
  if (newConsole !== undefined && newConsole !== olds.consoleUrl) replaces.push("connection");
  const changes: string[] = (["title", "issuerUrl", "audiences", "subjectPattern"] as const).filter(
    (k) => !same(olds[k], news[k]),
  );
  if (!same(olds.subject, news.subject) && !changes.includes("subjectPattern"))
    changes.push("subjectPattern");
  if (!same(olds.connection, news.connection) && !replaces.includes("connection")) changes.push("connection");
  return {
    changes: replaces.length + changes.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0,
  };
}

const bodyOf = (i: WorkloadIdentityInputs): WorkloadIdentityBody => ({
  title: i.title,
  workloadIdentityConfig: {
    providerType: i.provider,
    issuerUrl: i.issuerUrl,
    allowedAudiences: i.audiences,
    subjectPattern: i.subjectPattern,
  },
});

function outputsOf(
  remote: WorkloadIdentity,
  inputs: WorkloadIdentityInputs,
  url: string,
): WorkloadIdentityOutputs {
  const c = remote.workloadIdentityConfig;
  return dropUndefined({
    ...inputs,
    title: remote.title,
    issuerUrl: c?.issuerUrl ?? "",
    audiences: c?.allowedAudiences ?? [],
    subjectPattern: c?.subjectPattern ?? "",
    name: remote.name,
    email: remote.email,
    member: `workloadIdentity:${remote.email}`,
    consoleUrl: url,
  });
}

export async function create(inputs: WorkloadIdentityInputs): Promise<dynamic.CreateResult> {
  const client = clientFor(WorkloadIdentityClient, inputs.connection);
  const email = emailOf(inputs.workloadIdentityId, inputs.project, SUFFIX);
  await requireCiEraConsole(client, `Creating workload identity ${email}`, "WorkloadIdentity");
  const parent = parentOf(inputs.project, await client.consoleInfo());
  let made: WorkloadIdentity;
  try {
    made = await client.create(parent, inputs.workloadIdentityId, bodyOf(inputs));
  } catch (error) {
    if (!isAlreadyExists(error) && !lostAnswer(error)) throw error;
    made = await adopt(client, email, inputs, error as Error);
  }
  return { id: email, outs: outputsOf(made, inputs, client.url) };
}

/**
 * After a 409 or a lost answer: an identity of this id deleted in the console (soft) is undeleted and given the
 * declared config (Bytebase answers 409 to a create until `:undelete`); one this create made is taken with the
 * declared config applied; an active one made elsewhere is refused, saying how to import it.
 */
async function adopt(
  client: WorkloadIdentityClient,
  email: string,
  inputs: WorkloadIdentityInputs,
  cause: Error,
): Promise<WorkloadIdentity> {
  const found = await client.get(email).catch(() => undefined);
  if (!found) throw cause;
  if (found.state === "DELETED") await client.undelete(email);
  else if (isAlreadyExists(cause))
    throw new Error(
      `Creating workload identity ${email} failed: the console already has it (made outside this stack). Import it ` +
        `(pulumi import 'pulumi-nodejs:dynamic/bytebase:WorkloadIdentity' <name> ${email}) or choose another workloadIdentityId.`,
      { cause },
    );
  return client.update(email, ["title", "workload_identity_config"], bodyOf(inputs));
}

export async function read(
  id: string,
  props: Partial<WorkloadIdentityOutputs> & Record<string, unknown>,
): Promise<dynamic.ReadResult> {
  const client = clientFor(
    WorkloadIdentityClient,
    props.connection as ConnectionInputs | undefined,
    props.consoleUrl,
  );
  await requireCiEraConsole(client, `Reading workload identity ${id}`, "WorkloadIdentity");
  const remote = await readActive(() => client.get(id), id);
  if (!remote) return { id: "", props: {} };
  const { id: localPart, project } = idAndProject(id, SUFFIX);
  const c = remote.workloadIdentityConfig;
  const declared = props.subjectPattern === c?.subjectPattern ? props.subject : c?.subjectPattern;
  const inputs = dropUndefined({
    workloadIdentityId: localPart,
    project,
    title: remote.title,
    provider: (c?.providerType === "GITLAB" ? "GITLAB" : "GITHUB") as WorkloadIdentityInputs["provider"],
    issuerUrl: c?.issuerUrl ?? "",
    audiences: c?.allowedAudiences ?? [],
    subject: declared ?? "",
    subjectPattern: c?.subjectPattern ?? "",
    connection: props.connection as ConnectionInputs | undefined,
  });
  const outs = outputsOf(remote, inputs, client.url);
  const { name: _n, email: _e, member: _m, consoleUrl: _c, subjectPattern: _s, ...declaredInputs } = outs;
  return { id, props: outs, inputs: declaredInputs };
}

export async function update(
  id: string,
  olds: WorkloadIdentityOutputs,
  news: WorkloadIdentityInputs,
): Promise<dynamic.UpdateResult> {
  const client = clientFor(WorkloadIdentityClient, news.connection, olds.consoleUrl);
  await requireCiEraConsole(client, `Updating workload identity ${id}`, "WorkloadIdentity");
  const paths: WorkloadIdentityPath[] = [];
  if (olds.title !== news.title) paths.push("title");
  if ((["issuerUrl", "audiences", "subjectPattern"] as const).some((k) => !same(olds[k], news[k])))
    paths.push("workload_identity_config");
  const remote = paths.length ? await client.update(id, paths, bodyOf(news)) : await client.get(id);
  return { outs: outputsOf(remote, news, client.url) };
}

export async function remove(id: string, props: WorkloadIdentityOutputs): Promise<void> {
  const client = clientFor(WorkloadIdentityClient, props.connection, props.consoleUrl);
  await requireCiEraConsole(client, `Deleting workload identity ${id}`, "WorkloadIdentity");
  await deleteSoftly(() => client.delete(id), id);
}
