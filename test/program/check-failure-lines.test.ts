// What the CLI prints for check failures about secrets, for every resource type: `pulumi preview` of a program
// declaring one resource with secrets in the wrong shape or place, through the CLI stand-in (test/engine/bin/pulumi)
// always and through the real Pulumi CLI when `pulumi` is on PATH. The CLI prints a named property's value: a
// secret-wrapped one as `{[secret]}` since pulumi/pulumi#22310 (pkg/resource/deploy/step_generator.go@v3.276.0
// issueCheckFailures; v3.259.0 printed it in plaintext), any other in plaintext, and a value read from a file or the
// environment, an unknown key or a token pasted into the wrong input is not wrapped. So each secret must be absent
// from its output, each failure about one must name the input in its reason, and a control failure on a plain input
// shows that the CLI would have printed a value. The secrets come from the environment (not from secure stack
// config, which the CLI's own filter would mask and so hide a leak).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realPulumiCli, sh, standinExecutable, userEnv, workDir, type CliResult } from "../harness/cli-lines";
import { SECRET_RESOURCES, type SecretResource } from "../harness/secret-inputs";

const realPulumi = realPulumiCli();
const CLIS = [
  { name: "the Pulumi CLI stand-in (test/engine/bin/pulumi)", bin: standinExecutable as string | undefined },
  { name: realPulumi ? "real Pulumi CLI" : "real Pulumi CLI (skipped: pulumi not on PATH)", bin: realPulumi },
];

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { GitOpsProvider, VcsConnector, VcsProvider } from "pulumi-bytebase-gitops";

const spec = JSON.parse(process.env.CHECK_LINES_CASE ?? "{}") as {
  resource: "GitOpsProvider" | "VcsProvider" | "VcsConnector";
  args: Record<string, unknown>;
  secret: string[];
};
const args = Object.fromEntries(
  Object.entries(spec.args).map(([k, v]) => [k, spec.secret.includes(k) ? pulumi.secret(v) : v]),
);
const classes = { GitOpsProvider, VcsProvider, VcsConnector };
new classes[spec.resource]("r", args as never);
`;

/** A secret of this run: unique, so that finding it in the output can only mean a leak. */
const secretNo = (n: number) => `Lk${n}q9XwTe${"abcdefghij".slice(n % 5)}${n}Zr0`;
const CONTROL = "control-marker-7Qp";

interface Case {
  what: string;
  resource: SecretResource;
  args: Record<string, unknown>;
  /** Inputs the program wraps in pulumi.secret (the class wraps its secret inputs and the connection itself). */
  secret: string[];
  /** The inputs whose failure must name no property and say `the input '<name>'`. */
  about: string[];
  /** The control: a named, non-secret input whose printed value must be in the output. */
  control: { property: string; value: string };
}

const row = (type: SecretResource["type"]) => SECRET_RESOURCES.find((r) => r.type === type)!;
const s = secretNo;
const CASES: Case[] = [
  {
    what: "GitOpsProvider: a secret with a newline, a misspelt key, a bad connection, a credential in the wrong input",
    resource: row("GitOpsProvider"),
    args: {
      secret: `${s(1)}\n`,
      secrets: s(2),
      connection: { serviceKey: ` bbs_${s(3)}`, password: s(4) },
      applicationId: `ghp_${s(5)}`,
      instanceUrl: `https://ci:${s(6)}@bitbucket.org`,
      title: ` ${CONTROL}`,
    },
    secret: [],
    about: [
      "secret",
      "secrets",
      "connection.serviceKey",
      "connection.password",
      "applicationId",
      "instanceUrl",
    ],
    control: { property: "title", value: ` ${CONTROL}` },
  },
  {
    what: "VcsProvider: a token with a trailing newline, a misspelt key, a bad connection, a token as the id",
    resource: row("VcsProvider"),
    args: {
      accessToken: `ci-bot:${s(7)}\n`,
      token: s(8),
      connection: { serviceKey: `${s(9)} ` },
      resourceId: `glpat-${s(10)}`,
      instanceUrl: `https://ci:${s(11)}@bitbucket.org`,
      title: ` ${CONTROL}`,
    },
    secret: [],
    about: ["accessToken", "token", "connection.serviceKey", "resourceId", "instanceUrl"],
    control: { property: "title", value: ` ${CONTROL}` },
  },
  {
    what: "VcsProvider: a Bitbucket token without its username (the wrong form)",
    resource: row("VcsProvider"),
    args: { accessToken: `ATBB${s(12)}`, title: ` ${CONTROL}` },
    secret: [],
    about: ["accessToken"],
    control: { property: "title", value: ` ${CONTROL}` },
  },
  {
    what: "VcsConnector: a misspelt key, an unknown connection key",
    resource: row("VcsConnector"),
    args: { token: s(13), connection: { password: s(14) }, title: ` ${CONTROL}` },
    secret: [],
    about: ["token", "connection.password"],
    control: { property: "title", value: ` ${CONTROL}` },
  },
  {
    // (No token as the connector's id: Bytebase takes any one-segment id, so `check` refuses none; issue 20 point 5.)
    what: "VcsConnector: a clone URL with a token as the repository",
    resource: row("VcsConnector"),
    args: {
      repository: `https://oauth2:${s(15)}@gitlab.com/platform/db.git`,
      branch: `${CONTROL} branch`,
    },
    secret: [],
    about: ["repository"],
    control: { property: "branch", value: `${CONTROL} branch` },
  },
];

/** Every string in the case's arguments that is a secret (all but the control's value). */
const secretsOf = (c: Case) =>
  JSON.stringify(c.args)
    .match(/Lk\d+q9XwTe[a-j]*\d+Zr0/g)!
    .filter((v, i, all) => all.indexOf(v) === i);

for (const { name, bin } of CLIS)
  (bin ? describe : describe.skip)(`${name}: check failures about secrets`, { timeout: 300_000 }, () => {
    let work: string;
    let dir: string;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      work = workDir("check-lines");
      dir = join(work, "program");
      mkdirSync(dir);
      mkdirSync(join(work, "home"));
      mkdirSync(join(work, "backend"));
      writeFileSync(join(dir, "Pulumi.yaml"), "name: check-lines\nruntime: nodejs\n");
      writeFileSync(
        join(dir, "package.json"),
        '{ "name": "check-lines", "private": true, "main": "index.ts" }\n',
      );
      writeFileSync(join(dir, "index.ts"), PROGRAM);
      env = userEnv(join(work, "home"), { PULUMI_BACKEND_URL: `file://${join(work, "backend")}` }, bin!);
      const init = await sh("pulumi stack init dev", dir, env);
      expect(init.code, init.stderr).toBe(0);
    });
    afterAll(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it.each(CASES.map((c) => [c.what, c] as const))("%s", async (_what, c) => {
      const args = { ...c.resource.valid, ...c.args };
      const spec = JSON.stringify({ resource: c.resource.type, args, secret: c.secret });
      const r: CliResult = await sh("pulumi preview --non-interactive", dir, {
        ...env,
        CHECK_LINES_CASE: spec,
      });
      const out = r.stdout + r.stderr;
      expect(r.code, out).not.toBe(0);
      const type = `pulumi-nodejs:dynamic/bytebase:${c.resource.type}`;
      // The control: the CLI prints a named property's plain value as it is.
      expect(out).toContain(`${type} resource 'r': property ${c.control.property} value {`);
      expect(out).toContain(c.control.value);
      for (const input of c.about)
        expect(out, input).toContain(`${type} resource 'r' has a problem: the input '${input}' `);
      for (const secret of secretsOf(c)) expect(out, secret).not.toContain(secret);
    });
  });
