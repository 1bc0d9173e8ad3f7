// Links node_modules/pulumi-bytebase-gitops to this checkout, so the package resolves by name inside the repository.
import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export function linkPackage() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const link = join(root, "node_modules", "pulumi-bytebase-gitops");
  if (existsSync(link) || isDanglingLink(link)) {
    if (lstatSync(link).isSymbolicLink() && resolve(dirname(link), readlinkSync(link)) === root) return;
    rmSync(link, { recursive: true, force: true });
  }
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync("..", link, "dir");
}

function isDanglingLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) linkPackage();
