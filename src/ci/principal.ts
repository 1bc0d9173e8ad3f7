// Who a CI job signs in as: a workload identity (OIDC token exchanged at /v1/auth:exchangeToken) or a service account.

/** A workload identity as its resource's outputs describe it. */
export interface CiWorkloadIdentity {
  readonly kind: "workloadIdentity";
  /** `<id>@<project>.workload.bytebase.com` or `<id>@workload.bytebase.com`. */
  readonly email: string;
  /** The identity's allowed audiences; the job requests its OIDC token for the first. */
  readonly audiences: readonly string[];
  /** The identity's subject pattern (checked against the `sub` of each job that uses it). */
  readonly subjectPattern: string;
}

/** A service account; its `bbs_` key is a CI secret (GitHub) or masked CI/CD variable (GitLab) of this name. */
export interface CiServiceAccount {
  readonly kind: "serviceAccount";
  /** `<id>@service.bytebase.com` or `<id>@<project>.service.bytebase.com`. */
  readonly email: string;
  /** The name of the CI secret holding the key, e.g. `BYTEBASE_DEPLOY_KEY` (never the key itself). */
  readonly keySecret: string;
}

export type CiPrincipal = CiWorkloadIdentity | CiServiceAccount;

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What keeps the principal from signing a job in, or undefined. */
export function principalProblem(p: CiPrincipal): string | undefined {
  if (p.kind === "serviceAccount") {
    if (!/^[^@\s]+@([a-z0-9-]+\.)?service\.bytebase\.com$/.test(p.email))
      return `${JSON.stringify(p.email)} is not a service account's email (<id>@service.bytebase.com)`;
    // The value is never echoed: it may be the key itself.
    if (!SECRET_NAME.test(p.keySecret) || /^bbs_/i.test(p.keySecret) || /^GITHUB_/i.test(p.keySecret))
      return "keySecret names the CI secret that holds the key (letters, digits and _, not starting with GITHUB_), such as BYTEBASE_DEPLOY_KEY; never the key";
    return undefined;
  }
  if (p.kind !== "workloadIdentity") return `kind must be "workloadIdentity" or "serviceAccount"`;
  if (!/^[^@\s]+@([a-z0-9-]+\.)?workload\.bytebase\.com$/.test(p.email))
    return `${JSON.stringify(p.email)} is not a workload identity's email (<id>@<project>.workload.bytebase.com)`;
  if (p.audiences.length === 0 || p.audiences[0] === "")
    return `${p.email} allows no audience, so Bytebase skips the audience check (backend/plugin/idp/wif/wif.go@3.21.1); set audiences, e.g. ["bytebase"], and the job requests its token for the first`;
  return undefined;
}

/** Shell lines: the OIDC token in `$<variable>` exchanged for a Bytebase token in `$ACCESS_TOKEN` (auth_service.go@3.21.1). */
export function exchangeLines(oidcTokenVariable: string): string[] {
  return [
    `ACCESS_TOKEN=$(jq -n --arg token "$${oidcTokenVariable}" --arg email "$BYTEBASE_WORKLOAD_IDENTITY" '{token: $token, email: $email}' \\`,
    `  | curl -sSf -X POST "$BYTEBASE_URL/v1/auth:exchangeToken" -H "Content-Type: application/json" --data @- \\`,
    `  | jq -r .accessToken)`,
    `if [ -z "$ACCESS_TOKEN" ] || [ "$ACCESS_TOKEN" = null ]; then echo "Bytebase refused the OIDC token of this job" >&2; exit 1; fi`,
  ];
}

/** A workflow's arguments checked and defaulted, as the GitHub and GitLab writers take them. */
export interface ResolvedWorkflow {
  readonly project: string;
  readonly targets: string;
  readonly branch: string;
  readonly migrations: string;
  readonly bytebaseUrl: string;
  readonly version: string;
  readonly image: string;
  readonly environments: readonly string[];
  readonly check: CiPrincipal;
  deploy(environment: string): CiPrincipal;
}
