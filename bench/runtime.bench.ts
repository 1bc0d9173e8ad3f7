// B3: create + read of 200 providers through the runtime in process (dist/runtime/gitops-provider/operations.js, connection from
// the environment, credentials verified at the fake Git provider) vs the same HTTP calls made with bare undici.
import type { StartedLocalConsole } from "pulumi-bytebase-gitops/local-console";
import { startLocalConsole } from "pulumi-bytebase-gitops/local-console";
import { request } from "undici";
import { direct, type Direct } from "./direct";
import { oauthEnv } from "./oauth";
import { repoRequire } from "./package";
import { callOf, tally, timedRow, type Row } from "./report";
import { compare } from "./stats";

type Runtime = typeof import("#dist/runtime/gitops-provider/operations");
type Catalog = typeof import("#dist/catalog");

const N = 200;
const GOAL = 1.25;

/** The floor's credential probe: the token-endpoint POST the verification makes (catalog `probe.request`). */
function prober(bb: StartedLocalConsole) {
  const spec = (repoRequire("./dist/catalog/index.js") as Catalog).specFor("GITHUB");
  const app = bb.demoApps.GITHUB;
  const url = new URL(new URL(spec.tokenUrl(spec.defaultInstanceUrl)).pathname, bb.oauth.url("GITHUB")).href;
  return async () => {
    const code = `bytebase-gitops-verify-${Date.now().toString(36)}`;
    const probe = spec.probe.request(app.applicationId, app.secret, code, app.callbackUrls[0]!);
    const answer = await request(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        ...probe.headers,
      },
      body: new URLSearchParams({ ...probe.form }).toString(),
    });
    return spec.probe.classify(answer.statusCode, (await answer.body.json()) as Record<string, unknown>);
  };
}

/** `n` runs of `one` timed together (ms per run); what they made is removed afterwards, untimed. */
function timed(http: Direct, one: () => Promise<string>) {
  return async () => {
    const made: string[] = [];
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) made.push(await one());
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    await Promise.all(made.map((id) => http.delete(`v1/externalVersionControls/${id}`)));
    return ms / N;
  };
}

/** The console requests one run of `op` makes per provider (the untimed cleanup's DELETEs left out). */
async function callsOf(bb: StartedLocalConsole, op: () => Promise<unknown>): Promise<string> {
  const before = bb.requests.length;
  await op();
  return tally(
    bb.requests
      .slice(before)
      .filter((r) => r.method !== "DELETE")
      .map(callOf),
    N,
  );
}

export async function runtimeBench(quick: boolean): Promise<Row[]> {
  // Per-request cost, subject and floor alike at full speed: Bytebase's rate limiter is off here (B5 has it on).
  const bb = await startLocalConsole({ rateLimit: false });
  const env = {
    ...oauthEnv(bb),
    BYTEBASE_URL: bb.url,
    BYTEBASE_SERVICE_ACCOUNT: bb.admin.email,
    BYTEBASE_SERVICE_KEY: bb.admin.key,
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env); // the runtime's connection when no stack config is set
  const runtime = repoRequire("./dist/runtime/gitops-provider/operations.js") as Runtime;
  const http = await direct(bb); // the floor's login, once
  try {
    const app = bb.demoApps.GITHUB;
    const news = {
      type: "GITHUB",
      applicationId: app.applicationId,
      secret: app.secret,
      callbackUrl: app.callbackUrls[0],
    };
    const checked = await runtime.check({}, news);
    if (checked.failures?.length) throw new Error(`inputs fail check: ${JSON.stringify(checked.failures)}`);
    const inputs = checked.inputs as Parameters<Runtime["create"]>[0];
    const body = {
      title: inputs.title,
      type: inputs.type,
      url: inputs.instanceUrl,
      applicationId: app.applicationId,
      secret: app.secret,
    };
    const probe = prober(bb);
    if ((await probe()) !== "good-client")
      throw new Error("the floor's probe does not reach the fake GitHub");
    await http.get("v1/settings"); // the floor's settings read, once

    const subject = timed(http, async () => {
      const { id, outs } = await runtime.create(inputs);
      await runtime.read(id, outs as Parameters<Runtime["read"]>[1]);
      return id;
    });
    const floor = timed(http, async () => {
      await probe();
      const { name } = JSON.parse(await http.post("v1/externalVersionControls", body)) as { name: string };
      await http.get(`v1/${name}`);
      return name.split("/").pop()!;
    });
    await subject(); // warms up, logs in, reads the external URL once (cached for the process)
    const calls = { subject: await callsOf(bb, subject), floor: await callsOf(bb, floor) };
    const result = await compare(
      `create+read, ${N} providers (in process)`,
      {
        subject,
        floor,
        floorName: "undici: token-endpoint probe, POST, GET per provider",
        note: `console requests per provider: ours ${calls.subject}; floor ${calls.floor}`,
      },
      { warmup: 2, rounds: quick ? 4 : 12, perRound: 2, selfTimed: true },
    );
    return [timedRow("B3", result, { text: `ratio <= ${GOAL}`, met: result.ratio <= GOAL })];
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await http.close();
    await bb.close();
  }
}
