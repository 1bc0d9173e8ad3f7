// The ServiceAccount's inputs (Bytebase 3.15+): id, project, title and the key version whose change rotates the key.
import { z } from "zod";
import { idRule, parseInputs, projectFailure, projectIdOf } from "../ci-accounts";
import { onePerProperty } from "../schema-failures";
import {
  connectionSchema,
  dropUndefined,
  isKnownString,
  orUnknown,
  type CheckFailure,
  type ConnectionInputs,
} from "../shared-inputs";
import { RESOURCE_ID } from "../vcs-provider/inputs";

export interface ServiceAccountInputs {
  readonly serviceAccountId: string;
  readonly project?: string;
  readonly title: string;
  /** Changing it rotates the key (mask `service_key`). */
  readonly keyVersion: number;
  readonly connection?: ConnectionInputs;
}

const schema = z.strictObject({
  serviceAccountId: orUnknown(
    z.string({ error: "must be a string: the account's id, e.g. ci-deploy" }).min(1),
  ),
  project: orUnknown(
    z.string({ error: "must be a string: the project's id, e.g. payments" }).min(1),
  ).optional(),
  title: orUnknown(
    z.string({ error: "must be a string" }).max(200, { error: "must be at most 200 characters" }),
  ).optional(),
  keyVersion: orUnknown(
    z
      .number({ error: "must be a number: raise it to rotate the key" })
      .int()
      .min(0, { error: "must be 0 or more" }),
  ).optional(),
  connection: orUnknown(connectionSchema).optional(),
});

export function checkServiceAccountInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const parsed = parseInputs(news, schema, "ServiceAccount", {
    serviceAccountId: "the account's id, e.g. ci-deploy (lower-case letters, digits and '-')",
  });
  const { props, raw } = parsed;
  if (!raw) return { inputs: props, failures: parsed.failures };
  const failures: CheckFailure[] = [];
  if (isKnownString(raw.serviceAccountId) && !RESOURCE_ID.test(raw.serviceAccountId))
    failures.push({ property: "serviceAccountId", reason: idRule(raw.serviceAccountId) });
  const project = isKnownString(raw.project) ? projectIdOf(raw.project) : raw.project;
  if (isKnownString(raw.project) && project === undefined) failures.push(projectFailure(raw.project));
  if (failures.length) return { inputs: props, failures: onePerProperty(failures) };
  return {
    inputs: dropUndefined({ ...raw, project, title: raw.title ?? "", keyVersion: raw.keyVersion ?? 0 }),
    failures: [],
  };
}
