package bus

import (
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
)

// A connection that stops answering without closing (a NAT or load balancer that forgot it) must
// be noticed by the heartbeat and replaced.
func TestRedisResumesAfterConnectionGoesSilent(t *testing.T) {
	redisURL := testRedisURL(t)
	u, err := url.Parse(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := startSilencingProxy(t, u.Host)
	u.Host = proxy.addr()

	prefix := testPrefix()
	quiet := newRedisForTest(t, u.String(), Options{Prefix: prefix})
	direct := newRedisForTest(t, redisURL, Options{Prefix: prefix})
	s := subscribe(t, quiet, "t")
	publish(t, direct, "t", "before")
	recv(t, s)

	proxy.silenceAll()
	expectDeliveryResumes(t, direct, s)
}

// silencingProxy forwards TCP to a target and can make the connections it holds swallow
// everything from then on while staying open.
type silencingProxy struct {
	l      net.Listener
	target string
	wg     sync.WaitGroup
	mu     sync.Mutex
	pairs  []*proxyPair
}

type proxyPair struct {
	client, server net.Conn
	silent         atomic.Bool
}

func startSilencingProxy(t *testing.T, target string) *silencingProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &silencingProxy{l: l, target: target}
	p.wg.Go(p.accept)
	t.Cleanup(p.close)
	return p
}

func (p *silencingProxy) addr() string { return p.l.Addr().String() }

func (p *silencingProxy) accept() {
	for {
		client, err := p.l.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = client.Close()
			continue
		}
		pair := &proxyPair{client: client, server: server}
		p.mu.Lock()
		p.pairs = append(p.pairs, pair)
		p.mu.Unlock()
		p.wg.Go(func() { pair.pipe(client, server) })
		p.wg.Go(func() { pair.pipe(server, client) })
	}
}

// pipe copies src to dst until either closes, dropping what it reads once the pair is silent.
func (pair *proxyPair) pipe(src, dst net.Conn) {
	defer pair.client.Close()
	defer pair.server.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		if pair.silent.Load() {
			continue
		}
		if _, err := dst.Write(buf[:n]); err != nil {
			return
		}
	}
}

// silenceAll makes every connection open now swallow all traffic; new ones work.
func (p *silencingProxy) silenceAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pair := range p.pairs {
		pair.silent.Store(true)
	}
}

func (p *silencingProxy) close() {
	_ = p.l.Close()
	p.mu.Lock()
	for _, pair := range p.pairs {
		_ = pair.client.Close()
		_ = pair.server.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}
