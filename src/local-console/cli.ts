// `npm run console`: starts the local console from the command line, prints how to use it, stops on SIGINT/SIGTERM.
import { consoleCallbackUrl, GIT_PROVIDER_TYPES, specFor } from "../catalog";
import { startLocalConsole, type StartedLocalConsole } from "./console";
import type { LocalConsoleOptions } from "./types";
import { CONSOLE_VERSIONS, DEFAULT_VERSION, versionProfile } from "./versions";

const USAGE = `Usage: node dist/local-console/cli.js [--version V] [--port N] [--host H] [--external-url URL|none] [--state FILE] [--admin-key bbs_...] [--rate-limit on|off]
  --version       the Bytebase version to be: ${CONSOLE_VERSIONS.join(", ")} (default ${DEFAULT_VERSION}), or a release of
                  2.5 - 2.23 or 3.0 - 3.4 such as 2.19.0 (its era, with that release's rules).
                  2.5 - 2.13: any role may manage Git providers, Owner/DBA change settings;
                  2.14: acl.yaml permissions (a Member only reads Git providers, not settings);
                  2.15 - 3.4: the externalVersionControls API is gone (404); access-token vcsProviders
                  instead, their tokens checked at the fake Git providers (tokens: issue them from tests),
                  and projects/{p}/vcsConnectors (branch check and webhooks at the fake Git providers;
                  the project "default" exists)
                  3.15, 3.16, 3.21: no Git providers; workload identities, service accounts and
                  project IAM policies (3.x answers; no rate limiter)
  --port          console port (default 8080, or a free port if 8080 is taken; 0 = random).
                  The fake Git providers listen on the next four ports when free.
  --host          interface to listen on (default 127.0.0.1)
  --external-url  the workspace external URL (default: the console's own URL; "none" = unset)
  --state         JSON file the state is loaded from and saved to on every change (default: in memory)
  --admin-key     the admin service account's key when the state is new (default: random)
  --rate-limit    Bytebase's rate limiter: 30 requests/s per client IP, burst 60, then 429 (default on; 3.4 has none)`;

export interface CliOptions extends LocalConsoleOptions {
  help?: boolean;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const opts: CliOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      opts.help = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
    if (name === "--port") {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port: not a port: ${value}`);
      opts.port = port;
    } else if (name === "--host") opts.host = value;
    else if (name === "--external-url") opts.externalUrl = value === "none" || value === "" ? null : value;
    else if (name === "--state") opts.stateFile = value;
    else if (name === "--admin-key") opts.adminKey = value;
    else if (name === "--version") {
      versionProfile(value); // refuses an unknown version now, naming it and the choices
      opts.version = value;
    } else if (name === "--rate-limit") {
      if (value !== "on" && value !== "off") throw new Error(`--rate-limit: set on or off, not ${value}`);
      opts.rateLimit = value === "on";
    } else throw new Error(`unknown option ${name}\n${USAGE}`);
  }
  return opts;
}

/** Starts the console as the CLI does (default port 8080 when free; fakes on the next four ports when free). */
export async function startFromCli(opts: CliOptions): Promise<StartedLocalConsole> {
  const requested = opts.port ?? 8080;
  const oauthPorts =
    requested === 0 ? {} : Object.fromEntries(GIT_PROVIDER_TYPES.map((t, i) => [t, requested + 1 + i]));
  try {
    return await startLocalConsole({ ...opts, port: requested, oauthPorts });
  } catch (error) {
    if (opts.port !== undefined || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    return startLocalConsole({ ...opts, port: 0 });
  }
}

export function banner(c: StartedLocalConsole, stateFile: string | undefined): string {
  const external = c.externalUrl;
  const lines = [
    `Local Bytebase-compatible console: Bytebase ${c.version.reported} (--version ${CONSOLE_VERSIONS.join("|")})`,
    `  URL:                   ${c.url}`,
    `  Admin service account: ${c.admin.email}`,
    `  Admin service key:     ${c.admin.key}`,
    `  External URL:          ${external ? `${external}  (OAuth callback ${consoleCallbackUrl(external)})` : "(none set)"}`,
    `  State:                 ${stateFile ?? "in memory (lost when stopped)"}`,
    `  Rate limit:            ${c.rateLimit.on ? "30 requests/s per client IP, burst 60 (as Bytebase)" : "off"}`,
    "",
    "Fake Git providers (their OAuth token endpoints), each with a demo OAuth app:",
  ];
  for (const type of GIT_PROVIDER_TYPES) {
    const app = c.demoApps[type];
    const names = specFor(type).credentialNames;
    lines.push(`  ${type.padEnd(13)} ${c.oauth.url(type)}`);
    lines.push(`    ${names.applicationId}: ${app.applicationId}`);
    lines.push(`    ${names.secret}: ${app.secret}`);
    lines.push(`    scopes: ${app.scopes.join(" ")}   callback: ${app.callbackUrls.join(" ")}`);
  }
  if (c.demoTokens) {
    lines.push(
      "",
      "Demo access tokens (what Bytebase's wizard asks of each; valid until the console stops):",
    );
    for (const type of GIT_PROVIDER_TYPES) lines.push(`  ${type.padEnd(13)} ${c.demoTokens[type].token}`);
  }
  lines.push(
    "",
    "For the examples:",
    `  export BYTEBASE_URL=${c.url}`,
    `  export BYTEBASE_SERVICE_ACCOUNT=${c.admin.email}`,
    `  export BYTEBASE_SERVICE_KEY=${c.admin.key}`,
    ...GIT_PROVIDER_TYPES.map((t) =>
      c.demoTokens
        ? `  export BYTEBASE_GITOPS_API_URL_${t}=${c.oauth.url(t)}`
        : `  export BYTEBASE_GITOPS_OAUTH_URL_${t}=${c.oauth.url(t)}`,
    ),
    "",
    "Press Ctrl+C to stop.",
  );
  return lines.join("\n");
}

async function main(): Promise<void> {
  let opts: CliOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const c = await startFromCli(opts);
  console.log(banner(c, opts.stateFile));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local console.`);
    void c.close().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
