// The Git provider's instance URL: the form the console stores, and its offline rules.
import { isLoopbackHost, tryUrl } from "./callback";

/**
 * The console's form of an instance URL: lower-case scheme and host, no default port, no trailing '/'
 * (path kept). Undefined when the value is not an absolute http(s) URL.
 */
export function normalizeInstanceUrl(value: string): string | undefined {
  const url = tryUrl(value.trim());
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) return undefined;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * Offline problems with an instance URL: https (plain http only for a loopback host), no user info,
 * path, query or fragment. Returns one sentence per problem; never quotes user info.
 */
export function instanceUrlProblems(value: string): string[] {
  const url = tryUrl(value.trim());
  if (!url) return ["is not an absolute URL"];
  const problems: string[] = [];
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname)))
    problems.push(`uses ${url.protocol.replace(":", "")}; use https (plain http only for a loopback host)`);
  if (url.username || url.password) problems.push("contains user info; remove the 'user@' part");
  if (url.pathname.replace(/\/+$/, "") !== "")
    problems.push(`has the path '${url.pathname}'; use the bare origin, e.g. https://git.example.com`);
  if (url.search || value.includes("?")) problems.push("has a query string; remove everything from '?'");
  if (url.hash || value.includes("#")) problems.push("has a fragment; remove everything from '#'");
  return problems;
}
