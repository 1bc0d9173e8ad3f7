// How the demo talks to a person: sections, plans and changes in `pulumi`'s own symbols, policy violations,
// outputs and the console's list of Git providers, each line also kept to check that no secret was printed.
import type { StartedLocalConsole } from "../../src/local-console";
import type { Change, Report } from "./engines";
import { asAdmin, listFromApi } from "./examples";

/** Everything printed, to check at the end that no secret was. */
export const printed: string[] = [];

export function say(line = ""): void {
  printed.push(line);
  console.log(line);
}

export function section(step: string, title: string): void {
  say(`\n${step}. ${title}\n${"-".repeat(Math.min(100, step.length + 2 + title.length))}`);
}

const SYMBOL: Record<string, string> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
  drift: "~",
  gone: "-",
};

const VERB: Record<string, [planned: string, done: string]> = {
  drift: ["", "changed outside Pulumi:"],
  gone: ["", "deleted outside Pulumi"],
  create: ["create", "created"],
  update: ["update", "updated"],
  replace: ["replace", "replaced"],
  delete: ["delete", "deleted"],
};

export function printChanges(
  changes: Change[],
  planned: boolean,
  nothing = "no changes",
  kind = "GitOpsProvider",
): void {
  if (!changes.length) say(`    ${nothing}`);
  for (const c of changes) {
    const verb = VERB[c.op]?.[planned ? 0 : 1] ?? c.op;
    const diffs = c.diffs.length ? `  [${c.diffs.join(", ")}]` : "";
    say(`    ${(SYMBOL[c.op] ?? "?").padEnd(2)} ${kind} ${c.resource.padEnd(14)} ${verb}${diffs}`);
  }
}

export function printViolations(report: Report): void {
  for (const v of report.violations) {
    const [first = "", ...rest] = v.message.split("\n").filter(Boolean);
    say(`    ${v.level.toUpperCase().padEnd(9)} ${v.policy} on ${v.resource}: ${first}`);
    for (const line of rest) say(`              ${line}`);
  }
}

/** The quickstart's outputs: per provider, its name in the console and the verification checks. */
export function printOutputs(report: Report): void {
  say(`    consoleCallbackUrl  ${String(report.outputs.consoleCallbackUrl)}`);
  const providers = (report.outputs.providers ?? {}) as Record<
    string,
    {
      name?: string;
      apiUrl?: string;
      verification?: {
        checks?: { check: string; outcome: string; detail: string }[];
        secretExpiresAt?: string;
      };
    }
  >;
  for (const [key, p] of Object.entries(providers)) {
    say(`    providers.${key}: ${p.name}  (API ${p.apiUrl})`);
    for (const c of p.verification?.checks ?? [])
      say(`        ${c.check.padEnd(12)} ${c.outcome.padEnd(12)} ${c.detail}`);
    if (p.verification?.secretExpiresAt)
      say(`        the Client Secret expires ${p.verification.secretExpiresAt}`);
  }
}

/** The console's own view: GET /v1/externalVersionControls. */
export async function printConsole(bb: StartedLocalConsole): Promise<void> {
  const providers = await listFromApi(bb);
  say(`  The console's Git providers now (GET /v1/externalVersionControls): ${providers.length}`);
  for (const p of providers)
    say(
      `    ${String(p.name).padEnd(28)} ${String(p.type).padEnd(13)} ${JSON.stringify(p.title).padEnd(28)} app ${p.applicationId}`,
    );
}

/** A 2.15 - 3.4 console's own view: GET /v1/vcsProviders (the token is input-only: whether one is set, from the store). */
export async function printVcsConsole(bb: StartedLocalConsole): Promise<void> {
  const { vcsProviders = [] } = (await asAdmin(bb, "GET", "v1/vcsProviders")) as {
    vcsProviders?: Array<Record<string, unknown>>;
  };
  say(`  The console's Git providers now (GET /v1/vcsProviders): ${vcsProviders.length}`);
  const stored = bb.vcs.providers();
  for (const p of vcsProviders) {
    const token = stored.find((s) => `vcsProviders/${s.resourceId}` === p.name)?.accessToken
      ? "token set"
      : "no token";
    say(
      `    ${String(p.name).padEnd(28)} ${String(p.type).padEnd(13)} ${JSON.stringify(p.title).padEnd(16)} ${String(p.url).padEnd(24)} ${token}`,
    );
  }
}
