// Benchmark 3: create + delete of one resource through the real host against the local console vs the same two
// console calls (POST, DELETE) made directly with undici: the host's and our runtime's overhead per resource.
import { startLocalConsole, type LocalConsole } from "pulumi-bytebase-gitops/local-console";
import { direct } from "./direct";
import { ourProvider, startHost, trivialProvider } from "./host";
import { compare, type Comparison } from "./stats";

const BODY = {
  title: "GitHub.com",
  type: "GITHUB",
  url: "https://github.com",
  applicationId: "Ov23liAbCdEfGhIjKlMn",
  secret: "0123456789abcdef0123456789abcdef01234567",
};
/** No credential probe: the run makes console calls only (verification is a Git provider's cost, not ours). */
const NEWS = {
  type: "GITHUB",
  applicationId: BODY.applicationId,
  secret: BODY.secret,
  verifyCredentials: false,
};

/** Providers already in the console for the second run. */
const PREFILLED = 200;

/** Console requests one run of `op` makes. */
async function callsOf(bb: LocalConsole, op: () => Promise<unknown>): Promise<string> {
  const before = bb.requests.length;
  await op();
  return bb.requests
    .slice(before)
    .map((r) => `${r.method} ${r.path.replace(/\d+$/, "{id}")}`)
    .join(", ");
}

export async function lifecycle(quick: boolean): Promise<Comparison[]> {
  const bb = await startLocalConsole();
  const [http, provider, trivial] = await Promise.all([direct(bb), ourProvider(), trivialProvider()]);
  const host = await startHost({
    "bytebase:url": bb.url,
    "bytebase:serviceAccount": bb.admin.email,
    "bytebase:serviceKey": bb.admin.key,
  });
  try {
    const checked = await host.check(provider, {}, NEWS);
    if (checked.failures.length) throw new Error(`inputs fail check: ${JSON.stringify(checked.failures)}`);
    const through = (p: string) => async () => {
      const { id, outs } = await host.create(p, checked.inputs);
      await host.delete(p, id, outs);
    };
    const subject = through(provider);
    const floor = async () => {
      const { name } = JSON.parse(await http.post("v1/externalVersionControls", BODY)) as { name: string };
      await http.delete(`v1/${name}`);
    };
    await subject(); // the first call logs in and reads the external URL (cached for the process)
    const calls = { subject: await callsOf(bb, subject), floor: await callsOf(bb, floor) };
    const plan = { warmup: 20, rounds: quick ? 6 : 12, perRound: 12 };
    const floorName = "POST + DELETE with undici";
    const empty = await compare(
      "create+delete via host",
      {
        subject,
        floor,
        floorName,
        note: `console calls per op: ours ${calls.subject}; floor ${calls.floor}`,
      },
      plan,
    );
    // The part of that overhead that is the host's own: the same two gRPC calls to a provider that does nothing.
    const hostAlone = await compare(
      "create+delete via host, no-op provider",
      { subject: through(trivial), floor, floorName, note: "the host's share: two gRPC calls, no console" },
      plan,
    );
    // Our create lists the console's providers first (to adopt a create whose answer was lost): its cost grows
    // with what the console already holds.
    const others = await Promise.all(
      Array.from({ length: PREFILLED }, (_, i) =>
        http.post("v1/externalVersionControls", { ...BODY, title: `Other ${i}`, applicationId: `Other${i}` }),
      ),
    );
    const full = await compare(
      `create+delete via host, ${PREFILLED} in console`,
      { subject, floor, floorName },
      plan,
    );
    for (const answer of others) await http.delete(`v1/${(JSON.parse(answer) as { name: string }).name}`);
    if (bb.listProviders().length) throw new Error("the benchmark left providers behind");
    return [empty, hostAlone, full];
  } finally {
    await host.close();
    await http.close();
    await bb.close();
  }
}
