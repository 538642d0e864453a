package main

import (
	"os"
	"testing"
)

// TestMain lets a test start the real program as a separate process by running its own
// binary again with DAGPLANNER_TEST_SERVE=1: the arguments are then the server's, and main
// runs instead of the tests (no go build in tests; see multiprocess_test.go).
func TestMain(m *testing.M) {
	if os.Getenv("DAGPLANNER_TEST_SERVE") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}
