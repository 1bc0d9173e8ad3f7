// examples/ci-gitops from its README on the real Pulumi CLI (the real tier: `npm run test:real`), skipped without
// `pulumi` on PATH; the suite is ./ci-gitops-suite.ts.
import { it } from "vitest";
import { realPulumiCli } from "../harness/cli-lines";
import { ciGitopsSuite } from "./ci-gitops-suite";

const real = realPulumiCli();
if (real) ciGitopsSuite("the real CLI", real);
else it.skip("examples/ci-gitops on the real CLI (skipped: pulumi not on PATH)", () => undefined);
