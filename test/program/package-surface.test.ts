// What a stack made with an earlier version of the package relies on, pinned exactly: the names each package entry
// exports (a program's imports, a policy pack's), and the `__provider` text every resource carries into the state
// (it requires `pulumi-bytebase-gitops/runtime` and calls `attach`, `attachVcsProvider` or `attachVcsConnector`; a
// changed text shows as a provider change on every resource). Both are read from the built dist/.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/demo/examples";
import { pulumiRequire } from "../harness/provider-host";

const load = createRequire(`${repoRoot}/package.json`);
const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  exports: Record<string, { types: string } | string>;
};

/** Every name an entry declares (types and values), from its .d.ts as the package's `exports` map points to it. */
function declaredNames(entry: string): string[] {
  const target = manifest.exports[entry];
  if (typeof target !== "object") throw new Error(`package.json exports has no types for ${entry}`);
  const file = join(repoRoot, target.types);
  const program = ts.createProgram([file], { skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker
    .getExportsOfModule(module)
    .map((s) => s.name)
    .sort();
}

/** The names an entry exports at run time, as `require` gives them. */
const valueNames = (entry: string): string[] =>
  Object.keys(
    load(entry === "." ? "pulumi-bytebase-gitops" : `pulumi-bytebase-gitops${entry.slice(1)}`),
  ).sort();

const CATALOG_VALUES = [
  "CALLBACK_PATH",
  "CATALOG",
  "GIT_PROVIDER_TYPES",
  "answered",
  "callbackMatches",
  "callbackUrlProblems",
  "consoleCallbackUrl",
  "decodeAzureClientSecret",
  "describeCallbackRule",
  "describePermission",
  "describeScope",
  "excessScopes",
  "expandPermissions",
  "expandScopes",
  "expiryFinding",
  "instanceUrlProblems",
  "isGitProviderType",
  "isLoopbackHost",
  "leveledPermissions",
  "messageOf",
  "missingScopes",
  "normalizeInstanceUrl",
  "readPermissions",
  "specFor",
  "tokenAnswer",
  "tryUrl",
  "withArticle",
];

const POLICY_VALUES = [
  "CALLBACK_URL",
  "CI_ROLES",
  "DEPLOY_IDENTITY_TRUST",
  "IDENTITY_AUDIENCE",
  "IDENTITY_ISSUER",
  "IDENTITY_SUBJECT",
  "LITERAL_SERVICE_KEY",
  "PROJECT_IAM_MEMBER_TYPE",
  "SEPARATE_IDENTITIES",
  "SERVICE_ACCOUNT_TYPE",
  "WORKLOAD_IDENTITY_TYPE",
  "ciRolesPolicy",
  "deployIdentityTrustPolicy",
  "identityAudiencePolicy",
  "identityIssuerPolicy",
  "identitySubjectPolicy",
  "literalServiceKeyPolicy",
  "readProjectIamMember",
  "readWorkloadIdentity",
  "separateIdentitiesPolicy",
  "CONNECTOR_BASE_DIRECTORY",
  "CONNECTOR_BRANCH",
  "CONNECTOR_DATABASE_GROUP",
  "DEFAULT_ALLOWED_BRANCHES",
  "GITOPS_GUARD",
  "GITOPS_POLICY_NAMES",
  "GITOPS_PROVIDER_TYPE",
  "INSTANCE_URL",
  "LEAST_PRIVILEGE",
  "REQUIRED_SCOPES",
  "SECRET_EXPIRY",
  "TOKEN_EXPIRY",
  "TOKEN_LEAST_PRIVILEGE",
  "TOKEN_PERMISSIONS",
  "UNIQUE_CONNECTORS",
  "UNIQUE_PROVIDERS",
  "VCS_CONNECTOR_TYPE",
  "VCS_PROVIDER_TYPE",
  "callbackUrlPolicy",
  "connectorBaseDirectoryPolicy",
  "connectorBranchPolicy",
  "connectorDatabaseGroupPolicy",
  "gitopsGuardPolicies",
  "instanceUrlPolicy",
  "leastPrivilegePolicy",
  "readGitOpsProvider",
  "readVcsConnector",
  "readVcsProvider",
  "requiredScopesPolicy",
  "secretExpiryPolicy",
  "tokenExpiryPolicy",
  "tokenLeastPrivilegePolicy",
  "tokenPermissionsPolicy",
  "uniqueConnectorsPolicy",
  "uniqueProvidersPolicy",
];

/** Per entry: the names it exports at run time, and the type-only names its declarations add. */
const SURFACE: Record<string, { values: string[]; types: string[] }> = {
  // 1.0 narrowed the root to the resources and the types their inputs and outputs use; the catalog moved to
  // ./catalog (CHANGELOG.md).
  ".": {
    values: [
      "GIT_PROVIDER_TYPES",
      "GitOpsProvider",
      "VcsConnector",
      "VcsProvider",
      // The CI era (3.15+): its resources, and the workflow files from their outputs.
      "ProjectIamMember",
      "ServiceAccount",
      "WorkloadIdentity",
      "gitopsWorkflow",
      "gitopsWorkflowFiles",
      "matchSubjectPattern",
      "serviceAccountPrincipal",
      "subjectPattern",
      "workloadIdentityPrincipal",
    ],
    types: [
      "CheckOutcome",
      "CiPrincipal",
      "CiServiceAccount",
      "CiWorkloadIdentity",
      "ConnectionArgs",
      "GitOpsProviderArgs",
      "GitProviderType",
      "GitopsWorkflowArgs",
      "GitopsWorkflowInputs",
      "ProjectIamMemberArgs",
      "ServiceAccountArgs",
      "SubjectSpec",
      "TokenVerification",
      "VcsConnectorArgs",
      "VcsProviderArgs",
      "Verification",
      "VerificationCheck",
      "WorkloadIdentityArgs",
    ],
  },
  "./catalog": {
    values: CATALOG_VALUES,
    types: [
      "AccessTokenSpec",
      "AskGitProvider",
      "CallbackRule",
      "ConnectorSpec",
      "CredentialIssue",
      "CredentialProbe",
      "GitApiAnswer",
      "GitProviderSpec",
      "GitProviderType",
      "OAuthAppUi",
      "PermissionsReading",
      "ProbeVerdict",
      "ScopeInfo",
      "TokenFinding",
      "TokenInspection",
      "TokenKind",
      "TokenRequest",
    ],
  },
  "./policy": {
    values: POLICY_VALUES,
    types: [
      "CallbackUrlSettings",
      "CiRolesSettings",
      "DeployIdentityTrustSettings",
      "IdentityAudienceSettings",
      "IdentityIssuerSettings",
      "IdentitySubjectSettings",
      "LiteralServiceKeySettings",
      "ProjectIamMemberView",
      "SeparateIdentitiesSettings",
      "WorkloadIdentityView",
      "ConnectorBaseDirectorySettings",
      "ConnectorBranchSettings",
      "ConnectorDatabaseGroupSettings",
      "GitOpsGuardArgs",
      "GitOpsPolicyName",
      "GitOpsProviderView",
      "InstanceUrlSettings",
      "LeastPrivilegeSettings",
      "PerType",
      "PolicyArgs",
      "ProviderProp",
      "RequiredScopesSettings",
      "SecretExpirySettings",
      "TokenExpirySettings",
      "TokenLeastPrivilegeSettings",
      "TokenPermissionsSettings",
      "UniqueConnectorsSettings",
      "UniqueProvidersSettings",
      "VcsConnectorView",
      "VcsProviderView",
    ],
  },
  "./runtime": {
    values: [
      "attach",
      "attachProjectIamMember",
      "attachServiceAccount",
      "attachVcsConnector",
      "attachVcsProvider",
      "attachWorkloadIdentity",
      "provider",
      "vcsConnector",
      "vcsProvider",
    ],
    types: [],
  },
  "./local-console": {
    values: ["CONSOLE_VERSIONS", "DEFAULT_VERSION", "normalizeExternalUrl", "startLocalConsole"],
    types: [
      "ConsoleVersion",
      "Fault",
      "FaultTarget",
      "LocalConsole",
      "LocalConsoleOptions",
      "ProviderRecord",
      "RegisterAppInput",
      "RegisteredApp",
      "Role",
      "StartedLocalConsole",
    ],
  },
};

describe("the package's entries export exactly these names", () => {
  it("lists every entry of package.json's exports map", () => {
    expect(
      Object.keys(manifest.exports)
        .filter((e) => e !== "./package.json")
        .sort(),
    ).toEqual(Object.keys(SURFACE).sort());
  });

  for (const [entry, { values, types }] of Object.entries(SURFACE)) {
    it(`${entry}: the values at run time`, () => {
      expect(valueNames(entry)).toEqual([...values].sort());
    });

    it(`${entry}: every declared name, types included`, () => {
      expect(declaredNames(entry)).toEqual([...values, ...types].sort());
    });
  }
});

/**
 * The provider serialized as `dynamic.Resource` does: `serializeFunction(() => provider, { allowSecrets: true })` in
 * @pulumi/pulumi dynamic/index.js, its arrow written as the SDK's compiled JavaScript has it (this file's own arrow
 * would be printed as the test transpiler emits it).
 */
async function serialized(provider: object): Promise<string> {
  const sc = pulumiRequire("./runtime/closure/serializeClosure") as typeof import("@pulumi/pulumi").runtime;
  const closure = new Function("provider", "return () => provider;") as (p: object) => () => object;
  return (await sc.serializeFunction(closure(provider), { allowSecrets: true })).text;
}

/** The `__provider` text as `dynamic.Resource` serializes the provider, for the runtime entry it calls. */
const providerText = (attach: string) =>
  `exports.handler = __f0;

var __provider = {configure: __f1};

function __f1(__0) {
  return (function() {
    with({ this: undefined, arguments: undefined }) {

return function /*configure*/(req) {
        return require("pulumi-bytebase-gitops/runtime").${attach}(this, req);
    };

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f0() {
  return (function() {
    with({ provider: __provider, this: undefined, arguments: undefined }) {

return () => provider;

    }
  }).apply(undefined, undefined).apply(this, arguments);
}
`;

describe("the serialized providers' text is the one earlier stacks stored", () => {
  const providers = load(
    "./dist/resource/serialized-provider.js",
  ) as typeof import("../../src/resource/serialized-provider");
  const cases = [
    ["GitOpsProvider", providers.serializedProvider, "attach"],
    ["VcsProvider", providers.serializedVcsProvider, "attachVcsProvider"],
    ["VcsConnector", providers.serializedVcsConnector, "attachVcsConnector"],
    ["WorkloadIdentity", providers.serializedWorkloadIdentity, "attachWorkloadIdentity"],
    ["ServiceAccount", providers.serializedServiceAccount, "attachServiceAccount"],
    ["ProjectIamMember", providers.serializedProjectIamMember, "attachProjectIamMember"],
  ] as const;

  for (const [resource, provider, attach] of cases)
    it(`${resource} calls ${attach} of pulumi-bytebase-gitops/runtime`, async () => {
      expect(await serialized(provider)).toBe(providerText(attach));
      expect(typeof (load("pulumi-bytebase-gitops/runtime") as Record<string, unknown>)[attach]).toBe(
        "function",
      );
    });
});
