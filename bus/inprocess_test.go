package bus

import (
	"context"
	"testing"
)

func newInProcessForTest(t *testing.T, opts Options) Bus {
	b := NewInProcess(opts)
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func TestInProcess(t *testing.T) {
	runSuite(t, newInProcessForTest)
}

func TestInProcessPublishDoesNotAllocate(t *testing.T) {
	b := newInProcessForTest(t, Options{Buffer: 1})
	for range 10 {
		subscribe(t, b, "t")
	}
	ctx, data := context.Background(), []byte("x")
	allocs := testing.AllocsPerRun(1000, func() { _ = b.Publish(ctx, "t", data) })
	if allocs != 0 {
		t.Fatalf("Publish allocates %v times, want 0", allocs)
	}
}

func TestInstanceID(t *testing.T) {
	a, b := NewInProcess(Options{}), NewInProcess(Options{})
	defer a.Close()
	defer b.Close()
	if a.InstanceID() == b.InstanceID() {
		t.Fatalf("two buses share InstanceID %q, want distinct", a.InstanceID())
	}
	c := NewInProcess(Options{InstanceID: "fleetd-1"})
	defer c.Close()
	if got := c.InstanceID(); got != "fleetd-1" {
		t.Fatalf("InstanceID() = %q, want %q", got, "fleetd-1")
	}
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	b, err := Open(ctx, "", nil)
	if err != nil {
		t.Fatalf("Open(\"\"): %v", err)
	}
	defer b.Close()
	if _, ok := b.(*InProcess); !ok {
		t.Fatalf("Open(\"\") = %T, want *InProcess", b)
	}
	for _, url := range []string{"mysql://x", "redis://127.0.0.1:1/0"} {
		if b, err := Open(ctx, url, nil); err == nil {
			b.Close()
			t.Errorf("Open(%q): got no error, want one", url)
		}
	}
}
