// B2: console requests (counts, not time) through @pulumi/pulumi's real dynamic-provider host against a fresh
// local console: an `up` of 100 new providers (check + create each, all at once) and a `preview` of 1,000
// unchanged ones (check + diff each, in a fresh host as a new `pulumi preview` starts one), for GitOpsProvider on a
// 2.14 console and VcsProvider on a 2.15 one; an `up` of one VcsProvider and 50 VcsConnectors on it; and a 3.21
// project's CI identities, service account and bindings.
import { startLocalConsole, type StartedLocalConsole } from "pulumi-bytebase-gitops/local-console";
import type { ProviderHost } from "../test/harness/provider-host";
import { ourProvider, startHost } from "./host";
import { countedOAuth, type CountedOAuth, type Endpoints } from "./oauth";
import { callOf, tally, type Row } from "./report";

const TYPES = ["AZURE_DEVOPS", "BITBUCKET", "GITHUB", "GITLAB"] as const;
const UP = 100;
const PREVIEW = 1000;
const CONNECTORS = 50;

/** Resource `i` of a program: the demo OAuth app of one of the four types (its credentials verified on create). */
function declared(bb: StartedLocalConsole, i: number): Record<string, unknown> {
  const type = TYPES[i % TYPES.length]!;
  const app = bb.demoApps[type];
  const callbackUrl = app.callbackUrls[0];
  return { type, title: `Git ${i}`, applicationId: app.applicationId, secret: app.secret, callbackUrl };
}

/** VcsProvider `i` of a program: a token of one of the four types, issued at its fake Git provider, verified on create. */
function declaredVcs(tokens: Record<string, string>, i: number): Record<string, unknown> {
  const type = TYPES[i % TYPES.length]!;
  return { resourceId: `git-${i}`, type, title: `Git ${i}`, accessToken: tokens[type] };
}

/** Runs `op` and returns the console's and the Git providers' requests it made. */
async function counted(bb: StartedLocalConsole, oauth: CountedOAuth, op: () => Promise<unknown>) {
  const [console0, oauth0] = [bb.requests.length, oauth.requests.length];
  await op();
  return { console: bb.requests.slice(console0).map(callOf), oauth: oauth.requests.slice(oauth0) };
}

