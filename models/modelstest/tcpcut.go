package modelstest

import (
	"io"
	"net"
	"sync"
	"testing"
)

// TCPCut is a TCP proxy to a server (PostgreSQL) that a test can cut: Cut closes every
// connection and refuses new ones until Mend, as a network fault or a restarted database
// would.
type TCPCut struct {
	l      net.Listener
	target string

	mu    sync.Mutex
	cut   bool
	conns map[net.Conn]struct{}
}

// StartTCPCut starts a proxy to target on a free loopback port; it closes with the test.
func StartTCPCut(t *testing.T, target string) *TCPCut {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &TCPCut{l: l, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() { l.Close(); p.Cut() })
	return p
}

// Addr is the address to connect to instead of the target's.
func (p *TCPCut) Addr() string { return p.l.Addr().String() }

func (p *TCPCut) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		go p.pipe(c)
	}
}

func (p *TCPCut) pipe(c net.Conn) {
	p.mu.Lock()
	cut := p.cut
	p.mu.Unlock()
	if cut {
		c.Close()
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[up] = struct{}{}, struct{}{}
	p.mu.Unlock()
	go func() { io.Copy(up, c); up.Close() }()
	io.Copy(c, up)
	c.Close()
}

// Cut closes every connection through the proxy and refuses new ones.
func (p *TCPCut) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// Mend lets connections through again.
func (p *TCPCut) Mend() {
	p.mu.Lock()
	p.cut = false
	p.mu.Unlock()
}
