// A stack made with the previous version diffs clean with this one: examples/quickstart's state as 0.1.0 wrote it
// (previous-version/quickstart-0.1.0.json, see the README there), then this version's examples/quickstart through
// the test engine: preview and up change nothing and write nothing to the console, the stack outputs stay the same
// (`consoleCallbackUrl` falls back to the old state's `callbackUrl`), and a refresh stores `consoleCallbackUrl`.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { LocalStack, reveal } from "../engine";
import {
  EXAMPLES,
  makeInConsole,
  newStackDir,
  PASSPHRASE,
  programDir,
  stackSettings,
  TYPE_TOKEN,
} from "../../scripts/demo/examples";

const FIXTURE = join(__dirname, "previous-version", "quickstart-0.1.0.json");
/** The external URL the fixture's console had: the callback the OAuth apps registered. */
const EXTERNAL_URL = "https://bytebase.example.com";

describe("examples/quickstart: a stack made with 0.1.0", { timeout: 300_000 }, () => {
  const example = EXAMPLES.find((e) => e.dir === "quickstart")!;
  let bb: StartedLocalConsole;
  let stack: LocalStack;
  const writes = () => bb.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/auth/login"));
  const oldState = () => JSON.parse(readFileSync(FIXTURE, "utf8").replaceAll("{{CONSOLE_URL}}", bb.url));

  beforeAll(async () => {
    bb = await startLocalConsole({ version: "2.14", externalUrl: EXTERNAL_URL });
    // The console's side of the fixture: its two providers, made in the order 0.1.0's up made them (101, 102).
    expect([await makeInConsole(bb, "AZURE_DEVOPS"), await makeInConsole(bb, "BITBUCKET")]).toEqual([
      "101",
      "102",
    ]);
    bb.requests.length = 0;
    const { config, secretKeys, env } = stackSettings(example, bb);
    const stateFile = join(newStackDir("previous-version"), "state.json");
    writeFileSync(stateFile, JSON.stringify(oldState()));
    stack = new LocalStack({
      programDir: programDir(example),
      project: example.project,
      stack: "dev",
      config,
      secretKeys,
      env,
      stateFile,
      passphrase: PASSPHRASE,
    });
  });
  afterAll(() => bb?.close());

  const oldOutputs = () =>
    (oldState().checkpoint.latest.resources as { type: string; outputs: object }[]).find(
      (r) => r.type === "pulumi:pulumi:Stack",
    )!.outputs;

  it("preview and up change nothing, write nothing, and keep the stack outputs", async () => {
    const preview = await stack.preview();
    expect(preview.diagnostics).toEqual([]);
    expect(preview.steps.map((s) => s.op)).toEqual(["same", "same"]);
    const up = await stack.up();
    expect(up.diagnostics).toEqual([]);
    expect(up.steps.map((s) => s.op)).toEqual(["same", "same"]);
    expect(writes()).toEqual([]);
    expect(reveal(up.outputs)).toEqual(oldOutputs());
    expect(reveal(up.outputs)).toMatchObject({ consoleCallbackUrl: `${EXTERNAL_URL}/oauth/callback` });
  });

  it("a refresh stores consoleCallbackUrl; callbackUrl keeps its 0.x meaning; the next up changes nothing", async () => {
    await stack.refresh();
    for (const r of stack.state().resources.filter((r) => r.type === TYPE_TOKEN))
      expect(r.outputs).toMatchObject({
        consoleCallbackUrl: `${EXTERNAL_URL}/oauth/callback`,
        callbackUrl: `${EXTERNAL_URL}/oauth/callback`,
      });
    const up = await stack.up();
    expect(up.steps.map((s) => s.op)).toEqual(["same", "same"]);
    expect(writes()).toEqual([]);
  });
});
