// Shared plumbing of the resource policies: pick out GitOpsProviders, read them, and word violations
// (resource, property, problem, fix) without ever quoting a secret or a URL's user info.
import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { tryUrl, type GitProviderSpec, type GitProviderType } from "../catalog";
import { readWorkloadIdentity, WORKLOAD_IDENTITY_TYPE, type WorkloadIdentityView } from "./ci-resources";
import { GITOPS_PROVIDER_TYPE, readGitOpsProvider, type GitOpsProviderView } from "./gitops-resources";
import {
  readVcsConnector,
  readVcsProvider,
  VCS_CONNECTOR_TYPE,
  VCS_PROVIDER_TYPE,
  type VcsConnectorView,
  type VcsProviderView,
} from "./vcs-resources";

/** A GitOpsProvider of a known type, with its catalog entry. */
export type KnownProvider = GitOpsProviderView & {
  readonly type: GitProviderType;
  readonly spec: GitProviderSpec;
};

/** The resource read as a GitOpsProvider of a known type, or undefined for any other resource. */
export function knownProvider(type: unknown, props: unknown): KnownProvider | undefined {
  if (type !== GITOPS_PROVIDER_TYPE) return undefined;
  const provider = readGitOpsProvider(props);
  return provider.spec && provider.type ? (provider as KnownProvider) : undefined;
}

/** Runs `check` for GitOpsProviders of a known type only; other resources pass untouched. */
export function forGitOpsProviders(
  check: (provider: KnownProvider, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
  return (args, report) => {
    const provider = knownProvider(args.type, args.props);
    if (provider) check(provider, args, report);
  };
}

/** A VcsProvider of a known type, with its catalog entry. */
export type KnownVcsProvider = VcsProviderView & {
  readonly type: GitProviderType;
  readonly spec: GitProviderSpec;
};

/** The resource read as a VcsProvider of a known type, or undefined for any other resource. */
export function knownVcsProvider(type: unknown, props: unknown): KnownVcsProvider | undefined {
  if (type !== VCS_PROVIDER_TYPE) return undefined;
  const provider = readVcsProvider(props);
  return provider.spec && provider.type ? (provider as KnownVcsProvider) : undefined;
}

/** Runs `check` for VcsProviders of a known type only; other resources pass untouched. */
export function forVcsProviders(
  check: (provider: KnownVcsProvider, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
  return (args, report) => {
    const provider = knownVcsProvider(args.type, args.props);
    if (provider) check(provider, args, report);
  };
}

/** Runs `check` for WorkloadIdentities only; other resources pass untouched. */
export function forWorkloadIdentities(
  check: (identity: WorkloadIdentityView, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
  return (args, report) => {
    if (args.type === WORKLOAD_IDENTITY_TYPE) check(readWorkloadIdentity(args.props), args, report);
  };
}

/** Runs `check` for VcsConnectors only; other resources pass untouched. */
export function forVcsConnectors(
  check: (connector: VcsConnectorView, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
  return (args, report) => {
    if (args.type === VCS_CONNECTOR_TYPE) check(readVcsConnector(args.props), args, report);
  };
}

/** `GitOpsProvider 'gh' (GitHub): 'scopes' <problem>. Fix: <fix>.` */
export function violation(
  name: string,
  spec: GitProviderSpec,
  property: string,
  problem: string,
  fix: string,
): string {
  return resourceViolation("GitOpsProvider", name, spec.label, property, problem, fix);
}

/** `<Kind> '<name>' (<label>): '<property>' <problem>. Fix: <fix>.` (no label: no parentheses). */
export function resourceViolation(
  kind:
    | "GitOpsProvider"
    | "VcsProvider"
    | "VcsConnector"
    | "WorkloadIdentity"
    | "ServiceAccount"
    | "ProjectIamMember",
  name: string,
  label: string | undefined,
  property: string,
  problem: string,
  fix: string,
): string {
  return `${kind} '${name}'${label ? ` (${label})` : ""}: '${property}' ${problem}. Fix: ${fix}.`;
}

/** A URL fit for a message: user info replaced by `***`; non-URLs are cut short. */
export function displayUrl(value: string): string {
  const url = tryUrl(value);
  if (!url) return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  if (url.username || url.password) {
    url.username = "***";
    url.password = "";
  }
  const bare = url.pathname === "/" && !url.search && !url.hash && !value.trim().endsWith("/");
  return bare ? url.href.slice(0, -1) : url.href;
}

/** `access token` -> `an access token`. */
export { withArticle as aOrAn } from "../catalog";

/** `a, b and c`. */
export function listing(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
