// One console, as every API client of this package reaches it: the service account's session (one fresh login when
// the console answers 401), the console's version read once from its actuator, and the 403 advice for that version.
// The runtime keeps one connection per console and service account per process; each API client
// (external-version-controls.ts, vcs-providers.ts, vcs-connectors.ts) is a ConsoleApi over it, so they all share its
// login and actuator read.
import type { z } from "zod";
import { readActuator, type ConsoleInfo } from "./actuator";
import { parserOf } from "./answers";
import { ConsoleError } from "./errors";
import { sendJson, type JsonRequest } from "./http";
import { permissionAdvice } from "./permissions";
import { Session, type Credentials } from "./session";
import { httpOptionsFromEnv, type HttpOptions } from "./http-settings";

export type ConsoleRequest = Omit<JsonRequest, "token">;

export class ConsoleConnection {
  private readonly session: Session;
  private info: Promise<ConsoleInfo | undefined> | undefined;

  constructor(
    readonly credentials: Credentials,
    readonly options: HttpOptions = httpOptionsFromEnv(),
    now: () => number = Date.now,
  ) {
    this.session = new Session(credentials, options, now);
  }

  get url(): string {
    return this.credentials.url;
  }

  /**
   * The console's version and external URL from its actuator, read once per connection (no login); undefined when
   * the console does not answer the actuator as Bytebase does (see readActuator). Read again after a failure.
   */
  consoleInfo(): Promise<ConsoleInfo | undefined> {
    if (!this.info) {
      const pending = readActuator(this.url, this.options);
      pending.catch(() => this.info === pending && (this.info = undefined));
      this.info = pending;
    }
    return this.info;
  }

  /**
   * Sends an authenticated request, never quoting the service key, the session token or `bodySecrets`. A 401 logs in
   * again once (the token expired or was revoked); a 403 names the roles of the console's version when it is known.
   * For the API clients of this folder (ConsoleApi.call), which know the paths and answers.
   */
  async call<S extends z.ZodType>(
    answer: S,
    req: ConsoleRequest,
    bodySecrets: readonly string[] = [],
  ): Promise<z.output<S>> {
    const parse = parserOf(answer);
    const token = await this.session.token();
    const secrets = [this.credentials.serviceKey, token, ...bodySecrets];
    try {
      try {
        return await sendJson(this.url, { ...req, token, secrets }, this.options, parse);
      } catch (error) {
        if (!(error instanceof ConsoleError) || error.status !== 401) throw error;
        const fresh = await this.session.token(token);
        return await sendJson(
          this.url,
          { ...req, token: fresh, secrets: [...secrets, fresh] },
          this.options,
          parse,
        );
      }
    } catch (error) {
      if (error instanceof ConsoleError && error.status === 403) await this.adviseRoles(error);
      throw error;
    }
  }

  /** Replaces the version-less role advice of a 403 with the one for the console's version, once it is known. */
  private async adviseRoles(error: ConsoleError): Promise<void> {
    const info = await this.info?.catch(() => undefined);
    if (info) error.message = error.message.replace(permissionAdvice(), permissionAdvice(info.versionText));
  }
}

/** An API client of this folder: the console's paths and answers for one resource, over a shared connection. */
export abstract class ConsoleApi {
  /** The Bytebase releases that serve this API, e.g. "2.15 to 3.4": named when an answer does not fit. */
  protected abstract readonly versions: string;

  constructor(readonly connection: ConsoleConnection) {}

  get url(): string {
    return this.connection.url;
  }

  get options(): HttpOptions {
    return this.connection.options;
  }

  consoleInfo(): Promise<ConsoleInfo | undefined> {
    return this.connection.consoleInfo();
  }

  protected call<S extends z.ZodType>(
    answer: S,
    req: ConsoleRequest,
    bodySecrets: readonly string[] = [],
  ): Promise<z.output<S>> {
    return this.connection.call(answer, { versions: this.versions, ...req }, bodySecrets);
  }
}
