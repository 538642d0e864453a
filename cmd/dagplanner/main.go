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

// defaultMemoryLimit is the Go heap's soft limit unless GOMEMLIMIT says otherwise. The
// whole-venue pages (the door's first copy of 25,000 attendees, the paper door list) make
// hundreds of megabytes of short-lived garbage; with Go's default the process grew to 260 MB
// on them, with this limit the collector runs sooner and it stayed under 200 MB. It is soft:
// a process that really needs more (a large import) gets it, and only collects more often.
const defaultMemoryLimit = 150 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dagplanner:", err)
		os.Exit(1)
	}
}
