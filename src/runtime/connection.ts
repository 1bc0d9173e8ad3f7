// Where the console is and who logs in: the resource's `connection`, else the stack config
// (bytebase:url, bytebase:serviceAccount, bytebase:serviceKey), else the environment (BYTEBASE_URL, ...); and the
// process's one connection per console and service account, which every API client of that console goes through.
import { ConsoleConnection } from "../client/connection";
import type { Credentials } from "../client/session";
import { hasUserInfo, type ConnectionInputs } from "./shared-inputs";

export interface ConfigSource {
  get(key: string): string | undefined;
}

let stackConfig: ConfigSource = { get: () => undefined };

/** Called by the provider host's Configure with the stack's config. */
export function setStackConfig(config: ConfigSource): void {
  stackConfig = config;
}

const SOURCES = {
  url: { config: "bytebase:url", env: "BYTEBASE_URL" },
  serviceAccount: { config: "bytebase:serviceAccount", env: "BYTEBASE_SERVICE_ACCOUNT" },
  serviceKey: { config: "bytebase:serviceKey", env: "BYTEBASE_SERVICE_KEY" },
} as const;

function setting(connection: ConnectionInputs | undefined, name: keyof typeof SOURCES): string | undefined {
  const value = connection?.[name] || stackConfig.get(SOURCES[name].config) || process.env[SOURCES[name].env];
  return value?.trim() || undefined;
}

/** The console URL in effect for these inputs (no trailing slash), or undefined when none is configured. */
export function consoleUrl(connection: ConnectionInputs | undefined): string | undefined {
  return setting(connection, "url")?.replace(/\/+$/, "");
}

/** Credentials for the console, or an error naming every missing setting and where it can come from. */
export function resolveCredentials(
  connection: ConnectionInputs | undefined,
  urlOverride?: string,
): Credentials {
  const url = urlOverride ?? consoleUrl(connection);
  const serviceAccount = setting(connection, "serviceAccount");
  const serviceKey = setting(connection, "serviceKey");
  const missing = (Object.keys(SOURCES) as (keyof typeof SOURCES)[])
    .filter((name) => !{ url, serviceAccount, serviceKey }[name])
    .map(
      (name) => `${name} (connection.${name}, config ${SOURCES[name].config} or env ${SOURCES[name].env})`,
    );
  if (missing.length || !url || !serviceAccount || !serviceKey)
    throw new Error(`The Bytebase console connection is incomplete: set ${missing.join("; ")}`);
  // The URL is kept in the state in plain text and named in messages: no credentials in it (never quoted here).
  if (hasUserInfo(url))
    throw new Error(
      "The Bytebase console URL (connection.url, config bytebase:url or env BYTEBASE_URL) contains user info: " +
        "remove the 'user@' part; the service account logs in with serviceAccount and serviceKey",
    );
  return { url, serviceAccount, serviceKey };
}

const connections = new Map<string, ConsoleConnection>();
const clients = new Map<ConsoleConnection, Map<unknown, unknown>>();

/**
 * The process's one connection to the console a resource's `connection` resolves to (`knownConsoleUrl`: the one in
 * its state), per console URL, service account and key: its login and actuator read serve every resource and every
 * API client of that console (the provider host runs GitOpsProvider, VcsProvider and VcsConnector in one process).
 */
function connectionFor(
  connection: ConnectionInputs | undefined,
  knownConsoleUrl?: string,
): ConsoleConnection {
  const credentials = resolveCredentials(connection, knownConsoleUrl);
  const key = `${credentials.url}\n${credentials.serviceAccount}\n${credentials.serviceKey}`;
  let shared = connections.get(key);
  if (!shared) connections.set(key, (shared = new ConsoleConnection(credentials)));
  return shared;
}

/** The `Client` over that connection, one per client class and connection (a client may cache what it read). */
export function clientFor<C>(
  Client: new (connection: ConsoleConnection) => C,
  connection: ConnectionInputs | undefined,
  knownConsoleUrl?: string,
): C {
  const shared = connectionFor(connection, knownConsoleUrl);
  const ofConnection = clients.get(shared) ?? clients.set(shared, new Map()).get(shared)!;
  let client = ofConnection.get(Client) as C | undefined;
  if (!client) ofConnection.set(Client, (client = new Client(shared)));
  return client;
}
