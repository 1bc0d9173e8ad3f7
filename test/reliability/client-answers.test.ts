// Property-based reliability of the console client: each Git provider route (and login, and the external URL)
// answered with malformed bodies by the local console's `body` fault: not JSON, JSON of the wrong type, cut
// short, a field missing or mistyped, huge, echoing the service key. Every call rejects with an Error naming its
// operation and the answer, without the service key, or resolves with correctly typed values.
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readActuator } from "../../src/client/actuator";
import { ConsoleClient } from "../../src/client/external-version-controls";
import { ConsoleConnection } from "../../src/client/connection";
import {
  CONNECTOR_ROWS_MISSING,
  ConsoleAnswerError,
  ConsoleError,
  missingRoute,
} from "../../src/client/errors";
import { VcsConnectorClient } from "../../src/client/vcs-connectors";
import { VcsProviderClient } from "../../src/client/vcs-providers";
import { explainRows } from "../../src/runtime/vcs-connector/errors";
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { anyJson, cutShort, notAnObject, notJson, oneFieldWrong } from "./arbitraries";

type Props = Record<string, unknown>;

let bb: StartedLocalConsole;
let client: ConsoleClient;
const real: Record<string, string> = {};

interface Route {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly operation: string;
  readonly call: () => Promise<unknown>;
  /** Problems with a resolved value's types ([] = correctly typed). */
  readonly typed: (value: unknown) => string[];
}

const isObject = (v: unknown): v is Props => typeof v === "object" && v !== null && !Array.isArray(v);
const EVC_FIELDS = ["name", "title", "type", "url", "apiUrl", "applicationId", "secret"];
const evcProblems = (v: unknown, at = "the value"): string[] =>
  !isObject(v)
    ? [`${at} is not an object`]
    : EVC_FIELDS.filter((f) => typeof v[f] !== "string").map((f) => `${at}.${f} is ${typeof v[f]}`);
const listProblems = (v: unknown): string[] =>
  Array.isArray(v) ? v.flatMap((e, i) => evcProblems(e, `[${i}]`)) : ["the list is not an array"];

/** Logs in for every call: its clock runs hours ahead, so every cached token looks expired. */
let loginClient: ConsoleClient;
let loginClock = Date.now();

const ROUTES: Route[] = [
  {
    name: "get",
    method: "GET",
    path: "/v1/externalVersionControls/101",
    operation: "Reading Git provider 101",
    call: () => client.get("101"),
    typed: evcProblems,
  },
  {
    name: "list",
    method: "GET",
    path: "/v1/externalVersionControls",
    operation: "Listing Git providers",
    call: () => client.list(),
    typed: listProblems,
  },
  {
    name: "create",
    method: "POST",
    path: "/v1/externalVersionControls",
    operation: "Creating Git provider",
    call: () =>
      client.create({
        title: "Fuzz",
        type: "GITHUB",
        url: "https://github.com",
        applicationId: "Ov23liAbCdEfGhIjKlMn",
        secret: "0123456789abcdef0123456789abcdef01234567",
      }),
    typed: evcProblems,
  },
  {
    name: "update",
    method: "PATCH",
    path: "/v1/externalVersionControls/101",
    operation: "Updating title of Git provider 101",
    call: () => client.update("101", { title: "Fuzzed" }),
    typed: evcProblems,
  },
  {
    name: "externalUrl",
    method: "GET",
    path: "/v1/settings",
    operation: "Reading the console's external URL",
    call: () => client.externalUrlSetting(),
    typed: (v) => (typeof v === "string" ? [] : [`the external URL is ${typeof v}`]),
  },
  {
    name: "login",
    method: "POST",
    path: "/v1/auth/login",
    operation: "Logging in to the console",
    call: () => {
      loginClock += 3 * 60 * 60_000;
      return loginClient.list();
    },
    typed: listProblems,
  },
];

const BROKEN = [TypeError, SyntaxError, RangeError, ReferenceError];

/** Whether a login answer carries a token (the client then goes on to its call, which may fail on its own). */
const carriesToken = (body: string) => {
  try {
    const token = (JSON.parse(body) as { token?: unknown } | null)?.token;
    return typeof token === "string" && token !== "";
  } catch {
    return false;
  }
};

