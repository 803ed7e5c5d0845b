package bus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

// runSuite checks the behaviour every Bus shares.
func runSuite(t *testing.T, newBus newBusFunc) {
	cases := []struct {
		name string
		run  func(t *testing.T, newBus newBusFunc)
	}{
		{"published message reaches subscriber", testPublishSubscribe},
		{"message published right after Subscribe returns arrives", testSubscribeThenPublish},
		{"each subscription gets its topics only", testTopics},
		{"duplicate topics deliver once", testDuplicateTopics},
		{"every subscriber gets every message once, in order", testSeveralSubscribers},
		{"closed subscription gets nothing more", testUnsubscribe},
		{"topic can be subscribed again after its last subscription closed", testResubscribe},
		{"slow subscriber drops and counts, others get everything", testSlowSubscriber},
		{"concurrent publishers keep their own order", testConcurrentPublishers},
		{"Close closes subscriptions and is idempotent", testClose},
		{"Subscribe rejects no topic and empty topic", testSubscribeInvalid},
		{"Close leaves no goroutine behind", testNoLeak},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, newBus) })
	}
}

func testPublishSubscribe(t *testing.T, newBus newBusFunc) {
	b := newBus(t, Options{})
	if err := b.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	s := subscribe(t, b, "vehicle.position")
	publish(t, b, "vehicle.position", "hello")
	m := recv(t, s)
	want := Message{Topic: "vehicle.position", Data: []byte("hello"), Origin: b.InstanceID()}
	if m.Topic != want.Topic || string(m.Data) != string(want.Data) || m.Origin != want.Origin {
		t.Fatalf("got %+v, want %+v", m, want)
	}
	if b.InstanceID() == "" {
		t.Fatal("InstanceID is empty")
	}
}

func testSubscribeThenPublish(t *testing.T, newBus newBusFunc) {
	b := newBus(t, Options{})
	for i := range 20 {
		topic := "t" + strconv.Itoa(i)
		s := subscribe(t, b, topic)
		publish(t, b, topic, "x")
		if got := string(recv(t, s).Data); got != "x" {
			t.Fatalf("got %q, want %q", got, "x")
		}
	}
}

func testTopics(t *testing.T, newBus newBusFunc) {
	b := newBus(t, Options{})
	ab := subscribe(t, b, "a", "b")
	onlyB := subscribe(t, b, "b")
	publish(t, b, "a", "1")
	publish(t, b, "b", "2")
	publish(t, b, "c", "3")
	if got, want := recvData(t, ab, 2), []string{"1", "2"}; !slices.Equal(got, want) {
		t.Fatalf("a+b subscriber got %q, want %q", got, want)
	}
	if m := recv(t, onlyB); m.Topic != "b" || string(m.Data) != "2" {
		t.Fatalf("b subscriber got %q on %q, want %q on %q", m.Data, m.Topic, "2", "b")
	}
	expectNone(t, ab)
	expectNone(t, onlyB)
}

func testDuplicateTopics(t *testing.T, newBus newBusFunc) {
	b := newBus(t, Options{})
	s := subscribe(t, b, "a", "a")
	publish(t, b, "a", "1")
	recv(t, s)
	expectNone(t, s)
}

func testSeveralSubscribers(t *testing.T, newBus newBusFunc) {
	b := newBus(t, Options{})
	subs := []*Subscription{subscribe(t, b, "t"), subscribe(t, b, "t"), subscribe(t, b, "t")}
	want := seq("m", 100)
	for _, d := range want {
		publish(t, b, "t", d)
	}
	for i, s := range subs {
		if got := recvData(t, s, len(want)); !slices.Equal(got, want) {
			t.Fatalf("subscriber %d got %q, want %q", i, got, want)
		}
		expectNone(t, s)
	}
}

func testUnsubscribe(t *testing.T, newBus newBusFunc) {
	b := newBus(t, Options{})
	gone := subscribe(t, b, "t")
	stays := subscribe(t, b, "t")
	publish(t, b, "t", "before")
	recv(t, gone)
	recv(t, stays)

	gone.Close()
	gone.Close() // twice is fine
	expectClosed(t, gone)
	publish(t, b, "t", "after")
	if got := string(recv(t, stays).Data); got != "after" {
		t.Fatalf("remaining subscriber got %q, want %q", got, "after")
	}
}

