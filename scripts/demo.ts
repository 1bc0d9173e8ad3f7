// `npm run demo [-- --keep]`: the quickstart (examples/quickstart: Azure DevOps and Bitbucket.org) against a local
// Bytebase-compatible console, the way a platform team runs it: a preview with the policy pack that catches a wrong
// callback, then corrected; up; a change made in the console's UI; refresh showing the drift; an up that rotates
// the Azure DevOps secret and puts the title back; destroy. Then the token era: a 2.14 console upgraded to 2.15 on
// its state file, its migrated Git providers taken over by examples/upgrade-2.15's VcsProviders with access
// tokens, and destroyed; then Bytebase 3.21's CI identities (examples/ci-gitops). Without the Pulumi CLI it runs on
// the test engine (test/engine); with `pulumi` on PATH, on the real CLI through the Automation API (`--real-cli`
// insists on it: without `pulumi` on PATH it fails, saying how to get it). `--keep` stops after the first up and
// leaves the console running.
import { join } from "node:path";
import { banner, startFromCli } from "../src/local-console/cli";
import { startLocalConsole, type StartedLocalConsole } from "../src/local-console";
import { cliStack, pulumiOnPath, testEngineStack, type DemoStack, type Report } from "./demo/engines";
import {
  appSecrets,
  asAdmin,
  CI_GITOPS,
  leaks,
  listFromApi,
  makeInConsole,
  newStackDir,
  QUICKSTART,
  stackSettings,
  UPGRADED,
} from "./demo/examples";
import {
  printChanges,
  printConsole,
  printed,
  printOutputs,
  printVcsConsole,
  printViolations,
  say,
  section,
} from "./demo/print";

const keep = process.argv.includes("--keep");
const realCli = process.argv.includes("--real-cli");
const WRONG_CALLBACK = "https://bytebase-staging.example.com/oauth/callback";