/**
 * Sends the route's call with `body` (and `status`) as the console's one answer, and checks the contract: a
 * rejection is an Error (not a TypeError, SyntaxError...) starting with the operation, about the answer, without
 * the service key (unless `keyMayLeak`: the caller checks); a resolution (unless `mustReject`) has correctly typed
 * values. Returns the rejection.
 */
async function expectContract(
  route: Route,
  body: string,
  opts: { status?: number; mustReject?: boolean; keyMayLeak?: boolean } = {},
) {
  bb.faults.inject({ method: route.method, path: route.path, body, status: opts.status, times: 1 });
  let outcome: { value: unknown } | { error: unknown };
  try {
    outcome = { value: await route.call() };
  } catch (error) {
    outcome = { error };
  } finally {
    bb.faults.clear();
  }
  const loggedIn = route.name === "login" && carriesToken(body);
  if ("value" in outcome) {
    const shown = JSON.stringify(outcome.value)?.slice(0, 200);
    expect(opts.mustReject && !loggedIn, `resolved with ${shown}`).toBeFalsy();
    expect(route.typed(outcome.value), `resolved with ${shown}`).toEqual([]);
    return undefined;
  }
  const error = outcome.error as Error;
  const shown = `${(error as object)?.constructor?.name}: ${String(error?.message).slice(0, 300)}`;
  expect(error instanceof Error && !BROKEN.some((type) => error.constructor === type), shown).toBe(true);
  if (!loggedIn) expect(error.message.startsWith(route.operation), shown).toBe(true);
  expect(error.message, shown).toMatch(/answer/);
  if (!opts.keyMayLeak)
    for (const key of [bb.admin.key, loginClient.connection.credentials.serviceKey])
      expect(error.message).not.toContain(key);
  return error;
}

