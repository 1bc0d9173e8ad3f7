// The OAuth callback: where the console expects it, how each provider matches it, and its offline rules.
import type { CallbackRule } from "./types";

export const CALLBACK_PATH = "/oauth/callback";

/** The callback every Git provider's OAuth app must register for a console: `<externalUrl>/oauth/callback`. */
export function consoleCallbackUrl(externalUrl: string): string {
  return `${externalUrl.replace(/\/+$/, "")}${CALLBACK_PATH}`;
}

/** Loopback hosts (RFC 8252): plain http is acceptable for them. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname === "[::1]" ||
    hostname === "::1" ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

/** Whether a provider using `rule` accepts `effective` as redirect_uri when `registered` is registered. */
export function callbackMatches(rule: CallbackRule, registered: string, effective: string): boolean {
  switch (rule) {
    case "exact":
      return registered === effective;
    case "prefix":
      return effective.startsWith(registered);
    case "same-host-subpath": {
      const r = tryUrl(registered);
      const e = tryUrl(effective);
      if (!r || !e) return false;
      const base = r.pathname.endsWith("/") ? r.pathname : `${r.pathname}/`;
      return (
        r.protocol === e.protocol &&
        r.host === e.host &&
        (e.pathname === r.pathname || e.pathname.startsWith(base))
      );
    }
  }
}

/** The rule in words, for error messages. */
export function describeCallbackRule(rule: CallbackRule): string {
  switch (rule) {
    case "exact":
      return "must match the registered callback exactly";
    case "prefix":
      return "must start with the registered callback";
    case "same-host-subpath":
      return "must have the registered callback's host and port, and a path at or below its path";
  }
}

/**
 * Offline problems with a callback URL (https unless loopback, no user info, query, fragment or wildcard,
 * path `/oauth/callback`). Returns one sentence per problem.
 */
export function callbackUrlProblems(value: string): string[] {
  if (value.includes("*")) return ["contains a wildcard '*'; OAuth providers match callbacks literally"];
  const url = tryUrl(value);
  if (!url) return ["is not an absolute URL"];
  const problems: string[] = [];
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname)))
    problems.push(`uses ${url.protocol.replace(":", "")}; use https (plain http only for a loopback host)`);
  if (url.username || url.password) problems.push("contains user info; remove the 'user@' part");
  if (url.search || value.includes("?")) problems.push("has a query string; remove everything from '?'");
  if (url.hash || value.includes("#")) problems.push("has a fragment; remove everything from '#'");
  if (!url.pathname.endsWith(CALLBACK_PATH))
    problems.push(`has the path '${url.pathname}'; the console's callback path is '${CALLBACK_PATH}'`);
  return problems;
}

export function tryUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
