// Public entry of the local Bytebase-compatible console (`pulumi-bytebase-gitops/local-console`).
export { startLocalConsole, type StartedLocalConsole } from "./console";
export { normalizeExternalUrl } from "./external-url";
export { CONSOLE_VERSIONS, DEFAULT_VERSION, type ConsoleVersion } from "./versions";
export type {
  Fault,
  FaultTarget,
  LocalConsole,
  LocalConsoleOptions,
  ProviderRecord,
  RegisterAppInput,
  RegisteredApp,
  Role,
} from "./types";
