// Links node_modules/pulumi-bytebase-gitops to this checkout, so the package resolves by name inside the repository.
import { lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export function linkPackage() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const link = join(root, "node_modules", "pulumi-bytebase-gitops");
  const existing = lstatSync(link, { throwIfNoEntry: false });
  if (existing) {
    if (existing.isSymbolicLink() && resolve(dirname(link), readlinkSync(link)) === root) return;
    rmSync(link, { recursive: true, force: true });
  }
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync("..", link, "dir");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) linkPackage();