/** Check then create, as the engine does for a new resource. */
async function up(host: ProviderHost, provider: string, news: Record<string, unknown>) {
  const checked = await host.check(provider, {}, news);
  if (checked.failures.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  return { inputs: checked.inputs, ...(await host.create(provider, checked.inputs)) };
}

function countRow(id: string, name: string, made: { console: string[]; oauth: string[] }, goal: number): Row {
  const n = made.console.length;
  const floor = Math.max(goal, 1); // a goal of no request at all: the ratio is the count itself
  return {
    id,
    name,
    unit: "requests",
    subject: { median: n },
    floor: { median: goal },
    floorName: "the goal",
    ratio: n / floor,
    goal: { text: `<= ${goal} requests`, met: n <= goal, gate: true },
    note: `console: ${tally(made.console)}; Git providers (not counted): ${tally(made.oauth)}`,
  };
}

/** A fresh console, its fake providers behind counting proxies, and `run` given a host factory. */
async function inWorld<T>(
  run: (bb: StartedLocalConsole, oauth: CountedOAuth, host: () => Promise<ProviderHost>) => Promise<T>,
  era: { version: string; endpoints: Endpoints } = {
    version: "2.14",
    endpoints: "BYTEBASE_GITOPS_OAUTH_URL_",
  },
) {
  // Counts of the requests our code makes: Bytebase's rate limiter (on by default) would add its 429s (B5 has it on).
  const bb = await startLocalConsole({ rateLimit: false, version: era.version });
  const oauth = await countedOAuth(bb, era.endpoints);
  const hosts: ProviderHost[] = [];
  const host = async () => {
    const started = await startHost(bb, oauth.env);
    hosts.push(started);
    return started;
  };
  try {
    return await run(bb, oauth, host);
  } finally {
    await Promise.all(hosts.map((h) => h.close()));
    await oauth.close();
    await bb.close();
  }
}

export async function requestsBench(): Promise<Row[]> {
  const provider = await ourProvider();
  const upRow = await inWorld(async (bb, oauth, host) => {
    const h = await host();
    const made = await counted(bb, oauth, () =>
      Promise.all(Array.from({ length: UP }, (_, i) => up(h, provider, declared(bb, i)))),
    );
    if (bb.listProviders().length !== UP)
      throw new Error(`the up made ${bb.listProviders().length} providers`);
    // One actuator read (version and external URL, no login), one login, one list (leftovers of an interrupted
    // run), one create each.
    return countRow("B2a", `up: ${UP} new providers (host)`, made, UP + 3);
  });
  const previewRow = await inWorld(async (bb, oauth, host) => {
    const setup = await host();
    const created = await Promise.all(
      Array.from({ length: PREVIEW }, (_, i) => up(setup, provider, declared(bb, i))),
    );
    const preview = await host(); // a new `pulumi preview`: a new host process
    const diffs: string[] = [];
    const made = await counted(bb, oauth, () =>
      Promise.all(
        created.map(async ({ id, inputs, outs }) => {
          const checked = await preview.check(provider, inputs, inputs);
          if (checked.failures.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
          diffs.push((await preview.diff(provider, id, outs, checked.inputs)).changes);
        }),
      ),
    );
    const changed = diffs.filter((d) => d !== "none").length;
    if (changed) throw new Error(`the preview found ${changed} of ${PREVIEW} unchanged providers changed`);
    return countRow("B2b", `preview: ${PREVIEW} unchanged (host)`, made, 1);
  });
  return [upRow, previewRow, ...(await vcsRequestsBench()), await ciRequestsRow()];
}

/** B2c/B2d: the same for VcsProvider on a 2.15 console (tokens verified at the Git provider, not counted). */
async function vcsRequestsBench(): Promise<Row[]> {
  const provider = await ourProvider("vcs");
  const era = { version: "2.15", endpoints: "BYTEBASE_GITOPS_API_URL_" } as const;
  const tokens = (bb: StartedLocalConsole) =>
    Object.fromEntries(TYPES.map((t) => [t, bb.git.issueToken(t).token]));
  const upRow = await inWorld(async (bb, oauth, host) => {
    const [h, issued] = [await host(), tokens(bb)];
    const made = await counted(bb, oauth, () =>
      Promise.all(Array.from({ length: UP }, (_, i) => up(h, provider, declaredVcs(issued, i)))),
    );
    if (bb.vcs.providers().length !== UP)
      throw new Error(`the up made ${bb.vcs.providers().length} providers`);
    // One actuator read (the version gate, no login), one login, one create each.
    return countRow("B2c", `up: ${UP} new VcsProviders (host)`, made, UP + 2);
  }, era);
  const previewRow = await inWorld(async (bb, oauth, host) => {
    const [setup, issued] = [await host(), tokens(bb)];
    const created = await Promise.all(
      Array.from({ length: PREVIEW }, (_, i) => up(setup, provider, declaredVcs(issued, i))),
    );
    const preview = await host();
    let changed = 0;
    const made = await counted(bb, oauth, () =>
      Promise.all(
        created.map(async ({ id, inputs, outs }) => {
          const checked = await preview.check(provider, inputs, inputs);
          if (checked.failures.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
          if ((await preview.diff(provider, id, outs, checked.inputs)).changes !== "none") changed++;
        }),
      ),
    );
    if (changed) throw new Error(`the preview found ${changed} of ${PREVIEW} unchanged VcsProviders changed`);
    // Check and Diff of a VcsProvider need nothing from the console.
    return countRow("B2d", `preview: ${PREVIEW} unchanged VcsProviders (host)`, made, 0);
  }, era);
  const connector = await ourProvider("connector");
  const connectorRow = await inWorld(async (bb, oauth, host) => {
    const h = await host();
    bb.vcs.addProject("payments");
    const repositories = Array.from({ length: CONNECTORS }, (_, i) => `platform/db-${i}`);
    const token = bb.git.issueToken("GITLAB", { repositories }).token;
    const made = await counted(bb, oauth, async () => {
      const made = await up(h, provider, { resourceId: "gitlab-com", type: "GITLAB", accessToken: token });
      const vcsProvider = made.outs.name;
      await Promise.all(
        repositories.map((repository, i) =>
          up(h, connector, {
            project: "payments",
            resourceId: `db-${i}`,
            vcsProvider,
            repository,
            branch: "main",
          }),
        ),
      );
    });
    if (bb.vcs.connectors().length !== CONNECTORS)
      throw new Error(`the up made ${bb.vcs.connectors().length} connectors`);
    // One actuator read and one login for both resources, the provider's create (its answer tells the type, which
    // decides a connector's externalId), one repository search for all the connectors; per connector its create.
    return countRow("B2e", `up: a VcsProvider and ${CONNECTORS} VcsConnectors (host)`, made, 4 + CONNECTORS);
  }, era);
  return [upRow, previewRow, connectorRow];
}

/**
 * B2f: an `up` of one project's CI principals on a 3.21 console: 2 WorkloadIdentities and 1 ServiceAccount at once,
 * then a ProjectIamMember for each at once (they name the principals' member outputs).
 */
async function ciRequestsRow(): Promise<Row> {
  const identity = await ourProvider("workloadIdentity");
  const account = await ourProvider("serviceAccount");
  const member = await ourProvider("projectIamMember");
  return inWorld(
    async (bb, oauth, host) => {
      const h = await host();
      bb.vcs.addProject("shop");
      const declare = (id: string, subject: Record<string, unknown>) => ({
        workloadIdentityId: id,
        project: "shop",
        provider: "GITHUB",
        audiences: ["bytebase"],
        subject: { repository: "acme/shop", ...subject },
      });
      const made = await counted(bb, oauth, async () => {
        const principals = await Promise.all([
          up(h, identity, declare("check", { pullRequest: true })),
          up(h, identity, declare("deploy", { environment: "prod" })),
          up(h, account, { serviceAccountId: "ci", project: "shop" }),
        ]);
        const roles = ["roles/projectDeveloper", "roles/gitopsServiceAgent", "roles/gitopsServiceAgent"];
        await Promise.all(
          principals.map((p, i) => up(h, member, { project: "shop", role: roles[i], member: p.outs.member })),
        );
      });
      // One actuator read and one login; a create per principal; per binding its read, its write and the read that
      // confirms it (the writes to one project go one at a time: setIamPolicy replaces the whole policy).
      return countRow(
        "B2f",
        "up: 2 identities, 1 service account, 3 bindings of a 3.21 project (host)",
        made,
        14,
      );
    },
    { version: "3.21", endpoints: "BYTEBASE_GITOPS_API_URL_" },
  );
}
