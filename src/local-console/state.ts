// The console's state (accounts, settings, Git providers, linked projects, fake OAuth apps) and its JSON file.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { normalizeExternalUrl } from "./external-url";
import { upgradeState } from "./migration";
import { cryptoRng, guid } from "./oauth-fakes/credentials";
import type { Account, StateData } from "./state-data";
import type { ProviderRecord, Role } from "./types";
import type { VersionProfile } from "./versions";

export const ADMIN_EMAIL = "admin@service.bytebase.com";

export class Store {
  private constructor(
    readonly data: StateData,
    private readonly file: string | undefined,
    readonly loaded: boolean,
  ) {}

  /** Loads the file (migrated to the console's version, see migration.ts) or starts a new state. */
  static open(file: string | undefined, adminKey: string, profile: VersionProfile): Store {
    if (file && existsSync(file)) {
      const data = load(file);
      upgradeState(data, profile, file);
      const store = new Store(data, file, true);
      store.changed();
      return store;
    }
    const data: StateData = {
      schemaVersion: profile.reported,
      jwtSecret: randomBytes(32).toString("hex"),
      workspaceId: guid(cryptoRng),
      externalUrl: "",
      externalUrlIsDefault: true,
      disallowSignup: false,
      require2fa: false,
      nextProviderId: 101,
      nextPrincipalId: 102,
      accounts: [{ id: 101, email: ADMIN_EMAIL, kind: "service", role: "admin", secret: adminKey }],
      providers: [],
      links: [],
      oauthApps: [],
    };
    const store = new Store(data, file, false);
    store.changed();
    return store;
  }

  /** Sets the workspace external URL (normalized as Bytebase does; "" or null: none), as set by an admin. */
  setExternalUrl(url: string | null): void {
    this.data.externalUrl = url ? normalizeExternalUrl(url) : "";
    this.data.externalUrlIsDefault = false;
    this.changed();
  }

  /** Persists the state (atomically) when a state file is in use. */
  changed(): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(tmp, this.file);
  }

  account(email: string): Account | undefined {
    return this.data.accounts.find((a) => a.email.toLowerCase() === email.toLowerCase());
  }

  upsertAccount(email: string, kind: Account["kind"], role: Role, secret: string): Account {
    const existing = this.account(email);
    if (existing) Object.assign(existing, { kind, role, secret });
    const account = existing ?? { id: this.data.nextPrincipalId++, email, kind, role, secret };
    if (!existing) this.data.accounts.push(account);
    this.changed();
    return account;
  }

  provider(id: string): ProviderRecord | undefined {
    return this.data.providers.find((p) => p.id === id);
  }
}

/** A state file's content, or an error that names the file and what to do. */
function load(file: string): StateData & Record<string, unknown> {
  let data: Partial<StateData>;
  try {
    data = JSON.parse(readFileSync(file, "utf8")) as Partial<StateData>;
  } catch (error) {
    const reason = (error as Error).message;
    throw new Error(`${file} is not a local console state file (${reason}); fix or delete it`, {
      cause: error,
    });
  }
  const lists = ["accounts", "providers", "links", "oauthApps"] as const;
  const broken = lists.filter((key) => !Array.isArray(data?.[key]));
  if (broken.length || !data.accounts?.some((a) => a.email === ADMIN_EMAIL))
    throw new Error(
      `${file} is not a local console state file (${broken.length ? `no list ${broken.join(", ")}` : `no ${ADMIN_EMAIL}`}); fix or delete it, or pass another --state`,
    );
  return data as StateData & Record<string, unknown>;
}
