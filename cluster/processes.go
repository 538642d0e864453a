package cluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Config says how to start the processes of a Cluster.
type Config struct {
	N       int      // number of processes
	Command []string // the program and its first arguments; --addr and --db are appended
	Args    []string // more arguments, after --addr and --db
	Env     []string // extra environment (KEY=value), on top of this process's own
	DB      string   // the database all processes share
	Dir     string   // where each process's log goes (dagplanner-<i>.log)
}

// Cluster is N Dagplanner processes on one database, each on a loopback port of its own
// that stays the same across restarts (nginx's upstream list does not change).
type Cluster struct {
	cfg   Config
	addrs []string
	mu    sync.Mutex
	procs []*exec.Cmd
	done  []chan error
}

// New reserves a port for each process; Start starts them.
func New(cfg Config) (*Cluster, error) {
	if cfg.N < 1 || len(cfg.Command) == 0 {
		return nil, errors.New("cluster: need at least one process and a command")
	}
	c := &Cluster{cfg: cfg, procs: make([]*exec.Cmd, cfg.N), done: make([]chan error, cfg.N)}
	for range cfg.N {
		addr, err := FreeAddr()
		if err != nil {
			return nil, err
		}
		c.addrs = append(c.addrs, addr)
	}
	return c, nil
}

// Addrs are the processes' host:port, in order.
func (c *Cluster) Addrs() []string { return append([]string(nil), c.addrs...) }

// URL is process i's own address, bypassing the proxy.
func (c *Cluster) URL(i int) string { return "http://" + c.addrs[i] }

// StartAll starts the processes one after another, each healthy before the next starts, so
// that only the first one migrates a fresh database (and loads the demo, if asked).
func (c *Cluster) StartAll(ctx context.Context) error {
	for i := range c.cfg.N {
		if err := c.Start(ctx, i); err != nil {
			return err
		}
	}
	return nil
}

// Start starts process i (again) and waits until its /healthz answers 200.
func (c *Cluster) Start(ctx context.Context, i int) error {
	log, err := os.OpenFile(c.LogPath(i), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer log.Close() // the child has its own copy
	args := append(append([]string(nil), c.cfg.Command[1:]...), "--addr", c.addrs[i], "--db", DSNFor(c.cfg.DB, i))
	cmd := exec.Command(c.cfg.Command[0], append(args, c.cfg.Args...)...)
	cmd.Env = append(os.Environ(), c.cfg.Env...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start process %d: %w", i, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	c.mu.Lock()
	c.procs[i], c.done[i] = cmd, done
	c.mu.Unlock()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := client.Get(c.URL(i) + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-done:
			done <- err
			return fmt.Errorf("process %d ended at start: %v; log %s", i, err, c.LogPath(i))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("process %d not healthy after 90 s; log %s", i, c.LogPath(i))
		}
	}
}

// Pid is process i's process id, 0 when it is not running.
func (c *Cluster) Pid(i int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.procs[i] == nil || c.procs[i].Process == nil {
		return 0
	}
	return c.procs[i].Process.Pid
}

// Kill sends process i SIGKILL, as a crash would, and waits until it is gone.
func (c *Cluster) Kill(i int) error {
	return c.signal(i, syscall.SIGKILL, 0)
}

// Restart kills process i and starts it again on the same port.
func (c *Cluster) Restart(ctx context.Context, i int) error {
	if err := c.Kill(i); err != nil {
		return err
	}
	return c.Start(ctx, i)
}

// Stop ends every process (SIGTERM, then SIGKILL after 15 s).
func (c *Cluster) Stop() {
	var wg sync.WaitGroup
	for i := range c.cfg.N {
		wg.Go(func() { c.signal(i, syscall.SIGTERM, 15*time.Second) })
	}
	wg.Wait()
}

// signal sends sig to process i and waits for it to end; after grace (when not 0) it kills.
func (c *Cluster) signal(i int, sig syscall.Signal, grace time.Duration) error {
	c.mu.Lock()
	cmd, done := c.procs[i], c.done[i]
	c.procs[i], c.done[i] = nil, nil
	c.mu.Unlock()
	if cmd == nil {
		return nil
	}
	if err := cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signal process %d: %w", i, err)
	}
	if grace == 0 {
		<-done
		return nil
	}
	select {
	case <-done:
	case <-time.After(grace):
		cmd.Process.Kill()
		<-done
	}
	return nil
}

// LogPath is the file that process i's output goes to.
func (c *Cluster) LogPath(i int) string {
	return filepath.Join(c.cfg.Dir, fmt.Sprintf("dagplanner-%d.log", i+1))
}

// AppName is the application_name process i uses on PostgreSQL: dagplanner-1, dagplanner-2…
func AppName(i int) string { return fmt.Sprintf("dagplanner-%d", i+1) }

// DSNFor is the DSN process i opens: on PostgreSQL with its application_name, so
// pg_stat_activity tells the processes' connections apart; a SQLite path as it is.
func DSNFor(dsn string, i int) string {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set("application_name", AppName(i))
	u.RawQuery = q.Encode()
	return u.String()
}

// FreeAddr returns a loopback address with a port that is free now.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
