// The package's public surface as a program, a policy pack and every stack's state load it (the built dist/ through
// node_modules): the root's exact names (values and types), the `./catalog` subpath, and the `./runtime` entries
// that the `__provider` of every resource in every state requires, which may never disappear.
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/demo/examples";

const load = createRequire(join(repoRoot, "package.json"));

describe("the package root", () => {
  // Its exact names (values and types) are pinned with every entry's in package-surface.test.ts.
  it("gives every resource a static get(name, id, opts)", () => {
    const root = load("pulumi-bytebase-gitops") as Record<string, { get?: unknown }>;
    for (const name of ["GitOpsProvider", "VcsProvider", "VcsConnector"])
      expect(typeof root[name]!.get, name).toBe("function");
  });
});

describe("pulumi-bytebase-gitops/catalog", () => {
  it("has the Git provider catalog the root no longer exports, for policy authors", () => {
    const catalog = load("pulumi-bytebase-gitops/catalog") as typeof import("../../src/catalog");
    expect(catalog.specFor("GITLAB").label).toBe("GitLab");
    for (const name of [
      "CATALOG",
      "specFor",
      "isGitProviderType",
      "missingScopes",
      "callbackMatches",
      "tryUrl",
    ])
      expect(Object.keys(catalog), name).toContain(name);
  });
});

/**
 * The entries of `pulumi-bytebase-gitops/runtime` that a serialized provider calls (src/resource/serialized-provider.ts):
 * every resource of every stack keeps that text in its state, so each name stays, whatever is added.
 */
const FROZEN_RUNTIME_ENTRIES = ["attach", "attachVcsProvider", "attachVcsConnector"];

describe("pulumi-bytebase-gitops/runtime", () => {
  it("keeps every entry a state may require", () => {
    const runtime = load("pulumi-bytebase-gitops/runtime") as Record<string, unknown>;
    for (const name of FROZEN_RUNTIME_ENTRIES) expect(typeof runtime[name], name).toBe("function");
  });

  it("lists every entry the serialized providers call as frozen", () => {
    const { serializedProvider, serializedVcsProvider, serializedVcsConnector } = load(
      "./dist/resource/serialized-provider.js",
    ) as typeof import("../../src/resource/serialized-provider");
    const called = [serializedProvider, serializedVcsProvider, serializedVcsConnector].map(
      (p) => /\)\.(\w+)\(this, req\)/.exec(String(p.configure))?.[1],
    );
    expect(called).toEqual(FROZEN_RUNTIME_ENTRIES);
  });
});
