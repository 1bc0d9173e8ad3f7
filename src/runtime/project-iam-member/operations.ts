// The ProjectIamMember's operations (Bytebase 3.15+ `projects/{p}:getIamPolicy` / `:setIamPolicy`): one member of one
// role's binding, added and removed without touching the rest of the policy. setIamPolicy replaces the whole policy
// and Bytebase compares the etag with no lock between its read and its write (project_service.go@3.21.1
// SetIamPolicy), so the writes to one project are serialized inside this provider host, sent with the etag read,
// retried on ABORTED, and confirmed by reading the policy back.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ConsoleError, lostAnswer } from "../../client/errors";
import { ProjectIamPolicyClient, type Binding } from "../../client/project-iam-policies";
import { clientFor, consoleUrl } from "../connection";
import { requireCiEraConsole } from "../console-version";
import { UNKNOWN, dropUndefined, type ConnectionInputs } from "../shared-inputs";
import { checkProjectIamMemberInputs, type IamCondition, type ProjectIamMemberInputs } from "./inputs";

export interface ProjectIamMemberOutputs extends ProjectIamMemberInputs {
  readonly consoleUrl: string;
}

const RESOURCE = "ProjectIamMember";
const ATTEMPTS = 10;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const idOf = (i: ProjectIamMemberInputs) =>
  `projects/${i.project}/${i.role}/${i.member}${i.condition ? `?${i.condition.expression}` : ""}`;

/** The queue of writes per console and project in this host: each waits for the one before. */
const queues = new Map<string, Promise<unknown>>();
function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const next = (queues.get(key) ?? Promise.resolve()).then(work, work);
  queues.set(
    key,
    next.catch(() => undefined),
  );
  return next;
}

const isAborted = (error: unknown) => error instanceof ConsoleError && error.grpcCode === 10;
const sameCondition = (b: Binding, c: IamCondition | undefined) =>
  (b.condition.expression ?? "") === (c?.expression ?? "");
const holds = (bindings: readonly Binding[], i: ProjectIamMemberInputs) =>
  bindings.some((b) => b.role === i.role && sameCondition(b, i.condition) && b.members.includes(i.member));

/** The bindings with the member added (`present`) or removed; undefined when they already are so. */
function changed(
  bindings: readonly Binding[],
  i: ProjectIamMemberInputs,
  present: boolean,
): Binding[] | undefined {
  if (holds(bindings, i) === present) return undefined;
  const target = (b: Binding) => b.role === i.role && sameCondition(b, i.condition);
  if (!present) {
    const kept = bindings
      .map((b) => (target(b) ? { ...b, members: b.members.filter((m) => m !== i.member) } : b))
      .filter((b) => b.members.length);
    // An empty list is refused ("IAM Binding is empty"); a binding without members is dropped by the console.
    return kept.length ? kept : [{ role: i.role, members: [], condition: i.condition ?? {} }];
  }
  if (bindings.some(target))
    return bindings.map((b) => (target(b) ? { ...b, members: [...b.members, i.member] } : b));
  return [...bindings, { role: i.role, members: [i.member], condition: i.condition ?? {} }];
}

/** Reads, changes, writes with the etag read; on ABORTED or a lost answer reads again; ends when the read confirms. */
async function apply(
  client: ProjectIamPolicyClient,
  i: ProjectIamMemberInputs,
  present: boolean,
  operation: string,
) {
  return serialized(`${client.url}\n${i.project}`, async () => {
    let last: unknown;
    // Each pass reads first: the read after a write is its confirmation.
    for (let attempt = 0; attempt <= ATTEMPTS; attempt++) {
      const policy = await client.get(i.project);
      const next = changed(policy.bindings, i, present);
      if (!next) return;
      if (attempt === ATTEMPTS) break;
      try {
        await client.set(i.project, next, policy.etag);
      } catch (error) {
        if (!isAborted(error) && !lostAnswer(error)) throw error;
        last = error;
        await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
      }
    }
    throw new Error(
      `${operation} failed: the project's IAM policy kept changing under it (${ATTEMPTS} attempts, each answered ABORTED ` +
        `or lost): another writer is changing project ${i.project}'s members; run again.`,
      { cause: last },
    );
  });
}

export async function check(_olds: unknown, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  return checkProjectIamMemberInputs(news);
}

export async function diff(
  _id: string,
  olds: ProjectIamMemberOutputs,
  news: ProjectIamMemberInputs,
): Promise<dynamic.DiffResult> {
  const replaces: string[] = (["project", "role", "member", "condition"] as const).filter(
    (k) => !same(olds[k], news[k]),
  );
  const newConsole = news.connection === (UNKNOWN as unknown) ? UNKNOWN : consoleUrl(news.connection);
  if (newConsole !== undefined && newConsole !== olds.consoleUrl) replaces.push("connection");
  const changes = !same(olds.connection, news.connection) && !replaces.includes("connection");
  return { changes: replaces.length > 0 || changes, replaces, deleteBeforeReplace: false };
}

export async function create(inputs: ProjectIamMemberInputs): Promise<dynamic.CreateResult> {
  const client = clientFor(ProjectIamPolicyClient, inputs.connection);
  const operation = `Adding ${inputs.member} to ${inputs.role} of project ${inputs.project}`;
  await requireCiEraConsole(client, operation, RESOURCE);
  await apply(client, inputs, true, operation);
  return { id: idOf(inputs), outs: dropUndefined({ ...inputs, consoleUrl: client.url }) };
}

export async function read(id: string, props: ProjectIamMemberOutputs): Promise<dynamic.ReadResult> {
  const client = clientFor(
    ProjectIamPolicyClient,
    props.connection as ConnectionInputs | undefined,
    props.consoleUrl,
  );
  await requireCiEraConsole(client, `Reading ${props.member} in project ${props.project}`, RESOURCE);
  const policy = await client.get(props.project);
  if (!holds(policy.bindings, props)) return { id: "", props: {} };
  const { consoleUrl: _url, ...inputs } = props;
  return { id, props, inputs };
}

export async function update(
  _id: string,
  _olds: ProjectIamMemberOutputs,
  news: ProjectIamMemberInputs,
): Promise<dynamic.UpdateResult> {
  // Only the connection can change in place (its URL unchanged): nothing to send.
  const client = clientFor(ProjectIamPolicyClient, news.connection);
  return { outs: dropUndefined({ ...news, consoleUrl: client.url }) };
}

export async function remove(_id: string, props: ProjectIamMemberOutputs): Promise<void> {
  const client = clientFor(ProjectIamPolicyClient, props.connection, props.consoleUrl);
  const operation = `Removing ${props.member} from ${props.role} of project ${props.project}`;
  await requireCiEraConsole(client, operation, RESOURCE);
  await apply(client, props, false, operation);
}
