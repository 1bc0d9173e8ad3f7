// `tsx scripts/bytebase/compare.ts --version 3.4.1|2.14.1 [--loose]`: sends the same requests (probes.ts) to a real
// Bytebase (a server binary in the cache: server.ts) and to the local console of the same era, as their admin (or a Member) service account
// with the local console's fake Git providers as the Git side, and prints every answer that differs (status or body,
// URLs and keys replaced by placeholders). A tool for making the twin agree with the real thing.
import { startLocalConsole, type StartedLocalConsole } from "../../src/local-console";
import { call, login } from "./bootstrap";
import { startBytebase, type StartedBytebase } from "./server";
import { probes, type Probe } from "./probes";

interface Side {
  name: string;
  url: string;
  token: string;
  /** A service account with the workspace Member role (what every user holds through `allUsers`). */
  memberToken: string;
}

const MEMBER = "member-probe@service.bytebase.com";

/** A Member service account on the real server: created by the admin with no role of its own. */
async function realMember(real: StartedBytebase): Promise<string> {
  const admin = await login(real.url, real.admin);
  const body = { email: MEMBER, title: "member", userType: "SERVICE_ACCOUNT" };
  const created = await call(real.url, "POST", "v1/users", body, admin);
  return login(real.url, { email: MEMBER, secret: String(created.json.serviceKey) });
}

function normalize(text: string, replacements: Array<[string, string]>): string {
  let out = text;
  for (const [from, to] of replacements) if (from) out = out.split(from).join(to);
  return out
    .replace(/\b\d{4}-\d\d-\d\dT[\d:.]+Z\b/g, "<TIME>")
    .replace(/"(createTime|updateTime|etag)":"[^"]*"/g, '"$1":"<…>"');
}

const isEmpty = (v: unknown) => v === "" || (Array.isArray(v) && v.length === 0);

/** Sorted keys; `loose` also drops empty strings and arrays (3.4.1 leaves them out, earlier releases emit them). */
function canonical(text: string, loose: boolean): string {
  try {
    const sort = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sort)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.keys(v)
                .filter((k) => !(loose && isEmpty((v as Record<string, unknown>)[k])))
                .sort()
                .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
            )
          : v;
    return JSON.stringify(sort(JSON.parse(text)));
  } catch {
    return text.trim();
  }
}

async function twinMember(twin: StartedLocalConsole): Promise<string> {
  const member = twin.addServiceAccount(MEMBER, "member");
  return login(twin.url, { email: member.email, secret: member.key });
}

async function main(): Promise<void> {
  const i = process.argv.indexOf("--version");
  const version = i > 0 ? process.argv[i + 1]! : "3.4.1";
  const era = version.split(".").slice(0, 2).join(".");
  const loose = process.argv.includes("--loose");
  let real: StartedBytebase | undefined;
  let twin: StartedLocalConsole | undefined;
  try {
    twin = await startLocalConsole({ version, rateLimit: false });
    real = await startBytebase({ version });
    const sides: Side[] = [
      {
        name: `real ${version}`,
        url: real.url,
        token: await login(real.url, real.serviceAccount),
        memberToken: await realMember(real),
      },
      {
        name: `local console ${era}`,
        url: twin.url,
        token: await login(twin.url, { email: twin.admin.email, secret: twin.admin.key }),
        memberToken: await twinMember(twin),
      },
    ];
    const list: Probe[] = await probes(version, twin);
    const replace: Array<Array<[string, string]>> = [
      [
        [real.url, "<URL>"],
        [real.serviceAccount.secret, "<KEY>"],
        [real.serviceAccount.email, "<ACCOUNT>"],
      ],
      [
        [twin.url, "<URL>"],
        [twin.admin.key, "<KEY>"],
        [twin.admin.email, "<ACCOUNT>"],
      ],
    ];
    let same = 0;
    for (const p of list) {
      const answers = await Promise.all(
        sides.map(async (s, k) => {
          const a = await call(
            s.url,
            p.method,
            p.path,
            p.body,
            p.anonymous ? undefined : p.asMember ? s.memberToken : s.token,
          );
          return `${a.status} ${normalize(canonical(a.text, loose), replace[k]!)}`;
        }),
      );
      if (answers[0] === answers[1]) {
        same++;
        console.log(`same   ${p.method} ${p.path}: ${answers[0]!.slice(0, 160)}`);
      } else {
        console.log(`DIFFER ${p.method} ${p.path}${p.body ? ` ${JSON.stringify(p.body)}` : ""}`);
        sides.forEach((s, k) => console.log(`  ${s.name.padEnd(18)} ${answers[k]}`));
      }
    }
    console.log(`\n${same} of ${list.length} answers the same.`);
  } finally {
    await real?.stop();
    await twin?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
