// The rule every resource's `check` follows, through the real provider host: a failure about a secret input, the
// connection, an unknown key or a value that looks like a credential names no property, so the CLI's line
// (`property <p> value <inputs[p]> has a problem`, the value in plaintext even for a secret) holds no secret; its
// reason says which input it is about. Each case renders the CLI's line (test/engine/render.ts); the CLI itself
// prints it in test/program/check-failure-lines.test.ts.
import { createRequire } from "node:module";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeProvider, startProviderHost, type ProviderHost } from "../harness/provider-host";
import {
  anySecret,
  cliLines,
  credential,
  MARK,
  pastes,
  placements,
  SECRET_RESOURCES,
  unknownKey,
  type Placement,
  type SecretResource,
} from "../harness/secret-inputs";
import { repoRoot } from "./fixture";

const serialized = createRequire(`${repoRoot}/package.json`)(
  "./dist/resource/serialized-provider.js",
) as typeof import("../../src/resource/serialized-provider");
const SERIALIZED = {
  GitOpsProvider: serialized.serializedProvider,
  VcsProvider: serialized.serializedVcsProvider,
  VcsConnector: serialized.serializedVcsConnector,
};

let host: ProviderHost;
const texts: Record<string, string> = {};
beforeAll(async () => {
  host = await startProviderHost({ cwd: repoRoot });
  await host.configure({
    "bytebase:url": "https://bytebase.example.com",
    "bytebase:serviceAccount": "ci@service.bytebase.com",
  });
  for (const [type, provider] of Object.entries(SERIALIZED)) texts[type] = await serializeProvider(provider);
});
afterAll(() => host?.close());

/** Whether a secret-safe reason is about the input (or an element of it: `the input 'permissions[1]' ...`). */
const isAbout = (reason: string, input: string) =>
  reason.startsWith(`the input '${input}' `) || reason.startsWith(`the input '${input}[`);

/** Checks one placement: refused when it must be, every CLI line free of MARK, the reason naming the input. */
async function expectSafe(resource: SecretResource, { what, news, about, fails }: Placement) {
  const { failures } = await host.check(texts[resource.type]!, {}, news);
  const lines = cliLines(resource.type, news, failures);
  for (const line of lines) expect(line, `${resource.type} ${what}`).not.toContain(MARK);
  if (!fails) return;
  expect(
    failures.filter((f) => f.property === "" && isAbout(f.reason, about)),
    `${resource.type} ${what}: ${JSON.stringify(failures)}`,
  ).not.toEqual([]);
}

describe.each(SECRET_RESOURCES.map((r) => [r.type, r] as const))("%s", (_type, resource) => {
  it("accepts the valid declaration the cases start from", async () => {
    expect((await host.check(texts[resource.type]!, {}, resource.valid)).failures).toEqual([]);
  });

  it("names no property for a secret in any malformed shape, under any key, or in the connection", async () => {
    for (const placement of placements(resource, `glpat-${MARK}0123456789`))
      await expectSafe(resource, placement);
  });

  it("names no property for a credential pasted into a non-secret input, and quotes none", async () => {
    for (const credentialShape of [`ghp_${MARK}0123456789abcdef`, `${MARK}0123456789abcdef`, `bbs_${MARK}x1`])
      for (const placement of pastes(resource, credentialShape)) await expectSafe(resource, placement);
  });

  it("a named property's CLI line shows its value: the check above can fail", async () => {
    // The control: a failure on a non-secret input names it, and the CLI's line carries its value in plaintext.
    const news = { ...resource.valid, title: ` marker ${MARK} title` };
    const { failures } = await host.check(texts[resource.type]!, {}, news);
    expect(failures).toEqual([{ property: "title", reason: expect.stringContaining("whitespace") }]);
    expect(cliLines(resource.type, news, failures)[0]).toContain(
      `property title value { marker ${MARK} title}`,
    );
  });

  it("fuzz: random secrets in every malformed shape, under random keys, and random credentials pasted in", async () => {
    const cases = fc.oneof(
      fc
        .tuple(anySecret, unknownKey)
        .chain(([secret, key]) => fc.constantFrom(...placements(resource, secret, key))),
      credential.chain((c) => fc.constantFrom(...pastes(resource, c))),
    );
    await fc.assert(
      fc.asyncProperty(cases, (placement) => expectSafe(resource, placement)),
      { numRuns: 150 },
    );
    expect(host.stderr()).not.toContain(MARK);
  });
});

describe("a console URL with user info from stack config", () => {
  it("fails before any request, saying where the URL comes from, without quoting it", async () => {
    const configured = await startProviderHost({ cwd: repoRoot });
    try {
      await configured.configure({
        "bytebase:url": `https://admin:${MARK}pw@127.0.0.1:9`,
        "bytebase:serviceAccount": "ci@service.bytebase.com",
        "bytebase:serviceKey": `bbs_${MARK}`,
      });
      const vcs = SECRET_RESOURCES.find((r) => r.type === "VcsProvider")!;
      const { inputs } = await configured.check(texts.VcsProvider!, {}, vcs.valid);
      const error = await configured.create(texts.VcsProvider!, inputs).then(
        () => new Error("created"),
        (e: Error) => e,
      );
      expect(error.message).toMatch(
        /console URL \(connection.url, config bytebase:url or env BYTEBASE_URL\) contains user info/,
      );
      expect(error.message).not.toContain(MARK);
      expect(configured.stderr()).not.toContain(MARK);
    } finally {
      await configured.close();
    }
  });
});
