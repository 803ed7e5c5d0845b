// Package gateway is the JT/T 808 TCP server: terminal sessions, registration and
// authentication, acknowledgements sent only after points are committed, and downlink commands.
package gateway

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"fleet/bus"
	"fleet/tracking"
)

// Config tunes the gateway; the zero value gets the defaults.
type Config struct {
	IdleTimeout  time.Duration // no complete frame for this long closes the connection; default 180 s
	WriteTimeout time.Duration // one write to a terminal; default 10 s
	MaxConns     int           // connections at once; default 20,000
	MaxBadFrames int           // consecutive undecodable frames before the connection is closed; default 20
	Logger       *slog.Logger
	Registry     prometheus.Registerer
}

// Server accepts terminal connections.
type Server struct {
	cfg     Config
	track   *tracking.Service
	bus     bus.Bus
	log     *slog.Logger
	m       *metrics
	conns   atomic.Int64
	mu      sync.Mutex
	byPhone map[string]*session // authenticated sessions by phone without leading zeros
	all     map[*session]struct{}
	ln      net.Listener
	wg      sync.WaitGroup
	closing atomic.Bool
}

// New returns a gateway that feeds t and takes downlink commands from b.
func New(t *tracking.Service, b bus.Bus, cfg Config) *Server {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 180 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = 20000
	}
	if cfg.MaxBadFrames <= 0 {
		cfg.MaxBadFrames = 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Server{cfg: cfg, track: t, bus: b, log: cfg.Logger, m: newMetrics(cfg.Registry),
		byPhone: map[string]*session{}, all: map[*session]struct{}{}}
}

// Serve accepts connections on ln until ctx ends or Close is called; it takes downlink commands
// from the bus meanwhile.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.ln = ln
	sub, err := s.bus.Subscribe(ctx, tracking.TopicDownlink)
	if err != nil {
		return err
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.downlinks(ctx, sub)
	}()
	go func() {
		<-ctx.Done()
		s.Close()
	}()
	defer sub.Close()
	var backoff time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.closing.Load() || errors.Is(err, net.ErrClosed) {
				return nil
			}
			// Out of file descriptors and the like: wait a little, as net/http does.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.log.Warn("jt808 accept", slog.Any("error", err))
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		if s.conns.Load() >= int64(s.cfg.MaxConns) {
			s.m.refused.Inc()
			c.Close()
			continue
		}
		s.conns.Add(1)
		s.m.conns.Inc()
		sess := newSession(s, c)
		s.mu.Lock()
		s.all[sess] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			sess.run(ctx)
			s.forget(sess)
			s.conns.Add(-1)
			s.m.conns.Dec()
		}()
	}
}

// Close stops accepting, closes every connection and waits for the sessions to end; points
// being committed finish first (their sessions wait for the commit before they notice).
func (s *Server) Close() {
	if !s.closing.CompareAndSwap(false, true) {
		return
	}
	if s.ln != nil {
		s.ln.Close()
	}
	s.mu.Lock()
	for sess := range s.all {
		sess.close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// Connections returns how many terminals are connected.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// bind makes sess the session of its phone, closing an older session of the same terminal (a
// terminal that reconnects from a new port replaces itself).
func (s *Server) bind(sess *session) {
	s.mu.Lock()
	old := s.byPhone[sess.phone]
	s.byPhone[sess.phone] = sess
	s.mu.Unlock()
	if old != nil && old != sess {
		s.m.replaced.Inc()
		old.close()
	}
}

func (s *Server) forget(sess *session) {
	s.mu.Lock()
	delete(s.all, sess)
	if sess.phone != "" && s.byPhone[sess.phone] == sess {
		delete(s.byPhone, sess.phone)
	}
	s.mu.Unlock()
}

func (s *Server) session(phone string) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byPhone[phone]
}
