package gateway_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"fleet/auth"
	"fleet/bus"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
	"fleet/tracking/gateway"
	"fleet/tracking/jt808"
)

// env is a gateway on a real TCP port, on a database with vehicles bound to terminal phones.
type env struct {
	t     *testing.T
	db    *store.DB
	bus   bus.Bus
	track *tracking.Service
	gw    *gateway.Server
	addr  string
}

func newEnv(t *testing.T, db *store.DB, cfg gateway.Config, phones ...string) *env {
	t.Helper()
	now := time.Now().UTC()
	for i, p := range phones {
		if err := db.Exec("INSERT INTO vehicles (plate, class, seats, energy, terminal_phone, pooled, status, created_at, updated_at) VALUES (?, 'general', 5, 'gasoline', ?, 1, 'available', ?, ?)",
			"赣K8"+strings.Repeat("0", 3)+string(rune('0'+i)), tracking.NormalizePhone(p), now, now).Error; err != nil {
			t.Fatal(err)
		}
	}
	e := &env{t: t, db: db, bus: bus.NewInProcess(bus.Options{})}
	var err error
	e.track, err = tracking.NewService(db, e.bus, tracking.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Logger == nil && testing.Verbose() {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	e.gw = gateway.New(e.track, e.bus, cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.gw.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done; e.track.Close(); e.bus.Close() })
	return e
}

// terminal is a JT/T 808 client over real TCP.
type terminal struct {
	t      *testing.T
	conn   net.Conn
	sc     *bufio.Scanner
	phone  jt808.Phone
	v2019  bool
	serial uint16
}

func (e *env) dial(phone string, v2019 bool) *terminal {
	e.t.Helper()
	c, err := net.Dial("tcp", e.addr)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	p, err := jt808.ParsePhone(phone)
	if err != nil {
		e.t.Fatal(err)
	}
	sc := bufio.NewScanner(c)
	sc.Buffer(make([]byte, 4096), jt808.MaxFrameLen+2)
	sc.Split(jt808.SplitFrames)
	return &terminal{t: e.t, conn: c, sc: sc, phone: p, v2019: v2019}
}

func (tm *terminal) send(msgID uint16, body []byte) uint16 {
	tm.t.Helper()
	tm.serial++
	frame, err := jt808.AppendFrame(nil, jt808.Header{MsgID: msgID, Phone: tm.phone, Serial: tm.serial, Version2019: tm.v2019}, body)
	if err != nil {
		tm.t.Fatal(err)
	}
	tm.write(frame)
	return tm.serial
}

func (tm *terminal) write(b []byte) {
	tm.t.Helper()
	if _, err := tm.conn.Write(b); err != nil {
		tm.t.Fatalf("write: %v", err)
	}
}

// read returns the next frame from the platform, failing after 5 s.
func (tm *terminal) read() jt808.Packet {
	tm.t.Helper()
	tm.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if !tm.sc.Scan() {
		tm.t.Fatalf("no frame from the platform: %v", tm.sc.Err())
	}
	p, err := jt808.DecodeFrame(nil, tm.sc.Bytes())
	if err != nil {
		tm.t.Fatalf("platform sent an undecodable frame: %v", err)
	}
	return p
}

// expectAck reads a 0x8001 and checks that it answers serial/msgID with result.
func (tm *terminal) expectAck(serial, msgID uint16, result byte) {
	tm.t.Helper()
	p := tm.read()
	if p.MsgID != jt808.MsgPlatformResponse {
		tm.t.Fatalf("got message 0x%04x, want 0x8001", p.MsgID)
	}
	r, err := jt808.ParseGeneralResponse(p.Body)
	if err != nil || r.Serial != serial || r.MsgID != msgID || r.Result != result {
		tm.t.Fatalf("0x8001 = %+v (%v), want serial %d id 0x%04x result %d", r, err, serial, msgID, result)
	}
}

// login registers and authenticates, returning the auth code.
func (tm *terminal) login() string {
	tm.t.Helper()
	s := tm.send(jt808.MsgRegister, jt808.AppendRegister(nil, jt808.Register{Province: 36, City: 900, Maker: "TEST", Model: "M1", TerminalID: "T1", PlateColor: 1, Plate: "赣K80000"}, tm.v2019))
	p := tm.read()
	if p.MsgID != jt808.MsgRegisterResponse {
		tm.t.Fatalf("got 0x%04x, want 0x8100", p.MsgID)
	}
	r, err := jt808.ParseRegisterResponse(p.Body)
	if err != nil || r.Serial != s || r.Result != 0 || r.AuthCode == "" {
		tm.t.Fatalf("0x8100 = %+v, %v", r, err)
	}
	s = tm.send(jt808.MsgAuth, jt808.AppendAuth(nil, jt808.Auth{Code: r.AuthCode, IMEI: "123456789012345", SoftwareVersion: "1.0"}, tm.v2019))
	tm.expectAck(s, jt808.MsgAuth, 0)
	return r.AuthCode
}

func location(at time.Time, lat, lng float64) *jt808.Location {
	return &jt808.Location{Status: jt808.StatusACC | jt808.StatusPositioned, Lat: lat, Lng: lng, SpeedKmh: 42.5, Course: 90,
		Altitude: 60, Time: at.Truncate(time.Second), Items: jt808.Items{Mileage: 1234.5, HasMileage: true}}
}

func stored(t *testing.T, db *store.DB, phone string) int64 {
	var n int64
	db.Raw("SELECT COUNT(*) FROM positions p JOIN vehicles v ON v.id = p.vehicle_id WHERE v.terminal_phone = ?", tracking.NormalizePhone(phone)).Scan(&n)
	return n
}

func TestRegisterAuthLocationBothVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, gateway.Config{}, "13907950001", "13907950002")
		for _, tc := range []struct {
			phone string
			v2019 bool
		}{{"013907950001", false}, {"00000000013907950002", true}} {
			tm := e.dial(tc.phone, tc.v2019)
			tm.login()
			s := tm.send(jt808.MsgLocation, jt808.AppendLocation(nil, location(time.Now().Add(-time.Minute), 27.8, 114.4)))
			// The ack comes after the commit: the point is already stored when it arrives.
			tm.expectAck(s, jt808.MsgLocation, 0)
			if n := stored(t, db, tc.phone); n != 1 {
				t.Fatalf("%s: stored %d points when acknowledged, want 1", tc.phone, n)
			}
			s = tm.send(jt808.MsgHeartbeat, nil)
			tm.expectAck(s, jt808.MsgHeartbeat, 0)
		}
		var mileage float64
		db.Raw("SELECT mileage_km FROM positions LIMIT 1").Scan(&mileage)
		if mileage != 1234.5 {
			t.Fatalf("mileage = %v, want 1234.5", mileage)
		}
	})
}

