//go:build tools

// Pins the Pulumi CLI's main package in this module's go.mod, so that `go build
// github.com/pulumi/pulumi/pkg/v3/cmd/pulumi` builds it at the version go.mod names (scripts/pulumi-cli.sh).
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
