// The Pulumi Kubernetes provider plugin (pulumi-resource-kubernetes), built from the Go module
// proxy because provider plugins cannot be downloaded here (issue 14: the workspace and adaptive
// programs applied to a real API server). Upstream's cmd/pulumi-resource-kubernetes embeds files
// its `go generate` writes; the build writes the same two next to this file first:
//   schema-embed.json             its schema.json with "version" set to the plugin's version
//   terraform-mapping-embed.json  its terraform-mapping.json
// and sets -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version to the version
// @pulumi/kubernetes asks for. go.mod replaces sdk/v4, which the provider's own go.mod takes from
// a sibling folder, with the published v4.24.0. Built by `npm run setup`
// (scripts/setup/pulumi-kubernetes.mjs), about 15 minutes on 2 cores the first time.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
