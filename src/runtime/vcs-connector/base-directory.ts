// A VcsConnector's base directory as each Bytebase release takes it (vcs_connector_service.go@2.15.0, @2.16.0,
// @2.19.0, unchanged to @3.4.1): the form sent on create and update, the root a release refuses, and the advice when
// the console refuses a form.
import type { ConsoleVersion } from "../../client/actuator";

const before = (v: ConsoleVersion | undefined, major: number, minor: number) =>
  v !== undefined && (v.major < major || (v.major === major && v.minor < minor));

const RULE_2_16 =
  'Bytebase 2.16 and later refuse a base directory without a leading "/" (vcs_connector_service.go@2.16.0); the ' +
  'repository root is "/"';
const RULE_2_19 =
  'Bytebase 2.19 and later refuse, on create, a base directory that ends with "/" (vcs_connector_service.go@2.19.0, ' +
  'bytebase#12319), the root "/" included, so a connector cannot be created at the repository root there (an ' +
  "update to the root is accepted): set baseDirectory to the folder of the migration files, e.g. migrations";

/**
 * What the console is sent for `dir` (the inputs' form: no leading or trailing "/", "" = the repository's root).
 * 2.15.0 trims (Azure DevOps: prefixes) the "/" itself and its wizard sent the folder bare, the root as "" (so do we);
 * from 2.16.0 a leading "/" is required and the wizard sends the root as "/" (RepositorySetupWizard.vue@2.16.0). A
 * console whose release is unknown gets the newest form.
 */
export function sentDirectory(dir: string, version: ConsoleVersion | undefined): string {
  return before(version, 2, 16) ? dir : `/${dir}`;
}

/** Why `dir` cannot be created on this release (the root from 2.19), before anything is sent; else undefined. */
export function createRefusal(dir: string, version: ConsoleVersion | undefined): string | undefined {
  if (dir !== "" || version === undefined || before(version, 2, 19)) return undefined;
  return `baseDirectory is the repository root (unset or ""), which Bytebase ${version.text} cannot create: ${RULE_2_19}.`;
}

/** Advice for the console's refusal of a base directory, naming the release rule; undefined for other messages. */
export function directoryAdvice(message: string): string | undefined {
  if (message.startsWith('base directory should start with "/"')) return `${RULE_2_16}.`;
  if (message.startsWith('base directory should not end with "/"')) return `${RULE_2_19}.`;
  return undefined;
}
