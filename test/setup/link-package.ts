// Vitest global setup: makes `require("pulumi-bytebase-gitops/...")` resolve to this checkout (its built dist/)
// from anywhere in the repository, as it does for a user who installed the package: serialized providers,
// examples and the policy pack all load the package by name.
import { linkPackage } from "../../scripts/link-package.mjs";

export default function setup(): void {
  linkPackage();
}