func testResubscribe(t *testing.T, newBus newBusFunc) {
	b := newBus(t, Options{})
	for i := range 10 {
		s := subscribe(t, b, "t")
		publish(t, b, "t", strconv.Itoa(i))
		if got := string(recv(t, s).Data); got != strconv.Itoa(i) {
			t.Fatalf("round %d: got %q, want %q", i, got, strconv.Itoa(i))
		}
		s.Close()
	}
}

func testSlowSubscriber(t *testing.T, newBus newBusFunc) {
	const buffer, n = 4, 50
	b := newBus(t, Options{Buffer: buffer})
	slow := subscribe(t, b, "t")
	fast := subscribe(t, b, "t")
	// One message at a time, so fast never holds more than one while slow never reads.
	for i := range n {
		publish(t, b, "t", strconv.Itoa(i))
		if got := string(recv(t, fast).Data); got != strconv.Itoa(i) {
			t.Fatalf("fast subscriber got %q, want %q", got, strconv.Itoa(i))
		}
	}
	eventually(t, "slow subscriber counts its drops", func() bool { return slow.Dropped() == n-buffer })
	if got, want := recvData(t, slow, buffer), seq("", buffer); !slices.Equal(got, want) {
		t.Fatalf("slow subscriber kept %q, want the first %q", got, want)
	}
	expectNone(t, slow)
	if got := fast.Dropped(); got != 0 {
		t.Fatalf("fast subscriber dropped %d, want 0", got)
	}
}

func testConcurrentPublishers(t *testing.T, newBus newBusFunc) {
	const publishers, each = 4, 200 // fewer than the default buffer holds
	b := newBus(t, Options{})
	s := subscribe(t, b, "t")
	var wg sync.WaitGroup
	errs := make(chan error, publishers)
	for p := range publishers {
		wg.Go(func() {
			for i := range each {
				if err := b.Publish(context.Background(), "t", fmt.Appendf(nil, "%d/%d", p, i)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Publish: %v", err)
	}
	next := make([]int, publishers)
	for range publishers * each {
		pub, num, _ := strings.Cut(string(recv(t, s).Data), "/")
		p, _ := strconv.Atoi(pub)
		i, _ := strconv.Atoi(num)
		if i != next[p] {
			t.Fatalf("publisher %d: got message %d, want %d", p, i, next[p])
		}
		next[p]++
	}
	expectNone(t, s)
	if got := s.Dropped(); got != 0 {
		t.Fatalf("dropped %d, want 0", got)
	}
}

func testClose(t *testing.T, newBus newBusFunc) {
	b := newBus(t, Options{})
	s := subscribe(t, b, "t")
	publish(t, b, "t", "buffered")
	recv(t, s)
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	expectClosed(t, s)
	s.Close() // after the bus: still fine
	ctx := context.Background()
	if err := b.Publish(ctx, "t", []byte("x")); !errors.Is(err, ErrClosed) {
		t.Fatalf("Publish after Close: got %v, want ErrClosed", err)
	}
	if _, err := b.Subscribe(ctx, "t"); !errors.Is(err, ErrClosed) {
		t.Fatalf("Subscribe after Close: got %v, want ErrClosed", err)
	}
	if err := b.Ping(ctx); !errors.Is(err, ErrClosed) {
		t.Fatalf("Ping after Close: got %v, want ErrClosed", err)
	}
}

func testSubscribeInvalid(t *testing.T, newBus newBusFunc) {
	b := newBus(t, Options{})
	for _, topics := range [][]string{nil, {""}, {"a", ""}} {
		if s, err := b.Subscribe(context.Background(), topics...); err == nil {
			s.Close()
			t.Errorf("Subscribe(%q): got no error, want one", topics)
		}
	}
}

func testNoLeak(t *testing.T, newBus newBusFunc) {
	before := goleak.IgnoreCurrent()
	b := newBus(t, Options{})
	s := subscribe(t, b, "a", "b")
	subscribe(t, b, "b")
	publish(t, b, "a", "x")
	recv(t, s)
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	goleak.VerifyNone(t, before)
}