function expect(condition: boolean, what: string, report?: Report): void {
  if (condition) return;
  const details = report
    ? `\n  ${[...report.errors, ...report.violations.map((v) => v.message)].join("\n  ")}`
    : "";
  throw new Error(`${what}${details}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const bb = await startFromCli({ port: keep ? undefined : 0 });
  let stack: DemoStack | undefined;
  let deployed = false;
  const secrets = [...stackSettings(QUICKSTART, bb).secrets];
  try {
    section("1", "A local Bytebase-compatible console, and an OAuth app at each fake Git provider");
    say(`  console         ${bb.url}   service account ${bb.admin.email}`);
    say(
      `  OAuth callback  ${bb.externalUrl}/oauth/callback   (the console's external URL + /oauth/callback)`,
    );
    for (const { type } of QUICKSTART.providers) {
      const app = bb.demoApps[type];
      say(
        `  ${type.padEnd(14)}  ${bb.oauth.url(type)}   app ${app.applicationId}, scopes ${app.scopes.join(" ")}`,
      );
    }
    const cli = pulumiOnPath();
    if (realCli && !cli)
      throw new Error(
        "--real-cli: no `pulumi` on PATH (the stand-in test/engine/bin/pulumi does not count). Install the Pulumi CLI, or run `npm run pulumi-cli` and put the directory it prints first on PATH.",
      );
    stack = cli ? await cliStack(QUICKSTART, bb) : testEngineStack(QUICKSTART, bb);
    say(`  engine          ${stack.engine}${cli ? "" : "\n                  (no `pulumi` on PATH)"}`);
    say(`  state           ${stack.stateLocation}`);
    say(`  program         examples/quickstart, stack dev; policy pack examples/policy-pack`);

    section("2", "pulumi preview --policy-pack examples/policy-pack, with a mistake in the stack config");
    say(`  $ pulumi config set callbackUrl ${WRONG_CALLBACK}     # the staging console's callback`);
    await stack.setConfig("callbackUrl", WRONG_CALLBACK);
    const wrong = await stack.preview();
    printChanges(wrong.changes, true);
    say("  Policy violations:");
    printViolations(wrong);
    expect(
      !wrong.ok && wrong.violations.some((v) => v.level === "mandatory"),
      "the wrong callback was not caught",
      wrong,
    );
    say("  The preview fails: in a pull request, this check stops the merge. Nothing reached the console.");
    await printConsole(bb);

    say(`\n  $ pulumi config set callbackUrl ${bb.externalUrl}/oauth/callback`);
    await stack.setConfig("callbackUrl", `${bb.externalUrl}/oauth/callback`);
    const right = await stack.preview();
    printChanges(right.changes, true);
    printViolations(right);
    expect(right.ok, "the corrected preview failed", right);
    say("  The preview passes.");

    section("3", "pulumi up");
    const created = await stack.up();
    printChanges(created.changes, false);
    expect(created.ok, "pulumi up failed", created);
    deployed = true;
    say("  Outputs:");
    printOutputs(created);
    await printConsole(bb);

    if (keep) return await keepRunning(bb);

    section("4", "Meanwhile, someone renames the Bitbucket provider in the console (Settings > GitOps)");
    const bitbucket = (await listFromApi(bb)).find((p) => p.type === "BITBUCKET")!;
    const name = String(bitbucket.name);
    say(`  PATCH /v1/${name}?update_mask=title   {"title": "Bitbucket (temporary)"}`);
    await asAdmin(bb, "PATCH", `v1/${name}?update_mask=title`, { name, title: "Bitbucket (temporary)" });
    await printConsole(bb);

    section("5", "pulumi refresh: the drift shows");
    const refreshed = await stack.refresh();
    printChanges(refreshed.changes, false, "no drift");
    expect(
      refreshed.ok && refreshed.changes.some((c) => c.diffs.includes("title")),
      "refresh did not show the drift",
      refreshed,
    );
    say('  The state now says what the console has; the program still declares "Bitbucket.org".');

    section("6", "Rotate the Azure DevOps Client Secret, then pulumi up");
    const app = bb.demoApps.AZURE_DEVOPS;
    const rotated = bb.oauth.register("AZURE_DEVOPS", {
      applicationId: app.applicationId,
      secretExpiresAt: new Date(Date.now() + 365 * 86_400_000),
    });
    secrets.push(...appSecrets(rotated));
    say(
      `  At app.vsaex.visualstudio.com: "Regenerate" the Client Secret of app ${app.applicationId} (the old one stops working).`,
    );
    say("  $ pulumi config set --secret azureClientSecret <the new Client Secret>");
    await stack.setConfig("azureClientSecret", rotated.secret, true);
    const updated = await stack.up();
    printChanges(updated.changes, false);
    expect(updated.ok && updated.changes.length === 2, "the update did not change both providers", updated);
    say(
      "  The new secret was verified against Azure DevOps before the console got it; the Bitbucket title is back.",
    );
    printOutputs(updated);
    await printConsole(bb);

    section("7", "pulumi destroy");
    const destroyed = await stack.destroy();
    printChanges(destroyed.changes, false);
    expect(destroyed.ok, "pulumi destroy failed", destroyed);
    deployed = false;
    await printConsole(bb);
    expect((await listFromApi(bb)).length === 0, "destroy left Git providers in the console");

    await tokenEra(cli, secrets);
    await ciEra(cli);

    const where = leaks(secrets, { "the demo's output": printed.join("\n") });
    expect(where.length === 0, "a secret appeared in the demo's output");
    say(
      `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s: no secret was printed; the state keeps them encrypted.`,
    );
  } finally {
    if (deployed && !keep) await stack?.destroy().catch(() => undefined); // after a failure: leave nothing behind
    if (!keep) await bb.close();
  }
}

/**
 * Bytebase 2.15 - 3.4: a 2.14 console's OAuth Git providers, the console upgraded to 2.15 on its state file (migrated
 * as Bytebase 2.15.0 does), and examples/upgrade-2.15's VcsProviders taking them over with access tokens.
 */
