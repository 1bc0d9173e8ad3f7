// The Git provider side: the environment that sends credential probes to the local console's fake providers
// (as scripts/demo/examples.ts `oauthEnv` sets it), optionally through counting pass-through proxies, since the
// console's `requests` log holds its own requests only.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { StartedLocalConsole } from "pulumi-bytebase-gitops/local-console";

type Console = Pick<StartedLocalConsole, "demoApps" | "oauth">;
/** OAuth token endpoints (GitOpsProvider), or the Git providers' APIs where access tokens are verified (VcsProvider). */
export type Endpoints = "BYTEBASE_GITOPS_OAUTH_URL_" | "BYTEBASE_GITOPS_API_URL_";

/** `<prefix><TYPE>` of every type: the Git provider requests move to the fake providers. */
export function oauthEnv(
  bb: Console,
  prefix: Endpoints = "BYTEBASE_GITOPS_OAUTH_URL_",
): Record<string, string> {
  return Object.fromEntries(Object.keys(bb.demoApps).map((t) => [prefix + t, bb.oauth.url(t as never)]));
}

export interface CountedOAuth {
  /** The environment pointing at the proxies. */
  readonly env: Record<string, string>;
  /** `TYPE METHOD path` of every request passed on, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** One proxy per fake provider, each passing requests on unchanged and logging them. */
export async function countedOAuth(bb: Console, prefix?: Endpoints): Promise<CountedOAuth> {
  const requests: string[] = [];
  const servers: Server[] = [];
  const env: Record<string, string> = {};
  for (const [key, target] of Object.entries(oauthEnv(bb, prefix))) {
    const type = key.replace(/^BYTEBASE_GITOPS_(OAUTH|API)_URL_/, "");
    const to = new URL(target);
    const server = createServer((req, res) => {
      requests.push(`${type} ${req.method} ${req.url?.split("?")[0]}`);
      const headers = { ...req.headers, host: to.host };
      const upstream = request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push(server);
    env[key] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const close = () =>
    Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(
      () => undefined,
    );
  return { env, requests, close };
}
