package bus

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// wait is how long a test waits for a message that should come.
const wait = 5 * time.Second

// quiet is how long a test waits to be sure a message does not come.
const quiet = 200 * time.Millisecond

// newBusFunc makes a bus for one test and closes it when the test ends.
type newBusFunc func(t *testing.T, opts Options) Bus

func subscribe(t *testing.T, b Bus, topics ...string) *Subscription {
	t.Helper()
	s, err := b.Subscribe(context.Background(), topics...)
	if err != nil {
		t.Fatalf("Subscribe(%q): %v", topics, err)
	}
	t.Cleanup(s.Close)
	return s
}

func publish(t *testing.T, b Bus, topic, data string) {
	t.Helper()
	if err := b.Publish(context.Background(), topic, []byte(data)); err != nil {
		t.Fatalf("Publish(%q, %q): %v", topic, data, err)
	}
}

// recv returns the next message of s, failing the test when none comes in time.
func recv(t *testing.T, s *Subscription) Message {
	t.Helper()
	select {
	case m, ok := <-s.C():
		if !ok {
			t.Fatalf("subscription %q closed, want a message", s.topics)
		}
		return m
	case <-time.After(wait):
		t.Fatalf("no message on %q after %s", s.topics, wait)
	}
	return Message{}
}

// recvData receives n messages and returns their payloads.
func recvData(t *testing.T, s *Subscription, n int) []string {
	t.Helper()
	got := make([]string, 0, n)
	for range n {
		got = append(got, string(recv(t, s).Data))
	}
	return got
}

// expectNone fails when s receives a message within quiet.
func expectNone(t *testing.T, s *Subscription) {
	t.Helper()
	select {
	case m, ok := <-s.C():
		if ok {
			t.Fatalf("got message %q on %q, want none", m.Data, m.Topic)
		}
	case <-time.After(quiet):
	}
}

// expectClosed fails unless C of s is closed once its buffered messages are read.
func expectClosed(t *testing.T, s *Subscription) {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case _, ok := <-s.C():
			if !ok {
				return
			}
		case <-deadline:
			t.Fatalf("subscription %q still open after %s", s.topics, wait)
		}
	}
}

// eventually polls cond until it holds or wait passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %s", what, wait)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func seq(prefix string, n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return s
}
