// One scenario's world for VcsConnector tests: the VcsProvider world (a local console of 2.15 or 3.4 with its fake
// Git providers, the real provider host) plus the VcsConnector's `__provider` text, and a Git provider made through
// the host as a program would make it.
import { createRequire } from "node:module";
import { expect } from "vitest";
import { specFor, type GitProviderType } from "../../src/catalog";
import type { LocalConsoleOptions } from "../../src/local-console";
import { serializeProvider } from "../harness/provider-host";
import { createResource, repoRoot } from "./fixture";
import { declareToken, startVcsWorld, type VcsWorld } from "./vcs-fixture";

const { serializedVcsConnector } = createRequire(`${repoRoot}/package.json`)(
  "./dist/resource/serialized-provider.js",
) as typeof import("../../src/resource/serialized-provider");

export interface ConnectorWorld extends VcsWorld {
  /** The VcsConnector's `__provider` text. */
  readonly connector: string;
}

export async function startConnectorWorld(options: LocalConsoleOptions = {}): Promise<ConnectorWorld> {
  const world = await startVcsWorld(options);
  return { ...world, connector: await serializeProvider(serializedVcsConnector) };
}

/** The repository path a token of the type sees, as `:searchRepositories` lists it. */
export const repositoryPath = (type: GitProviderType) =>
  type === "AZURE_DEVOPS" ? "contoso/platform/db" : "platform/db";

/** Makes a VcsProvider of the type through the host (its token sees `platform/db`); returns its `name` output. */
export async function makeProvider(
  world: ConnectorWorld,
  type: GitProviderType,
  id: string,
): Promise<string> {
  const news = declareToken(world, type, id, { repositories: ["platform/db"] });
  const { outs } = await createResource(world, news, world.vcs);
  expect(outs.type).toBe(specFor(type).type);
  return outs.name as string;
}

/** Check then create a VcsConnector, as the engine does; fails the test on check failures. */
export const createConnector = (world: ConnectorWorld, news: Record<string, unknown>) =>
  createResource(world, news, world.connector);
