// One authenticated console request: the session's bearer token, the secrets never to quote, and one fresh login
// when the console answers 401 (the token expired or was revoked). Shared by the console API clients.
import type { z } from "zod";
import { parserOf } from "./answers";
import { ConsoleError } from "./errors";
import { sendJson, type JsonRequest } from "./http";
import type { Session, Credentials } from "./session";
import type { HttpOptions } from "./settings";

export async function authorizedCall<S extends z.ZodType>(
  session: Session,
  credentials: Credentials,
  options: HttpOptions,
  answer: S,
  req: Omit<JsonRequest, "token">,
  bodySecrets: readonly string[] = [],
): Promise<z.output<S>> {
  const parse = parserOf(answer);
  const token = await session.token();
  const secrets = [credentials.serviceKey, token, ...bodySecrets];
  try {
    return await sendJson(credentials.url, { ...req, token, secrets }, options, parse);
  } catch (error) {
    if (!(error instanceof ConsoleError) || error.status !== 401) throw error;
    const fresh = await session.token(token);
    return sendJson(credentials.url, { ...req, token: fresh, secrets: [...secrets, fresh] }, options, parse);
  }
}
