// The WorkloadIdentity's inputs (Bytebase 3.15+): their schema, the subject pattern built from a repository and a ref
// (src/ci/subject.ts) or given raw, the issuer defaulted per provider, and the failures `check` reports.
import { z } from "zod";
import { CI_ISSUERS, subjectPattern, type CiProviderType, type SubjectSpec } from "../../ci/subject";
import { idRule, parseInputs, projectFailure, projectIdOf } from "../ci-accounts";
import { onePerProperty } from "../schema-failures";
import {
  connectionSchema,
  dropUndefined,
  isKnownString,
  orUnknown,
  UNKNOWN,
  type CheckFailure,
  type ConnectionInputs,
} from "../shared-inputs";
import { RESOURCE_ID } from "../vcs-provider/inputs";

export interface WorkloadIdentityInputs {
  readonly workloadIdentityId: string;
  /** The project's id; absent for a workspace-level identity. */
  readonly project?: string;
  readonly title: string;
  readonly provider: CiProviderType;
  readonly issuerUrl: string;
  readonly audiences: readonly string[];
  /** As declared: a raw pattern or a SubjectSpec. */
  readonly subject: string | SubjectSpec;
  /** The pattern sent to the console (built from `subject`). */
  readonly subjectPattern: string;
  readonly connection?: ConnectionInputs;
}

const word = (fix: string) =>
  z.string({ error: `must be a string: ${fix}` }).min(1, { error: `must not be empty: ${fix}` });
const spec = z.strictObject({
  repository: orUnknown(word("owner/repo (GitHub) or group/project (GitLab)")),
  branch: orUnknown(word("a branch name, e.g. main")).optional(),
  tag: orUnknown(word("a tag name, e.g. v1.0")).optional(),
  environment: orUnknown(word("a GitHub environment, e.g. prod")).optional(),
  pullRequest: z.literal(true, { error: "set it to true or leave it out" }).optional(),
});

const schema = z.strictObject({
  workloadIdentityId: orUnknown(word("the identity's id, e.g. deploy-prod")),
  project: orUnknown(word("the project's id, e.g. payments")).optional(),
  title: orUnknown(
    z.string({ error: "must be a string" }).max(200, { error: "must be at most 200 characters" }),
  ).optional(),
  provider: orUnknown(z.enum(["GITHUB", "GITLAB"], { error: 'must be "GITHUB" or "GITLAB"' })),
  issuerUrl: orUnknown(word("the CI's OIDC issuer, e.g. https://gitlab.example.com")).optional(),
  audiences: orUnknown(
    z.array(orUnknown(word("an audience, e.g. bytebase")), { error: 'must be a list, e.g. ["bytebase"]' }),
  ),
  subject: orUnknown(
    z.union([
      z.string({ error: "must be a pattern or { repository, branch | tag | environment | pullRequest }" }),
      spec,
    ]),
  ),
  connection: orUnknown(connectionSchema).optional(),
});

const REQUIRED: Record<string, string> = {
  workloadIdentityId: "the identity's id, e.g. deploy-prod (lower-case letters, digits and '-')",
  provider: '"GITHUB" or "GITLAB"',
  audiences: '["bytebase"] (the audience the CI job requests its token for)',
  subject: '{ repository: "owner/repo", environment: "prod" } (or branch, tag, pullRequest: true)',
};

const hasUnknown = (value: unknown): boolean =>
  value === UNKNOWN || (typeof value === "object" && value !== null && Object.values(value).some(hasUnknown));

export function checkWorkloadIdentityInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const parsed = parseInputs(news, schema, "WorkloadIdentity", REQUIRED);
  const { props, raw } = parsed;
  if (!raw) return { inputs: props, failures: parsed.failures };
  const failures: CheckFailure[] = [];
  if (isKnownString(raw.workloadIdentityId) && !RESOURCE_ID.test(raw.workloadIdentityId))
    failures.push({ property: "workloadIdentityId", reason: idRule(raw.workloadIdentityId) });
  const project = isKnownString(raw.project) ? projectIdOf(raw.project) : raw.project;
  if (isKnownString(raw.project) && project === undefined) failures.push(projectFailure(raw.project));
  const provider = raw.provider;
  const issuerUrl = raw.issuerUrl ?? (provider === UNKNOWN ? UNKNOWN : CI_ISSUERS[provider]);
  if (isKnownString(issuerUrl)) {
    const url = URL.canParse(issuerUrl) ? new URL(issuerUrl) : undefined;
    // wif.go@3.21.1 compares the token's `iss` with it exactly, and jwks.go fetches only https issuers.
    if (url?.protocol !== "https:" || issuerUrl.endsWith("/") || url.search || url.hash)
      failures.push({
        property: "issuerUrl",
        reason: `'${issuerUrl}' must be the issuer exactly as the CI's tokens name it (their iss claim): an https URL without a trailing "/", e.g. ${provider === "GITLAB" ? CI_ISSUERS.GITLAB : CI_ISSUERS.GITHUB}`,
      });
  }
  let pattern: string = UNKNOWN;
  if (typeof raw.subject === "string") pattern = raw.subject;
  else if (!hasUnknown(raw.subject) && provider !== UNKNOWN) {
    try {
      pattern = subjectPattern(provider, raw.subject as SubjectSpec);
    } catch (error) {
      const [property, ...reason] = (error as Error).message.split(": ");
      failures.push({ property: property!.split(",")[0]!, reason: reason.join(": ") });
    }
  }
  if (failures.length) return { inputs: props, failures: onePerProperty(failures) };
  return {
    inputs: dropUndefined({
      ...raw,
      project,
      title: raw.title ?? "",
      issuerUrl,
      subjectPattern: pattern,
    }),
    failures: [],
  };
}