func TestUnknownTerminalAndUnauthenticatedLocation(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), gateway.Config{}, "13907950001")
	tm := e.dial("013999999999", false)
	s := tm.send(jt808.MsgRegister, jt808.AppendRegister(nil, jt808.Register{Plate: "赣K99999"}, false))
	p := tm.read()
	r, _ := jt808.ParseRegisterResponse(p.Body)
	if p.MsgID != jt808.MsgRegisterResponse || r.Serial != s || r.Result != 4 {
		t.Fatalf("unknown terminal: 0x%04x %+v, want 0x8100 result 4", p.MsgID, r)
	}
	// A location before authentication: result 1, nothing stored.
	tm2 := e.dial("013907950001", false)
	s = tm2.send(jt808.MsgLocation, jt808.AppendLocation(nil, location(time.Now(), 27.8, 114.4)))
	tm2.expectAck(s, jt808.MsgLocation, 1)
	// A wrong code: result 1 (register again).
	s = tm2.send(jt808.MsgAuth, jt808.AppendAuth(nil, jt808.Auth{Code: "guess"}, false))
	tm2.expectAck(s, jt808.MsgAuth, 1)
	if n := stored(t, e.db, "13907950001"); n != 0 {
		t.Fatalf("stored %d points of an unauthenticated terminal", n)
	}
	// An unknown message is answered "unsupported".
	tm2.login()
	s = tm2.send(0x0f01, []byte{1, 2, 3})
	tm2.expectAck(s, 0x0f01, 3)
}

func TestAuthCodeSurvivesReconnectAndReplacesOldSession(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), gateway.Config{}, "13907950001")
	first := e.dial("013907950001", false)
	code := first.login()
	// The terminal comes back from a new port and goes straight to authentication.
	second := e.dial("013907950001", false)
	s := second.send(jt808.MsgAuth, jt808.AppendAuth(nil, jt808.Auth{Code: code}, false))
	second.expectAck(s, jt808.MsgAuth, 0)
	// The old connection is closed by the platform.
	first.conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	if first.sc.Scan() {
		t.Fatalf("old session still open: got a frame")
	}
	deadline := time.Now().Add(2 * time.Second)
	for e.gw.Connections() != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := e.gw.Connections(); n != 1 {
		t.Fatalf("connections = %d after reconnect, want 1", n)
	}
}

