// B1's foils, dynamic providers written the naive way (everything at module level, captured by the closure):
// `naiveProvider` captures our ConsoleClient and zod schema instances; `naiveSerializable` is the nearest variant
// that Pulumi can serialize at all (a hand-written client class, schemas built through the captured zod module).
import type * as pulumi from "@pulumi/pulumi";
import { request } from "undici";
import { z } from "zod";
import { repoRequire } from "./package";

type ClientModule = typeof import("#dist/client/external-version-controls");
type ConnectionModule = typeof import("#dist/client/connection");
const { ConsoleClient } = repoRequire("./dist/client/external-version-controls.js") as ClientModule;
const { ConsoleConnection } = repoRequire("./dist/client/connection.js") as ConnectionModule;

const TYPES = ["AZURE_DEVOPS", "BITBUCKET", "GITHUB", "GITLAB"] as const;
/** The schemas, built through the zod module: a closure holding a schema instance cannot be serialized. */
const inputsSchema = () =>
  z.strictObject({
    type: z.enum(TYPES),
    title: z.string().min(1),
    applicationId: z.string().min(1),
    secret: z.string().min(1),
    instanceUrl: z.url(),
    callbackUrl: z.url().optional(),
    scopes: z.array(z.string()).optional(),
  });
const outputsSchema = () => inputsSchema().extend({ name: z.string() });
type Inputs = z.output<ReturnType<typeof inputsSchema>>;

const credentials = {
  url: process.env.BYTEBASE_URL ?? "http://localhost:8080",
  serviceAccount: process.env.BYTEBASE_SERVICE_ACCOUNT ?? "pulumi@service.bytebase.com",
  serviceKey: process.env.BYTEBASE_SERVICE_KEY ?? "bbs_unset",
};

/** A console client as a provider author writes one in a hurry: login per call, JSON in and out. */
class NaiveConsoleClient {
  constructor(readonly creds: typeof credentials) {}
  private async call(method: "GET" | "POST" | "DELETE", path: string, body?: unknown, token?: string) {
    const answer = await request(`${this.creds.url}/${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (answer.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${answer.statusCode}`);
    return (await answer.body.json()) as { name: string; title: string; token: string };
  }
  private async token() {
    const login = { email: this.creds.serviceAccount, password: this.creds.serviceKey };
    return (await this.call("POST", "v1/auth/login", login)).token;
  }
  async create(body: unknown) {
    return this.call("POST", "v1/externalVersionControls", body, await this.token());
  }
  async get(id: string) {
    return this.call("GET", `v1/externalVersionControls/${id}`, undefined, await this.token());
  }
  async delete(id: string) {
    await this.call("DELETE", `v1/externalVersionControls/${id}`, undefined, await this.token());
  }
}

const body = (inputs: Inputs) => ({
  title: inputs.title,
  type: inputs.type,
  url: inputs.instanceUrl,
  applicationId: inputs.applicationId,
  secret: inputs.secret,
});

interface Client {
  create(request: ReturnType<typeof body>): Promise<{ name: string }>;
  get(id: string): Promise<{ title: string }>;
  delete(id: string): Promise<void>;
}

/** The provider's operations over a client and its two schemas. */
function naive(
  client: Client,
  schemas: { inputs: () => z.ZodType<Inputs>; outputs: () => z.ZodType<Inputs & { name: string }> },
): pulumi.dynamic.ResourceProvider {
  return {
    async check(_olds: unknown, news: unknown) {
      const parsed = schemas.inputs().safeParse(news);
      if (parsed.success) return { inputs: parsed.data };
      const failures = parsed.error.issues.map((i) => ({ property: i.path.join("."), reason: i.message }));
      return { inputs: news as Inputs, failures };
    },
    async diff(_id: string, olds: unknown, news: Inputs) {
      const old = schemas.outputs().parse(olds);
      const replaces = (["type", "instanceUrl"] as const).filter((k) => old[k] !== news[k]);
      const changed = (["title", "applicationId", "secret"] as const).some((k) => old[k] !== news[k]);
      return { changes: changed || replaces.length > 0, replaces };
    },
    async create(inputs: Inputs) {
      const created = await client.create(body(inputs));
      return { id: created.name.split("/").pop()!, outs: { ...inputs, name: created.name } };
    },
    async read(id: string, props: unknown) {
      const remote = await client.get(id);
      return { id, props: { ...schemas.outputs().parse(props), title: remote.title } };
    },
    async delete(id: string) {
      await client.delete(id);
    },
  };
}

const inputsInstance = inputsSchema();
const outputsInstance = outputsSchema();
/** Our ConsoleClient and two zod schema instances captured. */
export const naiveProvider = naive(new ConsoleClient(new ConsoleConnection(credentials)), {
  inputs: () => inputsInstance,
  outputs: () => outputsInstance,
});

/** A hand-written client captured (class and instance, credentials included) and the zod module. */
export const naiveSerializable = naive(new NaiveConsoleClient(credentials), {
  inputs: inputsSchema,
  outputs: outputsSchema,
});
