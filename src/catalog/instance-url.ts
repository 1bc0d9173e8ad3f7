// The Git provider's instance URL: the form the console stores, and its offline rules.
import { isLoopbackHost, tryUrl } from "./callback";
import type { GitProviderSpec } from "./types";

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
 * Offline problems with an instance URL: https (plain http only for a loopback host), no user info, query or
 * fragment, and a path only where the provider may be served under one (`spec.servedUnderPath`, not on its cloud
 * host; with no spec, e.g. a type not known yet, a path passes). One sentence per problem; never quotes user info.
 */
export function instanceUrlProblems(value: string, spec?: GitProviderSpec): string[] {
  const url = tryUrl(value.trim());
  if (!url) return ["is not an absolute URL"];
  const problems: string[] = [];
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname)))
    problems.push(`uses ${url.protocol.replace(":", "")}; use https (plain http only for a loopback host)`);
  if (url.username || url.password) problems.push("contains user info; remove the 'user@' part");
  const path = url.pathname.replace(/\/+$/, "");
  const cloudHost = spec && tryUrl(spec.defaultInstanceUrl)?.host === url.host;
  if (path !== "" && spec && (!spec.servedUnderPath || cloudHost))
    problems.push(
      spec.servedUnderPath
        ? `has the path '${url.pathname}', but ${url.host} serves ${spec.label} at its root; use ${spec.defaultInstanceUrl}`
        : `has the path '${url.pathname}'; ${spec.label} has one instance URL, ${spec.defaultInstanceUrl}`,
    );
  if (url.search || value.includes("?")) problems.push("has a query string; remove everything from '?'");
  if (url.hash || value.includes("#")) problems.push("has a fragment; remove everything from '#'");
  return problems;
}
