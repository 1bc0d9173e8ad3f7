// A real Bytebase built here is the release it claims to be: GET /v1/actuator/info (no login) answers the tag's
// version and git commit (set at build time as Bytebase's scripts/build_bytebase.sh does), and the service account
// the harness created logs in with its key.
import { afterAll, beforeAll, expect, it } from "vitest";
import { call, login } from "../../scripts/bytebase/bootstrap";
import {
  describeRealBytebase,
  REAL_VERSIONS,
  startRealBytebase,
  type StartedBytebase,
} from "../harness/real-bytebase";

describeRealBytebase(REAL_VERSIONS, "actuator info", (v) => {
  let bb: StartedBytebase | undefined;
  beforeAll(async () => {
    bb = await startRealBytebase(v.version);
  }, 360_000);
  afterAll(async () => {
    await bb?.stop();
  }, 60_000);

  it("answers the tag's version and gitCommit, and the external URL it was started with", async () => {
    const info = await call(bb!.url, "GET", "v1/actuator/info");
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ version: v.version, gitCommit: v.commit, externalUrl: bb!.url });
  });

  it("lets the service account log in with its key", async () => {
    expect(bb!.serviceAccount.secret).toMatch(/^bbs_/);
    expect(bb!.serviceAccount.email).toMatch(/@service\.bytebase\.com$/);
    expect(await login(bb!.url, bb!.serviceAccount)).not.toBe("");
  });
});
