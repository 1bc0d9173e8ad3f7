// B3's floor, HTTP side: bare undici calls to the local console with a keep-alive agent configured exactly like the
// client's shared one (src/client/http.ts), and a bearer token fetched once.
import { Agent, request } from "undici";
import type { LocalConsole } from "pulumi-bytebase-gitops/local-console";

export interface Direct {
  get(path: string): Promise<string>;
  post(path: string, body: unknown): Promise<string>;
  delete(path: string): Promise<string>;
  close(): Promise<void>;
}

export async function direct(bb: LocalConsole): Promise<Direct> {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  const send = async (method: "GET" | "POST" | "DELETE", path: string, body?: unknown, token?: string) => {
    const answer = await request(`${bb.url}/${path}`, {
      method,
      dispatcher: agent,
      headers: {
        accept: "application/json",
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await answer.body.text();
    if (answer.statusCode >= 300) throw new Error(`${method} ${path}: ${answer.statusCode} ${text}`);
    return text;
  };
  const login = await send("POST", "v1/auth/login", { email: bb.admin.email, password: bb.admin.key });
  const { token } = JSON.parse(login) as { token: string };
  return {
    get: (path) => send("GET", path, undefined, token),
    post: (path, body) => send("POST", path, body, token),
    delete: (path) => send("DELETE", path, undefined, token),
    close: () => agent.close(),
  };
}
