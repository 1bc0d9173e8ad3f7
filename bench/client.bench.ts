// Benchmark 1: ConsoleClient.get with a cached token vs a bare undici GET of the same URL (the client layer's cost).
import { startLocalConsole } from "pulumi-bytebase-gitops/local-console";
import { direct } from "./direct";
import { repoRequire } from "./package";
import { compare, type Comparison } from "./stats";

interface Client {
  get(id: string): Promise<{ name: string }>;
  create(p: { title: string; type: string; url: string; applicationId: string; secret: string }): Promise<{
    name: string;
  }>;
}
type ClientClass = new (creds: { url: string; serviceAccount: string; serviceKey: string }) => Client;

export async function clientRead(quick: boolean): Promise<Comparison[]> {
  const { ConsoleClient } = repoRequire("./dist/client/console-client.js") as { ConsoleClient: ClientClass };
  const bb = await startLocalConsole();
  const http = await direct(bb);
  try {
    const client = new ConsoleClient({
      url: bb.url,
      serviceAccount: bb.admin.email,
      serviceKey: bb.admin.key,
    });
    const { name } = await client.create({
      title: "Bench",
      type: "GITHUB",
      url: "https://github.com",
      applicationId: "Ov23liAbCdEfGhIjKlMn",
      secret: "0123456789abcdef0123456789abcdef01234567",
    });
    const id = name.split("/").pop()!;
    const path = `v1/externalVersionControls/${id}`;
    return [
      await compare(
        "client get (cached token)",
        {
          subject: () => client.get(id),
          floor: () => http.get(path),
          floorName: "undici request GET, same agent config",
        },
        { warmup: 300, rounds: quick ? 6 : 20, perRound: 100 },
      ),
    ];
  } finally {
    await http.close();
    await bb.close();
  }
}
