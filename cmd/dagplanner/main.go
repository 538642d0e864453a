// Command dagplanner runs the Dagplanner web server and its management commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	// A registration rush makes much short-lived garbage: collecting less often saves CPU,
	// and the memory limit keeps the heap well below what a small server has. GOGC and
	// GOMEMLIMIT, when set, take precedence.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(150 << 20)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dagplanner:", err)
		os.Exit(1)
	}
}
