// Bytebase's subject rule (backend/plugin/idp/wif/wif.go@3.21.1) and the exact patterns built from a repository.
import { describe, expect, it } from "vitest";
import { matchAudience, matchSubjectPattern, subjectPattern } from "../../src/ci";

describe("matchSubjectPattern, as wif.go@3.21.1 matchSubjectPattern", () => {
  // The cases of backend/plugin/idp/wif/wif_test.go@3.21.1 TestMatchSubjectPattern.
  it.each([
    ["repo:owner/repo:ref:refs/heads/main", "", true],
    ["repo:owner/repo:ref:refs/heads/main", "repo:owner/repo:ref:refs/heads/main", true],
    ["repo:owner/repo:ref:refs/heads/main", "repo:owner/repo:ref:refs/heads/develop", false],
    ["repo:owner/repo:ref:refs/heads/main", "repo:owner/repo:*", true],
    ["repo:owner/repo:ref:refs/heads/main", "repo:owner/*", true],
    ["repo:owner/repo:ref:refs/heads/main", "repo:other-owner/*", false],
    ["project_path:mygroup/myproject:ref_type:branch:ref:main", "project_path:mygroup/myproject:*", true],
    ["project_path:mygroup/myproject:ref_type:branch:ref:main", "project_path:mygroup/*", true],
  ])("%s against %j: %s", (subject, pattern, expected) => {
    expect(matchSubjectPattern(subject, pattern)).toBe(expected);
  });

  it("matches every subject with an empty pattern or a lone *", () => {
    for (const pattern of ["", "*"])
      expect(matchSubjectPattern("repo:anyone/anything:pull_request", pattern)).toBe(true);
  });

  it("takes a trailing * as a plain prefix, so repo:o/r* admits repo:o/r-evil", () => {
    expect(matchSubjectPattern("repo:o/r-evil:ref:refs/heads/main", "repo:o/r*")).toBe(true);
    expect(matchSubjectPattern("repo:o/r-evil:ref:refs/heads/main", "repo:o/r:*")).toBe(false);
  });

  it("takes a * elsewhere as a literal character: no real subject matches it", () => {
    expect(matchSubjectPattern("repo:o/r:ref:refs/heads/main", "repo:o/*:ref:refs/heads/main")).toBe(false);
    expect(matchSubjectPattern("repo:o/*:ref:refs/heads/main", "repo:o/*:ref:refs/heads/main")).toBe(true);
  });

  it("skips the audience check when no audience is allowed", () => {
    expect(matchAudience(["https://github.com/acme"], [])).toBe(true);
    expect(matchAudience(["https://github.com/acme"], ["bytebase"])).toBe(false);
    expect(matchAudience(["bytebase"], ["other", "bytebase"])).toBe(true);
  });
});

describe("subjectPattern", () => {
  it("builds the console's form for a branch (CreateWorkloadIdentitySheet.tsx@3.21.1)", () => {
    expect(subjectPattern("GITHUB", { repository: "acme/shop", branch: "main" })).toBe(
      "repo:acme/shop:ref:refs/heads/main",
    );
    expect(subjectPattern("GITLAB", { repository: "acme/db/shop", branch: "main" })).toBe(
      "project_path:acme/db/shop:ref_type:branch:ref:main",
    );
    expect(subjectPattern("GITLAB", { repository: "acme/shop", tag: "v1.2" })).toBe(
      "project_path:acme/shop:ref_type:tag:ref:v1.2",
    );
  });

  it("builds GitHub's sub for a tag, an environment and pull requests", () => {
    expect(subjectPattern("GITHUB", { repository: "acme/shop", tag: "v1" })).toBe(
      "repo:acme/shop:ref:refs/tags/v1",
    );
    expect(subjectPattern("GITHUB", { repository: "acme/shop", environment: "prod" })).toBe(
      "repo:acme/shop:environment:prod",
    );
    expect(subjectPattern("GITHUB", { repository: "acme/shop", pullRequest: true })).toBe(
      "repo:acme/shop:pull_request",
    );
  });

  it("gives GitLab merge requests the every-branch pattern (their sub names the source branch)", () => {
    expect(subjectPattern("GITLAB", { repository: "acme/shop", pullRequest: true })).toBe(
      "project_path:acme/shop:ref_type:branch:ref:*",
    );
  });

  it.each([
    [
      { repository: "acme" },
      "GITHUB",
      /^subject\.repository: "acme" is not a GitHub repository; give it as "owner\/repo"/,
    ],
    [{ repository: "acme/*" }, "GITHUB", /^subject\.repository: /],
    [{ repository: "acme/shop:x", branch: "main" }, "GITLAB", /^subject\.repository: /],
    [
      { repository: "acme/shop" },
      "GITHUB",
      /^subject\.branch: give exactly one of branch, tag, environment or pullRequest \(none given\)/,
    ],
    [
      { repository: "acme/shop", branch: "main", environment: "prod" },
      "GITHUB",
      /^subject\.branch, environment: give exactly one/,
    ],
    [
      { repository: "acme/shop", branch: "main*" },
      "GITHUB",
      /^subject\.branch: "main\*" is not a branch name Git accepts/,
    ],
    [
      { repository: "acme/shop", branch: "refs/heads/main" },
      "GITHUB",
      /^subject\.branch: .*without "refs\/heads\/"/,
    ],
    [
      { repository: "acme/shop", environment: "prod" },
      "GITLAB",
      /^subject\.environment: GitLab's sub claim has no environment/,
    ],
    [{ repository: "acme/shop", environment: "*" }, "GITHUB", /^subject\.environment: /],
  ] as const)("refuses %j on %s", (spec, provider, message) => {
    expect(() => subjectPattern(provider, spec)).toThrow(message);
  });
});
