// Property-based reliability: `check` on arbitrary inputs (in process and through the provider host), and the URL
// and callback rules on arbitrary strings. The console client against malformed answers: client-answers.test.ts.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callbackMatches,
  callbackUrlProblems,
  consoleCallbackUrl,
  instanceUrlProblems,
  normalizeInstanceUrl,
  tryUrl,
} from "../../src/catalog";
import { checkInputs } from "../../src/runtime/gitops-provider/inputs";
import { startProviderHost, type ProviderHost } from "../harness/provider-host";
import { providerText, repoRoot } from "../provider/fixture";
import { checkProps, MARK, namesARealProperty, SCHEMA_PROPERTIES, validish } from "./arbitraries";

type Props = Record<string, unknown>;
type Failure = { property: string; reason: string };

/** The input a failure is about: its property, or the one its reason names (secret-safe and nested failures). */
const inputOf = (f: Failure, props: Props = {}): string => {
  const nested = /^at (\w+(?:\[\d+\]|\.\w+)+): /.exec(f.reason)?.[1];
  if (nested) return nested;
  if (f.property !== "" || !f.reason.startsWith("the input '")) return f.property;
  // The name may hold "' " itself: the first candidate that names a real input, else the first.
  const rest = f.reason.slice("the input '".length);
  const candidates = [...rest.matchAll(/' /g)].map((m) => rest.slice(0, m.index));
  return candidates.find((c) => namesARealProperty(c, props)) ?? candidates[0] ?? "";
};

function expectGoodFailures(props: Props, failures: Failure[]) {
  for (const f of failures) {
    // The CLI prints `inputs[property]` in plaintext: only "" or a top-level property that is never secret.
    expect(f.property === "" || SAFE_PROPERTIES.includes(f.property), `${f.property} may be secret`).toBe(
      true,
    );
    expect(
      namesARealProperty(inputOf(f, props), props),
      `${inputOf(f, props)} is not in the input or the schema`,
    ).toBe(true);
    expect(f.reason).not.toContain(MARK);
    // What the CLI prints beside it: the property's value (a nested path would print `{<nil>}`).
    if (f.property) expect(JSON.stringify(props[f.property]) ?? "").not.toContain(MARK);
  }
}
const SAFE_PROPERTIES = SCHEMA_PROPERTIES.filter((p) => p !== "secret" && p !== "connection");

describe("check on arbitrary inputs", () => {
  it("accepts the valid inputs the others are mutated from", () => {
    fc.assert(
      fc.property(validish, (props) => {
        expect(checkInputs(props).failures).toEqual([]);
      }),
    );
  });

  it("never throws, names real properties, never quotes a secret (in process)", () => {
    fc.assert(
      fc.property(checkProps, (props) => {
        const { failures } = checkInputs(props);
        expectGoodFailures(props, failures);
      }),
      { numRuns: 500 },
    );
  });

  it("reports an unknown key without hiding the failures of the known properties", () => {
    const unknownKey = fc
      .oneof(
        fc.string(),
        fc.constantFrom("secret.x", "scopes[0]", "applicationId.", "type[1]", "connection.url"),
      )
      .filter((k) => !SCHEMA_PROPERTIES.includes(k) && !["__provider", "__proto__"].includes(k));
    fc.assert(
      fc.property(checkProps, unknownKey, fc.jsonValue(), (props, key, value) => {
        fc.pre(!Object.hasOwn(props, key));
        const withKey = { ...props, [key]: value };
        const before = checkInputs(props).failures.map((f) => inputOf(f, props));
        const after = checkInputs(withKey).failures.map((f) => inputOf(f, withKey));
        expect(after).toEqual(expect.arrayContaining([...before, key]));
      }),
      { numRuns: 500 },
    );
  });

  describe("through the provider host", () => {
    // The provider as a program loads it (built dist/), in @pulumi/pulumi's real dynamic-provider host.
    let host: ProviderHost;
    let provider: string;
    beforeAll(async () => {
      host = await startProviderHost({ cwd: repoRoot });
      await host.configure({
        "bytebase:url": "http://127.0.0.1:9",
        "bytebase:serviceAccount": "ci@service.bytebase.com",
        "bytebase:serviceKey": `bbs_${MARK}`,
      });
      provider = await providerText();
    });
    afterAll(() => host?.close());

    it("answers every check with failures that name real properties and quote no secret", async () => {
      // No "__proto__" key: the harness's toStruct would turn it into the object's prototype, whose keys
      // Struct.fromJavaScript then sends as properties of their own.
      const jsonProps = checkProps
        .map((p) => JSON.stringify(p))
        .filter((text) => !text.includes('"__proto__"'))
        .map((text) => JSON.parse(text) as Props);
      await fc.assert(
        fc.asyncProperty(jsonProps, async (props) => {
          const { failures } = await host.check(provider, {}, props);
          expectGoodFailures(props, failures);
        }),
        { numRuns: 30 },
      );
      expect(host.stderr()).not.toContain(MARK);
    });
  });
});

describe("URL and callback rules on arbitrary strings", () => {
  const strings = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.webUrl({ withQueryParameters: true, withFragments: true, validSchemes: ["http", "https", "ftp"] }),
    fc.constantFrom(
      "http://[::1]:80/",
      "HTTPS://GitLab.Example.COM:443//",
      "https://h/a/../b/%2e/",
      " https://h ",
    ),
  );
  const plainUrl = fc.webUrl({ validSchemes: ["http", "https"] });
  /** A path segment, not a dot segment (`..` climbs out of the registered path). */
  const segment = fc.webSegment().filter((s) => !/^(\.|%2e){1,2}$/i.test(s));

  it("never throw", () => {
    fc.assert(
      fc.property(strings, strings, (a, b) => {
        tryUrl(a);
        normalizeInstanceUrl(a);
        instanceUrlProblems(a);
        callbackUrlProblems(a);
        consoleCallbackUrl(a);
        for (const rule of ["exact", "prefix", "same-host-subpath"] as const) callbackMatches(rule, a, b);
      }),
      { numRuns: 1000 },
    );
  });

  it("normalizes an instance URL idempotently, to a URL with no problem but its path or scheme", () => {
    fc.assert(
      fc.property(strings, (s) => {
        const once = normalizeInstanceUrl(s);
        if (instanceUrlProblems(s).includes("is not an absolute URL")) expect(once).toBeUndefined();
        if (once === undefined) return;
        expect(normalizeInstanceUrl(once)).toBe(once);
        expect(once).not.toMatch(/\/$/);
        for (const p of instanceUrlProblems(once)) expect(p).toMatch(/^(uses http;|has the path)/);
      }),
      { numRuns: 1000 },
    );
  });

  it("reports a query, a fragment or a wildcard in any string", () => {
    fc.assert(
      fc.property(strings, fc.constantFrom("?", "#", "*"), strings, (a, mark, b) => {
        expect(callbackUrlProblems(`${a}${mark}${b}`)).not.toEqual([]);
        if (mark !== "*") expect(instanceUrlProblems(`${a}${mark}${b}`)).not.toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("never quotes a URL's password", () => {
    fc.assert(
      fc.property(strings, (s) => {
        const url = tryUrl(s);
        if (!url || !["http:", "https:"].includes(url.protocol)) return;
        url.password = MARK;
        for (const p of [...instanceUrlProblems(url.href), ...callbackUrlProblems(url.href)])
          expect(p).not.toContain(MARK);
      }),
      { numRuns: 500 },
    );
  });

  it("builds the console's callback: no problem for an https origin, same for a trailing '/'", () => {
    fc.assert(
      fc.property(plainUrl, (s) => {
        const origin = new URL(s).origin.replace(/^http:/, "https:");
        expect(callbackUrlProblems(consoleCallbackUrl(origin))).toEqual([]);
        expect(consoleCallbackUrl(`${s}/`)).toBe(consoleCallbackUrl(s));
        expect(consoleCallbackUrl(s).endsWith("/oauth/callback")).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("matches a URL with itself under every rule, and a sub-path under the sub-path rules", () => {
    fc.assert(
      fc.property(strings, plainUrl, segment, (s, base, segment) => {
        expect(callbackMatches("exact", s, s)).toBe(true);
        expect(callbackMatches("prefix", s, s)).toBe(true);
        expect(callbackMatches("same-host-subpath", s, s)).toBe(tryUrl(s) !== undefined);
        const sub = base.endsWith("/") ? `${base}${segment}` : `${base}/${segment}`;
        expect(callbackMatches("prefix", base, sub)).toBe(true);
        expect(callbackMatches("same-host-subpath", base, sub)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
