// Verifying an OAuth application before the console is touched, as the wizard's "Verify setup" does but without
// a browser: the declared callback against the console's, and the credentials against the Git provider.
import {
  callbackMatches,
  describeCallbackRule,
  describeScope,
  missingScopes,
  type GitProviderSpec,
} from "../catalog";
import { askTokenEndpoint, tokenUrlFor } from "./token-endpoint";

export type CheckOutcome = "verified" | "failed" | "unverifiable";

export interface VerificationCheck {
  /** What was checked: `callback`, `secret`, `credentials`, `permissions`. */
  readonly check: string;
  readonly outcome: CheckOutcome;
  /** Why, in words (never a secret). */
  readonly detail: string;
}

export interface Verification {
  readonly verifiedAt: string;
  readonly checks: VerificationCheck[];
  /** Azure DevOps: when the client secret expires (ISO 8601). */
  readonly secretExpiresAt?: string;
}

export interface Application {
  readonly applicationId: string;
  readonly secret: string;
  readonly instanceUrl: string;
  /** The callback the user declares as registered in the OAuth app. */
  readonly callbackUrl?: string;
  readonly scopes?: readonly string[];
}

/** The declared callback against the console's, by the provider's own matching rule. */
export function checkCallback(
  spec: GitProviderSpec,
  declared: string | undefined,
  consoleCallback: string,
): VerificationCheck {
  if (!declared)
    return {
      check: "callback",
      outcome: "unverifiable",
      detail: `no callbackUrl declared; register ${consoleCallback} in the OAuth app and declare it to have it checked`,
    };
  if (callbackMatches(spec.callbackRule, declared, consoleCallback))
    return {
      check: "callback",
      outcome: "verified",
      detail: `${declared} accepts the console's callback ${consoleCallback}`,
    };
  return {
    check: "callback",
    outcome: "failed",
    detail:
      `the OAuth app's registered callback ${declared} does not accept the console's callback ${consoleCallback} ` +
      `(${spec.label}: the console's callback ${describeCallbackRule(spec.callbackRule)}); set the ` +
      `${spec.appUi.callbackField} in ${spec.appUi.appPage} to ${consoleCallback} and the callbackUrl input to the same, ` +
      "or fix the console's external URL",
  };
}

/** Every check; `credentials` only when asked to verify them. Never throws for a failed check. */
export async function verifyApplication(
  spec: GitProviderSpec,
  app: Application,
  consoleCallback: string,
  options: { credentials: boolean; now?: () => number },
): Promise<Verification> {
  const now = options.now ?? Date.now;
  const checks = [checkCallback(spec, app.callbackUrl, consoleCallback)];
  const exp = options.credentials ? spec.secretExpiry?.(app.secret) : undefined;
  if (options.credentials) checks.push(...(await credentialChecks(spec, app, consoleCallback, exp, now())));
  return {
    verifiedAt: new Date(now()).toISOString(),
    checks,
    ...(exp !== undefined ? { secretExpiresAt: new Date(exp * 1000).toISOString() } : {}),
  };
}

/** The secret offline (where it tells about itself), then the token endpoint, then the granted permissions. */
async function credentialChecks(
  spec: GitProviderSpec,
  app: Application,
  consoleCallback: string,
  exp: number | undefined,
  nowMs: number,
): Promise<VerificationCheck[]> {
  const checks: VerificationCheck[] = [];
  if (spec.secretExpiry) {
    const offline = secretCheck(spec, app, exp, nowMs);
    if (offline.outcome === "failed") return [offline];
    checks.push(offline);
  }
  const credentials = await probeCredentials(spec, app, consoleCallback);
  checks.push(credentials);
  if (spec.probe.grantedScopesRequest && credentials.outcome !== "failed")
    checks.push(await probePermissions(spec, app));
  return checks;
}

/** The failed checks as one error message for the operation (null when none failed). */
export function failureMessage(spec: GitProviderSpec, verification: Verification): string | null {
  const failed = verification.checks.filter((c) => c.outcome === "failed");
  if (!failed.length) return null;
  return (
    `Verifying the ${spec.label} OAuth application failed, so nothing was written to the console:\n` +
    failed.map((c) => `  - ${c.check}: ${c.detail}`).join("\n")
  );
}

