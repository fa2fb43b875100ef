//go:build tools

// Package tools pins actionlint's main package so `go mod tidy` keeps its dependencies
// in go.sum: the linter the tests run on the CI recipe's GitHub Actions workflow.
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
