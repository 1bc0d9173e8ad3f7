// The fake providers' registered OAuth applications (kept in the console state), their codes and secret checks.
import { specFor, type GitProviderType } from "../../catalog";
import type { Store } from "../state";
import type { StoredApp } from "../state-data";
import type { RegisterAppInput, RegisteredApp } from "../types";
import { cryptoRng, generateCredentials, newCode, type Rng } from "./credentials";

const CODE_LIFETIME_MS = 10 * 60 * 1000;
const AZURE_SECRET_LIFETIME_S = 60 * 24 * 60 * 60;

interface CodeRecord {
  type: GitProviderType;
  applicationId: string;
  redirectUri: string;
  expiresAt: number;
}

export type SecretCheck = "ok" | "bad" | "expired";

export class OAuthRegistry {
  private readonly codes = new Map<string, CodeRecord>();

  constructor(
    private readonly store: Store,
    private readonly nowMs: () => number,
    /** The callback registered when none is given: the console's `<externalUrl>/oauth/callback`. */
    private readonly defaultCallback: () => string,
  ) {}

  /** Registers (or re-registers, by application id) an app; missing credentials are generated. */
  register(
    type: GitProviderType,
    input: RegisterAppInput = {},
    rng: Rng = cryptoRng,
    nbf?: number,
  ): RegisteredApp {
    const nowS = Math.floor(this.nowMs() / 1000);
    const exp = input.secretExpiresAt
      ? Math.floor(input.secretExpiresAt.getTime() / 1000)
      : nowS + AZURE_SECRET_LIFETIME_S;
    const generated = generateCredentials(type, rng, input.applicationId, { nbf: nbf ?? nowS - 60, exp });
    const callbacks = input.callbackUrl ?? this.defaultCallback();
    const app: StoredApp = {
      type,
      applicationId: generated.applicationId,
      secret: input.secret ?? generated.secret,
      appSecret: generated.appSecret,
      callbackUrls: Array.isArray(callbacks) ? [...callbacks] : [callbacks],
      scopes: [...(input.scopes ?? specFor(type).requiredScopes)],
      clientCredentials: input.clientCredentials ?? false,
      secretExpiresAt: input.secretExpiresAt?.getTime(),
    };
    const apps = this.store.data.oauthApps;
    const index = apps.findIndex((a) => a.type === type && a.applicationId === app.applicationId);
    if (index >= 0) apps[index] = app;
    else apps.push(app);
    this.store.changed();
    return toPublic(app);
  }

  find(type: GitProviderType, applicationId: string | undefined): StoredApp | undefined {
    if (!applicationId) return undefined;
    const id = type === "AZURE_DEVOPS" ? applicationId.toLowerCase() : applicationId;
    return this.store.data.oauthApps.find(
      (a) =>
        a.type === type && (type === "AZURE_DEVOPS" ? a.applicationId.toLowerCase() : a.applicationId) === id,
    );
  }

  /** Whether `secret` is the app's current secret, and not expired. */
  checkSecret(app: StoredApp, secret: string | undefined): SecretCheck {
    if (secret === undefined || secret !== app.secret) return "bad";
    return app.secretExpiresAt !== undefined && app.secretExpiresAt <= this.nowMs() ? "expired" : "ok";
  }

  /** A valid authorization code for the app, bound to `redirectUri`, as the provider's authorize page would give. */
  issueCode(type: GitProviderType, applicationId: string, redirectUri: string): string {
    const app = this.find(type, applicationId);
    if (!app) throw new Error(`no ${type} OAuth app with the application id ${applicationId} is registered`);
    const code = newCode(type);
    this.codes.set(code, {
      type,
      applicationId: app.applicationId,
      redirectUri,
      expiresAt: this.nowMs() + CODE_LIFETIME_MS,
    });
    return code;
  }

  /** The unexpired code record when `code` was issued to `app`; undefined otherwise. */
  codeFor(app: StoredApp, code: string | undefined): CodeRecord | undefined {
    const record = code ? this.codes.get(code) : undefined;
    if (!record || record.type !== app.type || record.applicationId !== app.applicationId) return undefined;
    return record.expiresAt > this.nowMs() ? record : undefined;
  }

  /** Codes are single use: spent once a token was issued for them. */
  consume(code: string): void {
    this.codes.delete(code);
  }

  now(): number {
    return this.nowMs();
  }
}

function toPublic(app: StoredApp): RegisteredApp {
  const out: RegisteredApp = {
    type: app.type,
    applicationId: app.applicationId,
    secret: app.secret,
    callbackUrls: [...app.callbackUrls],
    scopes: [...app.scopes],
    clientCredentials: app.clientCredentials,
  };
  if (app.appSecret !== undefined) out.appSecret = app.appSecret;
  return out;
}