func TestBadFramesAreDroppedNotFatal(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), gateway.Config{MaxBadFrames: 5}, "13907950001")
	tm := e.dial("013907950001", false)
	tm.login()
	good, _ := jt808.AppendFrame(nil, jt808.Header{MsgID: jt808.MsgHeartbeat, Phone: tm.phone, Serial: 77}, nil)
	badSum := append([]byte(nil), good...)
	badSum[len(badSum)-2] ^= 0xff // checksum
	tm.write(badSum)
	tm.write([]byte{0x7e, 0x7d, 0x03, 0x00, 0x7e}) // broken escape
	tm.write([]byte{0x7e, 0x02, 0x00, 0x7e})       // truncated
	tm.write(good)
	tm.expectAck(77, jt808.MsgHeartbeat, 0)
	// A stream of garbage closes the connection once it can no longer be trusted.
	for i := 0; i < 6; i++ {
		tm.write(badSum)
	}
	tm.conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	if tm.sc.Scan() {
		t.Fatal("connection still open after a stream of bad frames")
	}
}

func TestIdleAndSlowlorisConnectionsAreClosed(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), gateway.Config{IdleTimeout: 300 * time.Millisecond}, "13907950001")
	tm := e.dial("013907950001", false)
	frame, _ := jt808.AppendFrame(nil, jt808.Header{MsgID: jt808.MsgHeartbeat, Phone: tm.phone, Serial: 1}, nil)
	start := time.Now()
	closed := false
	for _, b := range frame { // one byte every 100 ms: a frame never completes in time
		if _, err := tm.conn.Write([]byte{b}); err != nil {
			closed = true
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	tm.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	if tm.sc.Scan() && !closed {
		p, _ := jt808.DecodeFrame(nil, tm.sc.Bytes())
		t.Fatalf("slow terminal got 0x%04x instead of being cut off", p.MsgID)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("slow connection held too long")
	}
}

// Real frames from other projects' test suites (../shared/jt808/REFERENCE.md §3.1): Traccar's
// Jt808ProtocolDecoderTest T10 (0x0200 with SOS, west longitude) and T15 (0x0704 blind-zone).
func TestRealFrames(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), gateway.Config{}, "094027587492", "014450376202")
	sub, _ := e.bus.Subscribe(context.Background(), tracking.TopicPositions)
	defer sub.Close()

	sos := e.dial("094027587492", false)
	sos.login()
	sos.write(mustHex(t, "7e0200002e094027587492000a000000010000000a03083db7001329f3000000140000130412164952010400000012360a0002341502cb0c20085c107e"))
	// Serial 10; SOS is cleared by acknowledgement: result 4 confirms the alarm.
	sos.expectAck(10, jt808.MsgLocation, 4)
	var lng float64
	e.db.Raw("SELECT lng FROM positions p JOIN vehicles v ON v.id = p.vehicle_id WHERE v.terminal_phone = '94027587492'").Scan(&lng)
	if lng >= 0 {
		t.Fatalf("stored lng %v, want west (negative)", lng)
	}

	blind := e.dial("014450376202", false)
	blind.login()
	blind.write(mustHex(t, "7e070400510144503762020002000101004c00040100000800030202301006f893e8001d00000095260817221812140400000000170200000104000036c9030200002504000000002a02000030011f31010eea04020c8300ef0400000000037e"))
	blind.expectAck(2, jt808.MsgBatch, 0)
	var blindFlag int
	e.db.Raw("SELECT blind FROM positions p JOIN vehicles v ON v.id = p.vehicle_id WHERE v.terminal_phone = '14450376202'").Scan(&blindFlag)
	if blindFlag != 1 {
		t.Fatalf("blind flag = %d, want 1", blindFlag)
	}
	// The SOS frame's point was published live; the blind-zone one as late (history only).
	var late []bool
	timeout := time.After(500 * time.Millisecond)
	for done := false; !done; {
		select {
		case m := <-sub.C():
			var pts []tracking.LivePoint
			json.Unmarshal(m.Data, &pts)
			for _, p := range pts {
				late = append(late, p.Late)
			}
		case <-timeout:
			done = true
		}
	}
	if len(late) != 2 || late[0] || !late[1] {
		t.Fatalf("published late flags %v, want [false true] (blind-zone points raise nothing live)", late)
	}
}

