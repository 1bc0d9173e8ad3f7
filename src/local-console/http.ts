// The small HTTP layer shared by the console and the fake providers: request model, replies, fault application.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ECHO_TIMEOUT_BODY, type FaultRegistry, type FaultTarget } from "./faults";

export interface Req {
  readonly method: string;
  /** The request target as sent, query included (Go's `http.Request.RequestURI`). */
  readonly uri: string;
  /** The path as sent, without the query. */
  readonly rawPath: string;
  /** The path percent-decoded (`%2F` becomes `/`). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The peer's address (the rate limiter's key when no X-Forwarded-For / X-Real-IP is sent). */
  readonly remoteAddress: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  /** An object is sent as JSON; a string as is (set content-type in headers). */
  body?: unknown;
}

export type Handler = (req: Req) => Promise<Reply> | Reply;

export interface HttpService {
  readonly url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  host: string;
  port: number;
  /** When `port` is taken, listen on a random free port instead of failing. */
  fallbackToRandomPort?: boolean;
  target: FaultTarget;
  faults: FaultRegistry;
  /** The body of an injected error status (a fault without its own `body`). */
  faultReply: (status: number) => Reply;
  onRequest?: (method: string, rawPath: string, query: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

export async function serve(handler: Handler, opts: ServeOptions): Promise<HttpService> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const target = new URL(request.url ?? "/", "http://local");
      const req: Req = {
        method: (request.method ?? "GET").toUpperCase(),
        uri: request.url ?? "/",
        rawPath: target.pathname,
        path: decodePath(target.pathname),
        query: target.searchParams,
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        remoteAddress: request.socket.remoteAddress ?? "",
      };
      void answer(req, request.socket).then(
        (reply) => {
          if (reply === "dropped") return;
          write(response, reply);
          if (reply.after)
            void Promise.resolve()
              .then(reply.after)
              .catch(() => undefined);
        },
        (error: unknown) =>
          write(response, { status: 500, body: { code: 13, message: String(error), details: [] } }),
      );
    });
  });

  async function answer(req: Req, socket: Socket): Promise<(Reply & { after?: () => unknown }) | "dropped"> {
    opts.onRequest?.(req.method, req.rawPath, req.query.toString());
    const fault = opts.faults.take(opts.target, req.method, req.rawPath, req.path);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.drop === "before") return drop(socket);
    if (fault?.timeout) return { ...TIMED_OUT, after: () => handler(req) };
    const injected =
      fault?.body !== undefined
        ? rawReply(fault.status ?? 200, fault.body, fault.contentType)
        : fault?.status
          ? opts.faultReply(fault.status)
          : undefined;
    if (injected) {
      if (fault?.retryAfter !== undefined)
        injected.headers = { ...injected.headers, "retry-after": String(fault.retryAfter) };
      return injected;
    }
    const reply = await handler(req);
    if (fault?.drop === "after") return drop(socket);
    return reply;
  }

  await listen(server, opts);
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Bytebase's 30 s timeout: echo's middleware.TimeoutWithConfig{Timeout: 30s} (backend/server/routers.go@2.14.0,
 * backend/server/server.go@2.5.0) wraps Go's http.TimeoutHandler with an empty message (middleware/timeout.go of echo
 * v4.10.2 - v4.11.4), so the client gets 503 and net/http's default body, sniffed as HTML, while the handler runs on.
 */
const TIMED_OUT: Reply = {
  status: 503,
  headers: { "content-type": "text/html; charset=utf-8" },
  body: ECHO_TIMEOUT_BODY,
};

/** An injected raw body, labelled JSON whatever it holds unless the fault names another content-type. */
function rawReply(status: number, body: string, contentType = "application/json"): Reply {
  return { status, headers: { "content-type": contentType }, body };
}

function drop(socket: Socket): "dropped" {
  socket.destroy();
  return "dropped";
}

function write(response: ServerResponse, reply: Reply): void {
  if (response.destroyed) return;
  const headers: Record<string, string | string[]> = { ...reply.headers };
  let payload = "";
  if (typeof reply.body === "string") payload = reply.body;
  else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers["content-type"] ??= "application/json";
  }
  response.writeHead(reply.status, headers);
  response.end(payload);
}

async function listen(server: Server, opts: ServeOptions): Promise<void> {
  const attempt = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        server.off("listening", onListening);
        reject(error);
      };
      const onListening = () => {
        server.off("error", onError);
        resolve();
      };
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen(port, opts.host);
    });
  try {
    await attempt(opts.port);
  } catch (error) {
    if (!opts.fallbackToRandomPort || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    await attempt(0);
  }
}
