// examples/ci-gitops from its README on the Pulumi CLI stand-in (test/engine/bin/pulumi); the suite is
// ./ci-gitops-suite.ts, which real-cli-ci-gitops.test.ts runs on the real CLI.
import { standinExecutable } from "../harness/cli-lines";
import { ciGitopsSuite } from "./ci-gitops-suite";

ciGitopsSuite("the stand-in", standinExecutable);
