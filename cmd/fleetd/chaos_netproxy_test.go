package main

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// busChaosProxy forwards TCP connections to a gateway; cut drops every connection and refuses
// new ones (accepted and closed at once) until heal.
type busChaosProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  map[net.Conn]bool
	cut    bool
}

func busChaosStartProxy(t *testing.T, target string) *busChaosProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &busChaosProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.drop() })
	go p.serve()
	return p
}

func (p *busChaosProxy) addr() string { return p.ln.Addr().String() }

func (p *busChaosProxy) serve() {
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(in)
	}
}

func (p *busChaosProxy) forward(in net.Conn) {
	if !p.track(in) {
		in.Close()
		return
	}
	out, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil || !p.track(out) {
		p.untrack(in)
		in.Close()
		if out != nil {
			out.Close()
		}
		return
	}
	pipe := func(dst, src net.Conn) {
		io.Copy(dst, src)
		dst.Close()
		src.Close()
		p.untrack(dst)
		p.untrack(src)
	}
	go pipe(out, in)
	pipe(in, out)
}

// track registers c unless the link is cut.
func (p *busChaosProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut {
		return false
	}
	p.conns[c] = true
	return true
}

func (p *busChaosProxy) untrack(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c)
}

// active returns how many connections pass through the proxy (two sockets each).
func (p *busChaosProxy) active() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns) / 2
}

// cutAll drops every connection and refuses new ones until heal.
func (p *busChaosProxy) cutAll() {
	p.mu.Lock()
	p.cut = true
	p.mu.Unlock()
	p.drop()
}

func (p *busChaosProxy) heal() {
	p.mu.Lock()
	p.cut = false
	p.mu.Unlock()
}

func (p *busChaosProxy) drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}
