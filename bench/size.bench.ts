// B1: the `__provider` text every resource carries in its state, serialized as `dynamic.Resource` does: ours vs a
// naive provider that captures a console client and zod schemas (bytes, ratio); goal: ours under 2 KiB.
import { serializeProvider } from "../test/harness/provider-host";
import { ourProvider } from "./host";
import { naiveProvider, naiveSerializable } from "./naive-provider";
import type { Row } from "./report";

const PROVIDER_BUDGET = 2048;

/** The serialized text's bytes, or why it cannot be serialized. */
async function bytesOf(provider: Parameters<typeof serializeProvider>[0]): Promise<number | string> {
  try {
    return Buffer.byteLength(await serializeProvider(provider));
  } catch (error) {
    const lines = String((error as Error).message).split("\n");
    const why = lines.find((l) => /could not be serialized|not found|cannot/i.test(l)) ?? lines[0];
    return `cannot be serialized (${why?.trim()})`;
  }
}

export async function sizeBench(): Promise<Row[]> {
  const ours = Buffer.byteLength(await ourProvider());
  const vcs = Buffer.byteLength(await ourProvider("vcs"));
  const naive = await bytesOf(naiveSerializable);
  if (typeof naive === "string") throw new Error(`the naive provider ${naive}`);
  const literal = await bytesOf(naiveProvider);
  return [
    {
      id: "B1",
      name: "__provider per resource",
      unit: "bytes",
      subject: { median: ours },
      floor: { median: naive },
      floorName:
        "a naive provider: hand-written console client (with its credentials) + the zod module captured",
      ratio: ours / naive,
      goal: { text: `ours < ${PROVIDER_BUDGET} B`, met: ours < PROVIDER_BUDGET },
      note: `the same provider capturing our ConsoleClient and zod schema instances: ${typeof literal === "number" ? `${literal} B` : literal}`,
    },
    {
      id: "B1b",
      name: "__provider per VcsProvider",
      unit: "bytes",
      subject: { median: vcs },
      floor: { median: naive },
      floorName: "the naive provider of B1",
      ratio: vcs / naive,
      goal: { text: `ours < ${PROVIDER_BUDGET} B`, met: vcs < PROVIDER_BUDGET },
    },
  ];
}
