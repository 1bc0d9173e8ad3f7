// Verifying an OAuth application before the console is touched, as the wizard's "Verify setup" does but without
// a browser: the declared callback against the console's, and the credentials against the Git provider.
import {
  azureSecretIssues,
  callbackMatches,
  decodeAzureClientSecret,
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
  let secretExpiresAt: string | undefined;
  if (options.credentials) {
    if (spec.type === "AZURE_DEVOPS") {
      const exp = decodeAzureClientSecret(app.secret)?.exp;
      secretExpiresAt = exp !== undefined ? new Date(exp * 1000).toISOString() : undefined;
      const offline = azureSecretCheck(app, exp, now());
      checks.push(offline);
      if (offline.outcome === "failed")
        return { verifiedAt: new Date(now()).toISOString(), checks, secretExpiresAt };
    }
    checks.push(await probeCredentials(spec, app, consoleCallback));
    if (spec.probe.grantedScopesRequest && checks.at(-1)?.outcome !== "failed")
      checks.push(await probePermissions(spec, app));
  }
  return {
    verifiedAt: new Date(now()).toISOString(),
    checks,
    ...(secretExpiresAt ? { secretExpiresAt } : {}),
  };
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

function azureSecretCheck(app: Application, exp: number | undefined, nowMs: number): VerificationCheck {
  const issue = azureSecretIssues(app.applicationId, app.secret)[0];
  if (issue) return { check: "secret", outcome: "failed", detail: `the secret ${issue.reason}` };
  if (exp !== undefined && exp * 1000 <= nowMs)
    return {
      check: "secret",
      outcome: "failed",
      detail:
        `the Client Secret expired on ${new Date(exp * 1000).toISOString()}; generate a new Client Secret on the app's ` +
        "page (app.vsaex.visualstudio.com) and set it as the secret",
    };
  return {
    check: "secret",
    outcome: "verified",
    detail: "a Client Secret of this application that has not expired",
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
