// The requests compare.ts sends to a real Bytebase and to the local console: each era's Git provider API (2.14:
// externalVersionControls with OAuth apps; 2.15 - 3.4: vcsProviders with access tokens and project connectors),
// its errors (not found, bad input, in use, unknown route, no or wrong credentials), in an order that works on both.
import type { StartedLocalConsole } from "../../src/local-console";

export interface Probe {
  method: string;
  path: string;
  body?: unknown;
  /** Sent without the service account's token. */
  anonymous?: boolean;
  /** Sent as a service account with the workspace Member role. */
  asMember?: boolean;
}

const common = (): Probe[] => [
  { method: "GET", path: "v1/no-such-route" },
  { method: "GET", path: "v1/vcsProviders", anonymous: true },
  {
    method: "POST",
    path: "v1/auth/login",
    body: { email: "nobody@service.bytebase.com", password: "bbs_wrong" },
    anonymous: true,
  },
];

function legacy(twin: StartedLocalConsole): Probe[] {
  const app = twin.demoApps.GITLAB;
  const evc = (id = "") => `v1/externalVersionControls${id}`;
  const body = {
    title: "gl",
    type: "GITLAB",
    url: twin.oauth.url("GITLAB"),
    applicationId: app.applicationId,
    secret: app.secret,
  };
  return [
    { method: "GET", path: evc() },
    { method: "POST", path: evc(), body },
    { method: "POST", path: evc(), body: { ...body, title: "" } },
    { method: "POST", path: evc(), body: { ...body, secret: "" } },
    { method: "GET", path: evc("/101") },
    { method: "GET", path: evc("/101"), asMember: true },
    { method: "POST", path: evc(), body, asMember: true },
    {
      method: "PATCH",
      path: `${evc("/101")}?update_mask=title`,
      body: { title: "by member" },
      asMember: true,
    },
    { method: "GET", path: "v1/settings/bb.workspace.profile", asMember: true },
    { method: "PUT", path: evc("/101"), body: {} },
    { method: "GET", path: evc("/999") },
    { method: "PATCH", path: `${evc("/101")}?update_mask=title`, body: { title: "gl renamed" } },
    { method: "PATCH", path: evc("/101"), body: { title: "gl body mask" } },
    { method: "PATCH", path: evc("/101"), body: { title: "x", bogus: 1 } },
    { method: "PATCH", path: `${evc("/101")}?update_mask=url`, body: { url: "https://elsewhere.example" } },
    { method: "GET", path: evc("/101/projects") },
    { method: "GET", path: "v1/settings/bb.workspace.profile" },
    { method: "DELETE", path: evc("/101") },
    { method: "DELETE", path: evc("/101") },
    { method: "GET", path: "v1/vcsProviders" },
  ];
}

async function tokenEra(version: string, twin: StartedLocalConsole): Promise<Probe[]> {
  const token = twin.git.issueToken("GITLAB", { repositories: ["platform/db"] }).token;
  const url = twin.oauth.url("GITLAB");
  const listed = await fetch(`${url}/api/v4/projects`, { headers: { authorization: `Bearer ${token}` } });
  const [repo] = (await listed.json()) as Array<{ id: number }>;
  const provider = { title: "gl", type: "GITLAB", url, accessToken: token };
  const vp = (rest = "") => `v1/vcsProviders${rest}`;
  const vc = (rest = "") => `v1/projects/default/vcsConnectors${rest}`;
  const connector = (baseDirectory: string, branch = "main") => ({
    title: "db",
    vcsProvider: "vcsProviders/gl",
    externalId: String(repo!.id),
    fullPath: "platform/db",
    webUrl: `${url}/platform/db`,
    branch,
    baseDirectory,
  });
  return [
    { method: "GET", path: "v1/externalVersionControls" },
    { method: "GET", path: vp() },
    { method: "POST", path: vp("?vcsProviderId=gl"), body: provider },
    { method: "POST", path: vp("?vcsProviderId=gl"), body: provider },
    { method: "POST", path: vp("?vcsProviderId=Bad_Id"), body: provider },
    { method: "POST", path: vp("?vcsProviderId=gl2"), body: { ...provider, title: "" } },
    { method: "POST", path: vp("?vcsProviderId=gl3"), body: { ...provider, accessToken: "glpat-wrong" } },
    { method: "POST", path: vp("?vcsProviderId=gl4"), body: { ...provider, bogus: 1 } },
    { method: "GET", path: vp("/gl") },
    { method: "GET", path: vp("/gl"), asMember: true },
    { method: "POST", path: vp("?vcsProviderId=member"), body: provider, asMember: true },
    { method: "PATCH", path: vp("/gl?update_mask=title"), body: { title: "by member" }, asMember: true },
    { method: "DELETE", path: vp("/gl"), asMember: true },
    { method: "PUT", path: vp("/gl"), body: {} },
    { method: "GET", path: vp("/nope") },
    { method: "PATCH", path: vp("/gl?update_mask=title"), body: { title: "gl renamed" } },
    { method: "PATCH", path: vp("/gl"), body: { title: "gl body mask" } },
    { method: "PATCH", path: vp("/nope?update_mask=title"), body: { title: "x" } },
    { method: "POST", path: vp("/gl:searchRepositories"), body: {} },
    { method: "POST", path: vc("?vcsConnectorId=bad"), body: connector("/db", "nope") },
    { method: "POST", path: vc("?vcsConnectorId=empty-dir"), body: connector("") },
    { method: "POST", path: vc("?vcsConnectorId=root-dir"), body: connector("/") },
    { method: "POST", path: vc("?vcsConnectorId=trailing"), body: connector("/db/") },
    { method: "POST", path: vc("?vcsConnectorId=Bad_Conn"), body: connector("/db") },
    { method: "POST", path: vc("?vcsConnectorId=main"), body: connector("/db") },
    { method: "POST", path: vc("?vcsConnectorId=main"), body: connector("/db") },
    { method: "GET", path: vc("/main") },
    { method: "GET", path: vc() },
    { method: "PATCH", path: vc("/main?update_mask=branch"), body: { branch: "nope" } },
    { method: "PATCH", path: vc("/main?update_mask=base_directory"), body: { baseDirectory: "no-slash" } },
    { method: "PATCH", path: vc("/main?update_mask=base_directory"), body: { baseDirectory: "/" } },
    { method: "PATCH", path: vc("/main?update_mask=title"), body: { title: "ignored?" } },
    { method: "DELETE", path: vp("/gl") },
    { method: "DELETE", path: vc("/main") },
    { method: "DELETE", path: vc("/Bad_Conn") },
    { method: "DELETE", path: vc("/main") },
    { method: "DELETE", path: vp("/gl") },
    { method: "DELETE", path: vp("/gl") },
  ];
}

export async function probes(version: string, twin: StartedLocalConsole): Promise<Probe[]> {
  return [...common(), ...(version.startsWith("2.14.") ? legacy(twin) : await tokenEra(version, twin))];
}