function secretCheck(
  spec: GitProviderSpec,
  app: Application,
  exp: number | undefined,
  nowMs: number,
): VerificationCheck {
  const name = spec.credentialNames.secret;
  const issue = spec.checkCredentials(app.applicationId, app.secret).find((i) => i.property === "secret");
  if (issue) return { check: "secret", outcome: "failed", detail: `the secret ${issue.reason}` };
  if (exp !== undefined && exp * 1000 <= nowMs)
    return {
      check: "secret",
      outcome: "failed",
      detail:
        `the ${name} expired on ${new Date(exp * 1000).toISOString()}; generate a new ${name} on ` +
        `${spec.appUi.appPage} and set it as the secret`,
    };
  return {
    check: "secret",
    outcome: "verified",
    detail: `a ${name} of this application that has not expired`,
  };
}

async function probeCredentials(
  spec: GitProviderSpec,
  app: Application,
  consoleCallback: string,
): Promise<VerificationCheck> {
  const code = `bytebase-gitops-verify-${Date.now().toString(36)}`;
  const url = tokenUrlFor(spec, app.instanceUrl);
  const answer = await askTokenEndpoint(
    url,
    spec.probe.request(app.applicationId, app.secret, code, consoleCallback),
  );
  if ("unreachable" in answer)
    return {
      check: "credentials",
      outcome: "unverifiable",
      detail: `could not reach ${url} (${answer.unreachable})`,
    };
  const names = spec.credentialNames;
  switch (spec.probe.classify(answer.status, answer.body)) {
    case "good-client":
      return {
        check: "credentials",
        outcome: "verified",
        detail: `${spec.label} accepted the ${names.applicationId} and ${names.secret}`,
      };
    case "bad-client":
      return {
        check: "credentials",
        outcome: "failed",
        detail:
          `${spec.label} refused the ${names.applicationId} or ${names.secret} (${errorCode(answer.body)}); copy both ` +
          `again from the OAuth application (${spec.whereToRegister}) into applicationId and secret`,
      };
    case "redirect-mismatch":
      return {
        check: "credentials",
        outcome: "failed",
        detail: `${spec.label} does not accept the console's callback ${consoleCallback}: set it as the OAuth app's callback`,
      };
    case "unknown":
      return {
        check: "credentials",
        outcome: "unverifiable",
        detail: `${url} answered HTTP ${answer.status} ${errorCode(answer.body)}, which does not tell good credentials from bad`,
      };
  }
}

/** Bitbucket: the permissions a private consumer grants, read with client_credentials, against what is needed. */
async function probePermissions(spec: GitProviderSpec, app: Application): Promise<VerificationCheck> {
  const url = tokenUrlFor(spec, app.instanceUrl);
  const answer = await askTokenEndpoint(url, spec.probe.grantedScopesRequest!(app.applicationId, app.secret));
  if ("unreachable" in answer)
    return {
      check: "permissions",
      outcome: "unverifiable",
      detail: `could not reach ${url} (${answer.unreachable})`,
    };
  if (answer.status !== 200 || typeof answer.body.scopes !== "string")
    return {
      check: "permissions",
      outcome: "unverifiable",
      detail:
        `the consumer's permissions cannot be read (${errorCode(answer.body)}); tick 'This is a private consumer' ` +
        `in ${spec.whereToRegister} to let them be checked`,
    };
  const granted = answer.body.scopes.split(/[\s,]+/).filter(Boolean);
  const problems: string[] = [];
  const missing = missingScopes(spec, granted);
  if (missing.length)
    problems.push(
      `the consumer lacks ${missing.map((s) => describeScope(spec, s)).join(", ")}, which the console needs`,
    );
  const undeclared = (app.scopes ?? []).filter((s) => !new Set(granted).has(s));
  if (undeclared.length)
    problems.push(
      `scopes declares ${undeclared.map((s) => describeScope(spec, s)).join(", ")}, which the consumer does not grant`,
    );
  if (problems.length)
    return {
      check: "permissions",
      outcome: "failed",
      detail: `${problems.join("; ")}: tick them in ${spec.whereToRegister} (granted now: ${granted.join(" ") || "none"})`,
    };
  return { check: "permissions", outcome: "verified", detail: `the consumer grants ${granted.join(" ")}` };
}

function errorCode(body: Readonly<Record<string, unknown>>): string {
  const code = body.error ?? body.Error;
  return typeof code === "string" ? code.slice(0, 80) : "no error code";
}
