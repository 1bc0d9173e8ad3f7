// The ready GitOpsGuard policy pack: every GitOps policy at its default level; settings come from
// `--policy-pack-config` (see policy-config.json) or from the argument of gitopsGuardPolicies().
import { PolicyPack } from "@pulumi/policy";
import { GITOPS_GUARD, gitopsGuardPolicies } from "pulumi-bytebase-gitops/policy";

new PolicyPack(GITOPS_GUARD, {
  description:
    "Catches misconfigured Bytebase Git providers (OAuth apps, access tokens) and repository connectors before they reach the console.",
  policies: gitopsGuardPolicies(),
});
