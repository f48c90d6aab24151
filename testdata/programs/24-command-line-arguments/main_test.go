package main

import "testing"

// TestMain runs the program inside a test binary: built from a file list
// (`go test -c main.go render.go main_test.go`), the package under test prints as
// command-line-arguments.
func TestMain(m *testing.M) {
	main()
}
