// The ServiceAccount's operations (Bytebase 3.15+ ServiceAccountService), run inside the Pulumi provider host. The
// console shows the `bbs_` key only when it makes one (create, rotation), so the state keeps it, as a secret.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  ServiceAccountClient,
  type ServiceAccount,
  type ServiceAccountPath,
} from "../../client/service-accounts";
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
import { checkServiceAccountInputs, type ServiceAccountInputs } from "./inputs";

export interface ServiceAccountOutputs extends ServiceAccountInputs {
  readonly name: string;
  readonly email: string;
  /** `serviceAccount:<email>`, for ProjectIamMember. */
  readonly member: string;
  /** The `bbs_` key (a secret output). */
  readonly serviceKey: string;
  readonly consoleUrl: string;
}

const SUFFIX = "service.bytebase.com";
const RESOURCE = "ServiceAccount";

export async function check(_olds: unknown, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  return checkServiceAccountInputs(news);
}

export async function diff(
  _id: string,
  olds: ServiceAccountOutputs,
  news: ServiceAccountInputs,
): Promise<dynamic.DiffResult> {
  const replaces: string[] = (["serviceAccountId", "project"] as const).filter((k) => olds[k] !== news[k]);
  const newConsole = news.connection === (UNKNOWN as unknown) ? UNKNOWN : consoleUrl(news.connection);
  if (newConsole !== undefined && newConsole !== olds.consoleUrl) replaces.push("connection");
  const changes: string[] = (["title", "keyVersion"] as const).filter((k) => olds[k] !== news[k]);
  if (JSON.stringify(olds.connection) !== JSON.stringify(news.connection) && !replaces.includes("connection"))
    changes.push("connection");
  return {
    changes: replaces.length + changes.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0,
  };
}

const outputsOf = (remote: ServiceAccount, inputs: ServiceAccountInputs, key: string, url: string) =>
  dropUndefined({
    ...inputs,
    title: remote.title,
    name: remote.name,
    email: remote.email,
    member: `serviceAccount:${remote.email}`,
    serviceKey: key,
    consoleUrl: url,
  });

export async function create(inputs: ServiceAccountInputs): Promise<dynamic.CreateResult> {
  const client = clientFor(ServiceAccountClient, inputs.connection);
  const email = emailOf(inputs.serviceAccountId, inputs.project, SUFFIX);
  await requireCiEraConsole(client, `Creating service account ${email}`, RESOURCE);
  const parent = parentOf(inputs.project, await client.consoleInfo());
  let made: ServiceAccount;
  try {
    made = await client.create(parent, inputs.serviceAccountId, inputs.title);
  } catch (error) {
    if (!isAlreadyExists(error) && !lostAnswer(error)) throw error;
    // Deleted in the console (soft): undeleted, with a new key (the old one is not shown again). Made by this
    // create whose answer was lost: the same, without the undelete. Active and made elsewhere: refused.
    const found = await client.get(email).catch(() => undefined);
    if (!found) throw error;
    if (found.state === "DELETED") await client.undelete(email);
    else if (isAlreadyExists(error))
      throw new Error(
        `Creating service account ${email} failed: the console already has it (made outside this stack), and shows ` +
          "its key only when it makes one: choose another serviceAccountId, or delete it in the console first.",
        { cause: error },
      );
    made = await client.update(email, ["title", "service_key"], inputs.title);
  }
  return { id: email, outs: outputsOf(made, inputs, made.serviceKey, client.url) };
}

export async function read(
  id: string,
  props: Partial<ServiceAccountOutputs> & Record<string, unknown>,
): Promise<dynamic.ReadResult> {
  const client = clientFor(
    ServiceAccountClient,
    props.connection as ConnectionInputs | undefined,
    props.consoleUrl,
  );
  await requireCiEraConsole(client, `Reading service account ${id}`, RESOURCE);
  const remote = await readActive(() => client.get(id), id);
  if (!remote) return { id: "", props: {} };
  const { id: localPart, project } = idAndProject(id, SUFFIX);
  const inputs = dropUndefined({
    serviceAccountId: localPart,
    project,
    title: remote.title,
    keyVersion: props.keyVersion ?? 0,
    connection: props.connection as ConnectionInputs | undefined,
  });
  return { id, props: outputsOf(remote, inputs, props.serviceKey ?? "", client.url), inputs };
}

export async function update(
  id: string,
  olds: ServiceAccountOutputs,
  news: ServiceAccountInputs,
): Promise<dynamic.UpdateResult> {
  const client = clientFor(ServiceAccountClient, news.connection, olds.consoleUrl);
  await requireCiEraConsole(client, `Updating service account ${id}`, RESOURCE);
  const paths: ServiceAccountPath[] = [];
  if (olds.title !== news.title) paths.push("title");
  if (olds.keyVersion !== news.keyVersion) paths.push("service_key");
  const remote = paths.length ? await client.update(id, paths, news.title) : await client.get(id);
  return { outs: outputsOf(remote, news, remote.serviceKey || olds.serviceKey, client.url) };
}

export async function remove(id: string, props: ServiceAccountOutputs): Promise<void> {
  const client = clientFor(ServiceAccountClient, props.connection, props.consoleUrl);
  await requireCiEraConsole(client, `Deleting service account ${id}`, RESOURCE);
  await deleteSoftly(() => client.delete(id), id);
}
