// Verifying an OAuth application before the console is touched: the declared callback against the console's,
// and the credentials against the Git provider. Placeholder until the verification issue lands.
export type CheckOutcome = "verified" | "failed" | "unverifiable";

export interface VerificationCheck {
  /** What was checked: `callback`, `credentials`, `permissions`, `secretExpiry`. */
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
