// `pulumi state delete` of the stand-in, run from a shell as a user runs it, checked against
// pkg/cmd/pulumi/state/state_delete.go and io.go: what it removes, what it refuses (an unknown or malformed URN,
// a protected resource, a provider others use), and that the other resources and secrets stay as they were.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSPHRASE, sh, userEnv, workDir } from "../harness/cli-lines";
import { loadState, saveState } from "./state-file";
import type { ResourceState } from "./types";

const PROVIDER = "urn:pulumi:dev::state-test::pulumi:providers:pulumi-nodejs::default";
const TYPE = "pulumi-nodejs:dynamic/bytebase:GitOpsProvider";
const urn = (name: string) => `urn:pulumi:dev::state-test::${TYPE}::${name}`;

function resource(name: string, extra: Partial<ResourceState> = {}): ResourceState {
  return {
    urn: urn(name),
    type: TYPE,
    name,
    id: `${name}-id`,
    inputs: { title: name, secret: `${name} secret value` },
    outputs: { title: name, secret: `${name} secret value` },
    secretInputs: ["secret"],
    secretOutputs: ["secret"],
    provider: `${PROVIDER}::p-1`,
    ...extra,
  };
}

describe("pulumi state delete (stand-in)", { timeout: 60_000 }, () => {
  let work: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let stateFile: string;
  const run = (line: string, extra: NodeJS.ProcessEnv = {}) => sh(line, dir, { ...env, ...extra });
  const urns = () => loadState(stateFile, PASSPHRASE).resources.map((r) => r.urn);

  beforeAll(async () => {
    work = workDir("state");
    dir = join(work, "project");
    mkdirSync(dir);
    mkdirSync(join(work, "home"));
    writeFileSync(join(dir, "Pulumi.yaml"), "name: state-test\nruntime: nodejs\n");
    env = userEnv(join(work, "home"));
    expect((await run('pulumi login "file://$HOME" && pulumi stack init dev')).code).toBe(0);
    stateFile = join(work, "home/.pulumi/stacks/state-test/dev.json");
    const stack: ResourceState = {
      ...resource("stack"),
      urn: "urn:pulumi:dev::state-test::pulumi:pulumi:Stack::state-test-dev",
      type: "pulumi:pulumi:Stack",
      id: "",
      provider: undefined,
      inputs: {},
      outputs: {},
      secretInputs: [],
      secretOutputs: [],
    };
    const provider: ResourceState = {
      ...resource("default"),
      urn: PROVIDER,
      type: "pulumi:providers:pulumi-nodejs",
      id: "p-1",
      provider: undefined,
    };
    saveState(stateFile, PASSPHRASE, {
      resources: [
        stack,
        provider,
        resource("gitlab"),
        resource("github"),
        resource("kept", { protect: true }),
      ],
      outputs: { name: "x" },
    });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("removes the named resource from the state only, keeping the others, their secrets and the outputs", async () => {
    const r = await run(`pulumi state delete '${urn("gitlab")}'`);
    expect(r).toMatchObject({ code: 0, stdout: "Resource deleted\n", stderr: "" });
    expect(urns()).not.toContain(urn("gitlab"));
    const state = loadState(stateFile, PASSPHRASE);
    expect(state.resources.find((x) => x.name === "github")).toMatchObject({
      outputs: { secret: "github secret value" },
      secretOutputs: ["secret"],
    });
    expect(state.outputs).toEqual({ name: "x" });
  });

  it("refuses an unknown URN, suggesting close ones, and a malformed one, changing nothing", async () => {
    const before = urns();
    const typo = await run(`pulumi state rm '${urn("githib")}' --yes`);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe(
      `error: No such resource "${urn("githib")}" exists in the current state\nDid you mean:\n  ${urn("github")}\n  ${urn("kept")}\n` +
        "To list the resource URNs in the stack, run `pulumi stack --show-urns`; to inspect the full state, run `pulumi stack export`.\n",
    );
    const bad = await run("pulumi state delete github");
    expect(bad.stderr).toContain('error: "github" is not a valid resource URN\n');
    expect((await run("pulumi state delete")).stderr).toBe(
      "error: Must supply <resource URN> unless pulumi is run interactively\n",
    );
    expect(urns()).toEqual(before);
  });

  it("refuses a protected resource without --force and a provider in use without --target-dependents", async () => {
    const protectedOne = await run(`pulumi state delete '${urn("kept")}'`);
    expect(protectedOne.stderr).toBe(
      `error: ${urn("kept")} can't be safely deleted because it is protected. Re-run this command with --force to force deletion\n`,
    );
    const provider = await run(`pulumi state remove '${PROVIDER}'`);
    expect(provider.code).toBe(1);
    expect(provider.stderr).toContain(
      `error: ${PROVIDER} can't be safely deleted because the following resources depend on it:\n`,
    );
    expect(provider.stderr).toContain(` * "github"        (${urn("github")})\n`);
    expect(provider.stderr).toContain("Delete those resources first or pass --target-dependents.");
    const forced = await run(`pulumi state delete '${urn("kept")}' '${urn("github")}' --force`);
    expect(forced).toMatchObject({ code: 0, stdout: "2 resources deleted\n" });
    expect(forced.stderr).toContain(
      `warning: deleting protected resource ${urn("kept")} due to presence of --force`,
    );
    expect(urns()).toEqual(["urn:pulumi:dev::state-test::pulumi:pulumi:Stack::state-test-dev", PROVIDER]);
  });
});