async function tokenEra(cli: string | undefined, secrets: string[]): Promise<void> {
  section(
    "8",
    "Bytebase 2.15: the console upgraded; VcsProvider takes its Git providers over with access tokens",
  );
  const consoleFile = join(newStackDir("console-upgrade"), "bytebase.json");
  const old = await startLocalConsole({ version: "2.14", stateFile: consoleFile });
  try {
    say("  A Bytebase 2.14 console with two OAuth Git providers added in Settings > GitOps:");
    await makeInConsole(old, "GITLAB");
    await makeInConsole(old, "AZURE_DEVOPS");
    await printConsole(old);
  } finally {
    await old.close();
  }
  say("\n  $ npm run console -- --version 2.15 --state bytebase.json     # 2.15 migrates at its first start");
  // Another port: this process's fetch may still hold a connection to the stopped console's. The migrated providers
  // are at gitlab.com and dev.azure.com, which the console reaches at its own fakes wherever they listen.
  const bb = await startLocalConsole({ version: "2.15", stateFile: consoleFile });
  let stack: DemoStack | undefined;
  let deployed = false;
  try {
    secrets.push(...Object.values(bb.demoTokens!).map((t) => t.token));
    await printVcsConsole(bb);
    say(
      "  The migration kept both under new ids (the oldest of a type: LOWER(type); `azure_devops` breaks the create",
    );
    say(
      "  rule), without their OAuth apps and without a token: nothing reaches the Git providers until one is set.",
    );
    say(
      "\n  examples/upgrade-2.15/index-2.15.ts: a VcsProvider per provider, adoptExisting: true, a token each",
    );
    say("  $ pulumi config set --secret gitlabToken glpat-...            # the console's demo tokens");
    say("  $ pulumi config set --secret azureDevOpsToken ...");
    stack = cli ? await cliStack(UPGRADED, bb) : testEngineStack(UPGRADED, bb);
    const before = bb.requests.length;
    say("  $ pulumi up");
    const adopted = await stack.up();
    printChanges(adopted.changes, false, "no changes", "VcsProvider");
    expect(adopted.ok && adopted.changes.length === 2, "pulumi up did not take both providers over", adopted);
    deployed = true;
    const writes = bb.requests
      .slice(before)
      .filter((r) => r.method !== "GET" && !r.path.endsWith("/auth/login"));
    say("  Each token verified at its Git provider first; then, in the console (no create, no duplicate):");
    for (const w of writes) say(`    ${w.method} ${w.path}?${decodeURIComponent(w.query)}`);
    expect(
      writes.length === 2 && writes.every((w) => w.method === "PATCH"),
      "the providers were not adopted in place",
    );
    printTokenChecks(adopted.outputs);
    await printVcsConsole(bb);

    say("\n  $ pulumi destroy");
    const destroyed = await stack.destroy();
    printChanges(destroyed.changes, false, "no changes", "VcsProvider");
    expect(destroyed.ok, "pulumi destroy failed", destroyed);
    deployed = false;
    await printVcsConsole(bb);
    expect(bb.vcs.providers().length === 0, "destroy left Git providers in the console");
  } finally {
    if (deployed) await stack?.destroy().catch(() => undefined);
    await bb.close();
  }
}

/**
 * Bytebase 3.15+: GitOps runs in the CI. examples/ci-gitops on a 3.21 console: the check and deploy identities, their
 * project roles, and the workflow files whose jobs' `sub` claims were matched against them with Bytebase's rule.
 */
async function ciEra(cli: string | undefined): Promise<void> {
  section("9", "Bytebase 3.21: GitOps in the CI; identities, their project roles and the workflow files");
  const bb = await startLocalConsole({ version: "3.21" });
  bb.vcs.addProject("shop");
  let stack: DemoStack | undefined;
  let deployed = false;
  try {
    stack = cli ? await cliStack(CI_GITOPS, bb) : testEngineStack(CI_GITOPS, bb);
    say("  examples/ci-gitops: a check identity (pull requests), a deploy identity per environment");
    say("  $ pulumi up");
    const up = await stack.up();
    printChanges(up.changes, false, "no changes", "resource");
    expect(up.ok && up.changes.length === 6, "pulumi up did not make the 3 identities and 3 bindings", up);
    deployed = true;
    const identities = (up.outputs.identities ?? {}) as Record<string, string>;
    for (const [key, value] of Object.entries(identities)) say(`    ${key.padEnd(12)} ${value}`);
    const files = (up.outputs.files ?? {}) as Record<string, string>;
    say(`  Workflow files (each job's sub matched with Bytebase's rule): ${Object.keys(files).join(", ")}`);
    say("\n  $ pulumi destroy");
    const destroyed = await stack.destroy();
    expect(destroyed.ok, "pulumi destroy failed", destroyed);
    deployed = false;
  } finally {
    if (deployed) await stack?.destroy().catch(() => undefined);
    await bb.close();
  }
}

/** examples/upgrade-2.15's `verification` output: per provider, what its token was found to be. */
function printTokenChecks(outputs: Record<string, unknown>): void {
  const verification = (outputs.verification ?? {}) as Record<
    string,
    { checks?: { check: string; outcome: string; detail: string }[] } | undefined
  >;
  for (const [key, v] of Object.entries(verification)) {
    say(`    verification.${key}:`);
    for (const c of v?.checks ?? []) say(`        ${c.check.padEnd(14)} ${c.outcome.padEnd(12)} ${c.detail}`);
  }
}

/** --keep: the console keeps running with both Git providers until Ctrl+C. */
async function keepRunning(bb: StartedLocalConsole): Promise<void> {
  section("--keep", "The console keeps running, with both Git providers");
  say(banner(bb, undefined).split("\n").slice(0, 5).join("\n"));
  say(`
  List the Git providers with curl:
    TOKEN=$(curl -s -X POST ${bb.url}/v1/auth/login -H 'content-type: application/json' \\
      -d '{"email":"${bb.admin.email}","password":"${bb.admin.key}"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')
    curl -s -H "Authorization: Bearer $TOKEN" ${bb.url}/v1/externalVersionControls

  Press Ctrl+C to stop (the console is in memory: the providers go with it).`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await bb.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
