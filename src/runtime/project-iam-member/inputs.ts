// The ProjectIamMember's inputs (Bytebase 3.15+ project IAM): the project, the role, one member and an optional
// condition; their schema and the failures `check` reports.
import { z } from "zod";
import { parseInputs, projectFailure, projectIdOf } from "../ci-accounts";
import { onePerProperty } from "../schema-failures";
import {
  connectionSchema,
  dropUndefined,
  isKnownString,
  orUnknown,
  type CheckFailure,
  type ConnectionInputs,
} from "../shared-inputs";

export interface IamCondition {
  readonly expression: string;
  readonly title?: string;
  readonly description?: string;
}

export interface ProjectIamMemberInputs {
  readonly project: string;
  /** `roles/<id>` */
  readonly role: string;
  /** `user:<email>`, `group:<email>`, `serviceAccount:<email>`, `workloadIdentity:<email>` or `allUsers`. */
  readonly member: string;
  readonly condition?: IamCondition;
  readonly connection?: ConnectionInputs;
}

const word = (fix: string) =>
  z.string({ error: `must be a string: ${fix}` }).min(1, { error: `must not be empty: ${fix}` });
const schema = z.strictObject({
  project: orUnknown(word("the project's id, e.g. payments")),
  role: orUnknown(word("a role, e.g. roles/gitopsServiceAgent")),
  member: orUnknown(word("an identity's or account's member output, or user:<email>")),
  condition: orUnknown(
    z.strictObject({
      expression: word('a CEL expression, e.g. request.time < timestamp("2027-01-01T00:00:00Z")'),
      title: z.string().optional(),
      description: z.string().optional(),
    }),
  ).optional(),
  connection: orUnknown(connectionSchema).optional(),
});

const REQUIRED = {
  project: "the project's id, e.g. payments",
  role: "a role, e.g. roles/gitopsServiceAgent",
  member: "a WorkloadIdentity's or ServiceAccount's member output, or user:<email>",
};

/** convertToStoreIamPolicyMember (project_service_converter.go@3.21.1): the prefixes Bytebase stores. */
const MEMBER = /^(user|group|serviceAccount|workloadIdentity):[^\s@]+@[^\s@]+$/;

export function checkProjectIamMemberInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const parsed = parseInputs(news, schema, "ProjectIamMember", REQUIRED);
  const { props, raw } = parsed;
  if (!raw) return { inputs: props, failures: parsed.failures };
  const failures: CheckFailure[] = [];
  const project = isKnownString(raw.project) ? projectIdOf(raw.project) : raw.project;
  if (isKnownString(raw.project) && project === undefined) failures.push(projectFailure(raw.project));
  const role = isKnownString(raw.role) && !raw.role.startsWith("roles/") ? `roles/${raw.role}` : raw.role;
  if (isKnownString(role) && !/^roles\/[A-Za-z][A-Za-z0-9-]*$/.test(role))
    failures.push({ property: "role", reason: `'${raw.role}' is not a role: e.g. roles/gitopsServiceAgent` });
  if (isKnownString(raw.member) && raw.member !== "allUsers" && !MEMBER.test(raw.member))
    failures.push({
      property: "member",
      reason: `'${raw.member}' is not a member Bytebase stores: user:<email>, group:<email>, serviceAccount:<email>, workloadIdentity:<email> or allUsers (a WorkloadIdentity's or ServiceAccount's member output is one)`,
    });
  if (failures.length) return { inputs: props, failures: onePerProperty(failures) };
  return { inputs: dropUndefined({ ...raw, project, role }), failures: [] };
}
