// Benchmark 2: the provider's `check` through the real host (warm, and the cold first call that loads the runtime)
// vs a trivial provider in the same host; and `check` in process vs a bare zod parse of the same shape.
import { z } from "zod";
import * as runtime from "pulumi-bytebase-gitops/runtime";
import { ourProvider, startHost, trivialProvider } from "./host";
import { compare, type Comparison } from "./stats";

/** A well-formed resource, as a program declares it (connection from stack config). */
const GOOD = {
  type: "GITHUB",
  title: "GitHub.com",
  applicationId: "Ov23liAbCdEfGhIjKlMn",
  secret: "0123456789abcdef0123456789abcdef01234567",
  callbackUrl: "https://bytebase.example.com/oauth/callback",
  scopes: ["repo", "workflow"],
  verifyCredentials: true,
};
/** Three bad properties: the error path (zod issues, then one failure per property). */
const BAD = {
  ...GOOD,
  type: "GITHUB",
  applicationId: " x",
  scopes: ["repo", "wrkflow"],
  instanceUrl: "ftp://x",
};

/** The floor's schema: the same fields and types, no refinements, messages, unions or cross-property rules. */
const bare = z.strictObject({
  type: z.enum(["AZURE_DEVOPS", "BITBUCKET", "GITHUB", "GITLAB"]),
  applicationId: z.string(),
  secret: z.string(),
  title: z.string().optional(),
  instanceUrl: z.string().optional(),
  callbackUrl: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  verifyCredentials: z.boolean().optional(),
});

const CONFIG = {
  "bytebase:url": "http://127.0.0.1:9",
  "bytebase:serviceAccount": "a@b.c",
  "bytebase:serviceKey": "k",
};

export async function checkBenches(quick: boolean): Promise<Comparison[]> {
  const [ours, trivial] = await Promise.all([ourProvider(), trivialProvider()]);
  const results: Comparison[] = [];

  const host = await startHost(CONFIG);
  try {
    const failures = (await host.check(ours, {}, GOOD)).failures;
    if (failures.length) throw new Error(`the benchmark's inputs fail check: ${JSON.stringify(failures)}`);
    results.push(
      await compare(
        "check via host (gRPC), warm",
        {
          subject: () => host.check(ours, {}, GOOD),
          floor: () => host.check(trivial, {}, GOOD),
          floorName: "trivial provider, same host",
        },
        { warmup: 100, rounds: quick ? 6 : 16, perRound: 40 },
      ),
    );
  } finally {
    await host.close();
  }

  // A fresh host per sample; only the first Check is timed (deserialize, configure, require the runtime, check).
  const firstCheck = (provider: string) => async () => {
    const fresh = await startHost(CONFIG);
    try {
      const start = process.hrtime.bigint();
      await fresh.check(provider, {}, GOOD);
      return Number(process.hrtime.bigint() - start) / 1e6;
    } finally {
      await fresh.close();
    }
  };
  results.push(
    await compare(
      "check via host, cold (1st call)",
      { subject: firstCheck(ours), floor: firstCheck(trivial), floorName: "trivial provider, fresh host" },
      { warmup: 0, rounds: quick ? 2 : 4, perRound: 1, selfTimed: true },
    ),
  );

  const check = (news: Record<string, unknown>) => () => runtime.provider.check!({}, news);
  const plan = { warmup: 2000, rounds: quick ? 6 : 16, perRound: 20, batch: 50 };
  results.push(
    await compare(
      "check in process, valid inputs",
      {
        subject: check(GOOD),
        floor: () => bare.safeParse(GOOD),
        floorName: "bare zod safeParse, same shape",
      },
      plan,
    ),
    await compare(
      "check in process, 3 bad properties",
      { subject: check(BAD), floor: () => bare.safeParse(BAD), floorName: "bare zod safeParse, same shape" },
      plan,
    ),
  );
  return results;
}
