package mail

import (
	"io"
	"net"
	"sync"
	"testing"
)

// tcpCut is a TCP proxy to a server (PostgreSQL) that a test can cut: Cut closes every
// connection and refuses new ones until Mend, as a network fault or a restarted database
// would.
type tcpCut struct {
	l      net.Listener
	target string

	mu    sync.Mutex
	cut   bool
	conns map[net.Conn]struct{}
}

func startTCPCut(t *testing.T, target string) *tcpCut {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpCut{l: l, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() { l.Close(); p.Cut() })
	return p
}

// Addr is the address to connect to instead of the target's.
func (p *tcpCut) Addr() string { return p.l.Addr().String() }

func (p *tcpCut) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		go p.pipe(c)
	}
}

func (p *tcpCut) pipe(c net.Conn) {
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
func (p *tcpCut) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// Mend lets connections through again.
func (p *tcpCut) Mend() {
	p.mu.Lock()
	p.cut = false
	p.mu.Unlock()
}