describe("the console client against malformed answers", () => {
  beforeAll(async () => {
    bb = await startLocalConsole({ externalUrl: "https://bytebase.example.com" });
    client = new ConsoleClient(
      new ConsoleConnection({ url: bb.url, serviceAccount: bb.admin.email, serviceKey: bb.admin.key }),
    );
    const login = bb.addServiceAccount("fuzz@service.bytebase.com", "admin");
    loginClient = new ConsoleClient(
      new ConsoleConnection(
        { url: bb.url, serviceAccount: login.email, serviceKey: login.key },
        undefined,
        () => loginClock,
      ),
    );
    const created = await client.create({
      title: "GitHub.com",
      type: "GITHUB",
      url: "https://github.com",
      applicationId: "Ov23liAbCdEfGhIjKlMn",
      secret: "0123456789abcdef0123456789abcdef01234567",
    });
    expect(created.name).toBe("externalVersionControls/101");
    real.login = await fetch(`${bb.url}/v1/auth/login`, {
      method: "POST",
      body: JSON.stringify({ email: bb.admin.email, password: bb.admin.key }),
    }).then((r) => r.text());
    const token = (JSON.parse(real.login) as { token: string }).token;
    const read = (path: string) =>
      fetch(`${bb.url}${path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
    real.get = real.create = real.update = await read("/v1/externalVersionControls/101");
    real.list = await read("/v1/externalVersionControls");
    real.externalUrl = await read("/v1/settings");
  });
  afterEach(() => bb.faults.clear());
  afterAll(() => bb?.close());

  for (const route of ROUTES) {
    describe(`${route.name}: ${route.method} ${route.path}`, () => {
      const runs = { numRuns: 20 };
      it("resolves with the real answer", async () => {
        expect(await expectContract(route, real[route.name]!)).toBeUndefined(); // undefined: it resolved
      });
      it("rejects an answer that is not JSON", async () => {
        await fc.assert(
          fc.asyncProperty(notJson, async (body) => {
            await expectContract(route, body, { mustReject: true });
          }),
          runs,
        );
      });
      it("rejects JSON that is not an object", async () => {
        await fc.assert(
          fc.asyncProperty(notAnObject, async (body) => {
            await expectContract(route, body, { mustReject: true });
          }),
          runs,
        );
      });
      it("keeps the contract for any JSON, and an empty answer", async () => {
        await fc.assert(
          fc.asyncProperty(anyJson, async (body) => {
            await expectContract(route, body);
          }),
          runs,
        );
      });
      it("rejects the real answer cut short", async () => {
        await fc.assert(
          fc.asyncProperty(cutShort(real[route.name]!), async (body) => {
            await expectContract(route, body, { mustReject: body !== "" });
          }),
          runs,
        );
      });
      it("keeps the contract for the real answer with a field missing or of the wrong type", async () => {
        await fc.assert(
          fc.asyncProperty(oneFieldWrong(JSON.parse(real[route.name]!)), async (body) => {
            await expectContract(route, body);
          }),
          runs,
        );
      });
      it("rejects an error status with any body", async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(400, 403, 404, 409, 500),
            fc.oneof(notJson, anyJson),
            async (status, body) => {
              await expectContract(route, body, { status, mustReject: true });
            },
          ),
          { numRuns: 10 },
        );
      });
    });
  }

  it("never quotes the service key, even from an answer that echoes it", async () => {
    const leaks: string[] = [];
    for (const route of ROUTES) {
      const { serviceAccount, serviceKey: key } = (route.name === "login" ? loginClient : client).connection
        .credentials;
      const echoes: [number, string][] = [
        [200, JSON.stringify({ email: serviceAccount, password: key })],
        [200, `invalid request: password=${key}`],
        [400, JSON.stringify({ code: 3, message: `invalid password ${key}`, details: [] })],
        [500, `panic: login ${serviceAccount} ${key}`],
      ];
      for (const [status, body] of echoes) {
        const mustReject = status !== 200 || !body.startsWith("{");
        const error = await expectContract(route, body, { status, mustReject, keyMayLeak: true });
        if (error?.message.includes(key)) leaks.push(`${route.name} ${status} ${body.slice(0, 40)}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  // The actuator is read without login, and a console that does not answer it as Bytebase does is used without it:
  // any 2xx that is not the actuator's answer, and a 404 or 501 (no such route), resolve to undefined; every other
  // error status rejects naming the operation.
  describe("actuator: GET /v1/actuator/info", () => {
    const read = async (body: string, status?: number) => {
      bb.faults.inject({ method: "GET", path: "/v1/actuator/info", body, status, times: 1 });
      try {
        return { value: await readActuator(bb.url, client.options) };
      } catch (error) {
        return { error: error as Error };
      } finally {
        bb.faults.clear();
      }
    };
    it("resolves with the version and external URL of the real answer", async () => {
      const real = await fetch(`${bb.url}/v1/actuator/info`).then((r) => r.text());
      expect(await read(real)).toEqual({
        value: {
          version: { text: "2.14.0", major: 2, minor: 14, patch: 0 },
          versionText: "2.14.0",
          externalUrl: "https://bytebase.example.com",
          // The workspace's id (ActuatorInfo.workspace_id): 3.16+ names the workspace parent by it.
          workspaceId: expect.any(String),
        },
      });
    });
    it("resolves to typed info or undefined for any 2xx body, and to undefined for a 404 or 501", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(200, 404, 501),
          fc.oneof(notJson, notAnObject, anyJson),
          async (status, body) => {
            const outcome = await read(body, status);
            expect(outcome.error?.message).toBeUndefined();
            const info = outcome.value;
            if (status !== 200) expect(info).toBeUndefined();
            if (info)
              expect([typeof info.versionText, typeof info.externalUrl]).toEqual(["string", "string"]);
          },
        ),
        { numRuns: 30 },
      );
    });
    it("rejects any other error status, naming the operation", async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(400, 401, 403, 409, 500), anyJson, async (status, body) => {
          const { error } = await read(body, status);
          expect(error?.message).toMatch(
            /^Reading the console's version and external URL failed: the console/,
          );
          expect(BROKEN.some((type) => error!.constructor === type)).toBe(false);
        }),
        { numRuns: 10 },
      );
    });
  });

  it("copes with huge answers and keeps its message short", async () => {
    const huge = "x".repeat(3_000_000);
    const evc = JSON.parse(real.get!) as Props;
    const bodies = [huge, JSON.stringify(huge), JSON.stringify({ ...evc, title: huge })];
    for (const route of ROUTES.filter((r) => r.name === "get" || r.name === "list"))
      for (const body of bodies) {
        const error = await expectContract(route, body, { mustReject: body === huge });
        if (error) expect(error.message.length).toBeLessThan(5_000);
      }
  });
});

