// The diy backend's stack lock, as the stand-in keeps it: `up`, `refresh` and `destroy` hold a lock file under
// `<backend>/.pulumi/locks/organization/<project>/<stack>/` while they run, refuse to start when another one is
// there (a run killed with SIGKILL leaves its lock), and `pulumi cancel` deletes them. pkg/backend/diy/lock.go
// (Lock, checkForLock, lockPath) and backend.go (Update, Refresh, Destroy, CancelCurrentUpdate) at v3.276.0.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import { CliError } from "./errors";
import type { StackContext } from "./context";
import { backendRoot } from "./workspace";

const lockDir = (ctx: StackContext) =>
  join(backendRoot(ctx.url), ".pulumi", "locks", "organization", ctx.project.name, ctx.stack);

/** lockURLForError: the backend's URL (with the no_tmp_dir query massageBlobPath adds) joined with the key. */
const lockUrl = (ctx: StackContext, file: string) => `file://${join(lockDir(ctx), file)}?no_tmp_dir=true`;

interface LockContent {
  pid: number;
  username: string;
  hostname: string;
  timestamp: string;
}

/** time.Format(time.RFC3339) of a UTC time: no fraction. */
const rfc3339 = (iso: string) => iso.replace(/\.\d+Z$/, "Z");

/** Takes the stack's lock, failing as checkForLock does when another is held; released when the process exits. */
export function lockStack(ctx: StackContext): void {
  const dir = lockDir(ctx);
  const held = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
  if (held.length) {
    const lines = held.map((file) => {
      const l = JSON.parse(readFileSync(join(dir, file), "utf8")) as LockContent;
      return `\n  ${lockUrl(ctx, file)}: created by ${l.username}@${l.hostname} (pid ${l.pid}) at ${rfc3339(l.timestamp)}`;
    });
    throw new CliError(
      `the stack is currently locked by ${held.length} lock(s). Either wait for the other process(es) to end or ` +
        `delete the lock file with \`pulumi cancel\`.${lines.join("")}`,
    );
  }
  mkdirSync(dir, { recursive: true });
  const own = join(dir, `${randomUUID()}.json`);
  const content: LockContent = {
    pid: process.pid,
    username: userInfo().username,
    hostname: hostname(),
    timestamp: new Date().toISOString(),
  };
  writeFileSync(own, JSON.stringify(content));
  // The deferred Unlock: any normal end of the command, a failure included (not a SIGKILL).
  process.on("exit", () => rmSync(own, { force: true }));
}

/** `pulumi cancel`: deletes every lock of the stack (CancelCurrentUpdate) and says so (cancel/cancel.go). */
export function cancelUpdate(ctx: StackContext): string {
  rmSync(lockDir(ctx), { recursive: true, force: true });
  return `The currently running update for '${ctx.stack}' has been canceled!`;
}