func TestDownlinkTextAndQuery(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), gateway.Config{}, "13907950001")
	tm := e.dial("013907950001", false)
	tm.login()
	var vid int64
	e.db.Raw("SELECT id FROM vehicles WHERE terminal_phone = '13907950001'").Scan(&vid)
	ctx := context.Background()
	cmd, err := e.track.SendCommand(ctx, auth.System, vid, tracking.CommandInput{Type: "text", Text: "请于9点前到县政府接人"})
	if err != nil {
		t.Fatal(err)
	}
	p := tm.read()
	if p.MsgID != jt808.MsgText {
		t.Fatalf("got 0x%04x, want 0x8300", p.MsgID)
	}
	txt, err := jt808.ParseText(p.Body, false)
	if err != nil || txt.Text != "请于9点前到县政府接人" {
		t.Fatalf("text = %+v, %v", txt, err)
	}
	s := tm.send(jt808.MsgTerminalResponse, jt808.AppendGeneralResponse(nil, jt808.GeneralResponse{Serial: p.Serial, MsgID: jt808.MsgText, Result: 0}))
	_ = s
	waitStatus(t, e, cmd.ID, tracking.CommandAnswered)

	q, _ := e.track.SendCommand(ctx, auth.System, vid, tracking.CommandInput{Type: "query"})
	p = tm.read()
	if p.MsgID != jt808.MsgLocationQuery {
		t.Fatalf("got 0x%04x, want 0x8201", p.MsgID)
	}
	s = tm.send(jt808.MsgLocationReply, jt808.AppendLocationReply(nil, &jt808.LocationReply{Serial: p.Serial, Location: *location(time.Now().Add(-10*time.Second), 27.81, 114.41)}))
	tm.expectAck(s, jt808.MsgLocationReply, 0)
	waitStatus(t, e, q.ID, tracking.CommandAnswered)
}

func waitStatus(t *testing.T, e *env, id int64, want string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	var status string
	for time.Now().Before(deadline) {
		e.db.Raw("SELECT status FROM terminal_commands WHERE id = ?", id).Scan(&status)
		if status == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("command %d status = %q, want %q", id, status, want)
}

func mustHex(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Many connections opened and dropped leave nothing behind: no session, no goroutine.
func TestConnectionChurnLeaksNothing(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), gateway.Config{}, "13907950001")
	before := runtime.NumGoroutine()
	n := 20000
	if testing.Short() {
		n = 2000
	}
	if v, err := strconv.Atoi(os.Getenv("FLEET_CHURN")); err == nil && v > 0 {
		n = v // scripts and long runs: FLEET_CHURN=100000
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		// Spread over several loopback source addresses, so that 100,000 closed client sockets
		// in TIME_WAIT do not exhaust one address's ephemeral ports.
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+i%8))}}
		c, err := d.Dial("tcp", e.addr)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		if i%2 == 0 {
			c.Write([]byte{0x7e, 0x00}) // half a frame, then gone
		}
		c.Close()
	}
	deadline := time.Now().Add(10 * time.Second)
	for (e.gw.Connections() != 0 || runtime.NumGoroutine() > before+5) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if c := e.gw.Connections(); c != 0 {
		t.Fatalf("%d connections still counted after %d were dropped", c, n)
	}
	if g := runtime.NumGoroutine(); g > before+5 {
		t.Fatalf("goroutines %d → %d after churn", before, g)
	}
	t.Logf("%d connections opened and dropped in %v", n, time.Since(start))
	// The gateway still serves.
	tm := e.dial("013907950001", false)
	tm.login()
}

// A terminal that floods heartbeats without reading its answers is disconnected; another
// terminal is answered all along.
func TestHeartbeatFloodDoesNotBlockOthers(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), gateway.Config{}, "13907950001", "13907950002")
	flood := e.dial("013907950001", false)
	flood.login()
	good := e.dial("013907950002", false)
	good.login()
	frame, _ := jt808.AppendFrame(nil, jt808.Header{MsgID: jt808.MsgHeartbeat, Phone: flood.phone, Serial: 9}, nil)
	burst := bytes.Repeat(frame, 2000)
	stop := make(chan struct{})
	cut := make(chan struct{})
	go func() {
		defer close(cut)
		for {
			select {
			case <-stop:
				return
			default:
			}
			flood.conn.SetWriteDeadline(time.Now().Add(time.Second))
			if _, err := flood.conn.Write(burst); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
				return
			}
		}
	}()
	defer close(stop)
	for i := 0; i < 20; i++ {
		s := good.send(jt808.MsgHeartbeat, nil)
		good.expectAck(s, jt808.MsgHeartbeat, 0)
	}
	// The flooder never reads its answers: its queue fills and the platform hangs up.
	select {
	case <-cut:
	case <-time.After(10 * time.Second):
		t.Fatal("a terminal that floods and never reads was not disconnected")
	}
}