// The access-token era's answers (Bytebase 2.15 - 3.4): 3.4.1 leaves empty fields out (server.go@3.4.1), a malformed
// 2xx names the era of the API asked, an unknown route of 3.x (`Routing error ...`, server.go@3.0.0) reads as a route
// the console lacks, and Bytebase's words about a connector's missing rows (vcs_connector_service.go@2.15.0 - @3.4.1)
// are read as what they are, not as a missing route.
describe("the console client against Bytebase 2.15 - 3.4 answers", () => {
  let c: StartedLocalConsole;
  let vcs: VcsProviderClient;
  let connectors: VcsConnectorClient;
  beforeAll(async () => {
    c = await startLocalConsole({ version: "3.4", rateLimit: false });
    const connection = new ConsoleConnection({
      url: c.url,
      serviceAccount: c.admin.email,
      serviceKey: c.admin.key,
    });
    vcs = new VcsProviderClient(connection);
    connectors = new VcsConnectorClient(connection);
    await vcs.create("gl", {
      title: "GitLab",
      type: "GITLAB",
      url: "https://gitlab.com",
      accessToken: c.git.issueToken("GITLAB").token,
    });
  });
  afterEach(() => c.faults.clear());
  afterAll(() => c?.close());

  it("reads 3.4's answers, which leave empty fields out, and needs none of them", async () => {
    expect(await vcs.get("gl")).toEqual({
      name: "vcsProviders/gl",
      title: "GitLab",
      type: "GITLAB",
      url: "https://gitlab.com",
      accessToken: "",
    });
    c.faults.inject({ method: "GET", path: "/v1/vcsProviders/bare", body: '{"name":"vcsProviders/bare"}' });
    expect(await vcs.get("bare")).toMatchObject({ name: "vcsProviders/bare", title: "", url: "" });
    const path = "/v1/vcsProviders/gl:searchRepositories";
    c.faults.inject({ method: "POST", path, body: '{"repositories":[{"id":"1"}]}' });
    expect(await connectors.searchRepositories("gl")).toEqual([
      { id: "1", title: "", fullPath: "", webUrl: "" },
    ]);
  });

  it("names the era of the API asked when a 2xx answer does not fit", async () => {
    c.faults.inject({ method: "GET", path: "/v1/vcsProviders/gl", body: "<html>login</html>" });
    const error = await vcs.get("gl").then(
      () => new Error("resolved"),
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(ConsoleAnswerError);
    expect(error.message).toContain("points at a Bytebase console (2.15 to 3.4)");
    expect(error.message).not.toContain("2.5 to 2.14");
    c.faults.inject({ method: "GET", path: "/v1/projects/p/vcsConnectors/x", body: "[]" });
    expect(
      (
        await connectors.get("p", "x").then(
          () => new Error("resolved"),
          (e: Error) => e,
        )
      ).message,
    ).toContain("(2.15 to 3.4)");
  });

  it("reads 3.x's `Routing error` 404 as a route the console lacks", async () => {
    const evc = new ConsoleClient(
      new ConsoleConnection({ url: c.url, serviceAccount: c.admin.email, serviceKey: c.admin.key }),
    );
    const error = await evc.get("101").then(
      () => new Error("resolved"),
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(ConsoleError);
    expect((error as ConsoleError).consoleMessage).toBe(
      "Routing error. Please check the request URI /v1/externalVersionControls/101",
    );
    expect(error.message).toContain("nothing at that address answers this request");
    expect(missingRoute(error, "the advice")?.message).toContain("(the advice)");
    expect(
      missingRoute(new ConsoleError("Reading", 404, 5, 'vcs connector "x" not found'), "a"),
    ).toBeUndefined();
  });

  it.each([
    "vcs provider gitlab-main not found",
    "vcs provider 101 not found",
    "cannot find the creator: 104",
  ])("reads %j as Bytebase's words about the connector's rows, not a missing route", async (message) => {
    const error = new ConsoleError("Deleting connector projects/p/vcsConnectors/db", 404, 5, message);
    expect(CONNECTOR_ROWS_MISSING.test(message)).toBe(true);
    expect(error.message).not.toContain("nothing at that address answers");
    expect(missingRoute(error, "advice")).toBeUndefined();
    const explained = await explainRows("projects/p/vcsConnectors/db", () => Promise.reject(error)).catch(
      (e: Error) => e,
    );
    expect(explained.message).toContain(
      message.startsWith("cannot") ? "but not the user who made it" : "but not the Git provider row it uses",
    );
  });
});
