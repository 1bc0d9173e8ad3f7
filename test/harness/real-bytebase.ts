// Real Bytebase servers for tests: each version whose server binary is in this machine's cache (outside the clone) starts on a fresh database, or on an older one's to upgrade it; a version not built is skipped,
// and the suite's name says so.
import { describe } from "vitest";
import {
  isBuilt,
  notBuilt,
  RELEASES,
  startBytebase,
  type StartedBytebase,
  type StartOptions,
} from "../../scripts/bytebase/server";

export type { StartedBytebase };

/** The Bytebase releases the real tier knows (scripts/bytebase/versions.json). */
export const REAL_VERSIONS = Object.keys(RELEASES);

export interface RealVersion {
  version: string;
  commit: string;
  built: boolean;
}

export function realVersion(version: string): RealVersion {
  return { version, commit: RELEASES[version]!.commit, built: isBuilt(version) };
}

/**
 * A describe per version, run when that version is built, else skipped with the reason in its name.
 * The body gets the version; start the server in its beforeAll with startRealBytebase.
 */
export function describeRealBytebase(
  versions: readonly string[],
  title: string,
  body: (v: RealVersion) => void,
): void {
  for (const version of versions) {
    const v = realVersion(version);
    const name = v.built
      ? `${title} (real Bytebase ${version})`
      : `${title} (real Bytebase ${version}: skipped, ${notBuilt(version)})`;
    (v.built ? describe : describe.skip)(name, { timeout: 120_000 }, () => body(v));
  }
}

/**
 * Starts a built version on a fresh database (or, with `upgrade`, on the database an older one left); stop() ends it
 * and drops the database unless told to keep it.
 */
export function startRealBytebase(
  version: string,
  upgrade?: StartOptions["upgrade"],
): Promise<StartedBytebase> {
  return startBytebase({ version, upgrade });
}
