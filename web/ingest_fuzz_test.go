package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"fleet/store/storetest"
	"fleet/tracking"
)

// FuzzDeviceBatch posts arbitrary bytes as the body of POST /api/ingest/positions to the real
// handler, with a vehicle whose device token the seeds carry so some inputs authenticate. No input
// may panic or get a 5xx (a 503 would say the store failed: the input broke a write); every
// refusal is a JSON error; a 200 accounts for every position as stored or rejected. One server
// and database serve the whole run, so an input costs one HTTP round trip.
func FuzzDeviceBatch(f *testing.F) {
	e := newEnv(f, storetest.SQLite(f))
	admin := e.login("admin")
	var v struct{ ID int64 }
	decodeInto(f, admin.expect("POST", "/api/vehicles", map[string]any{"plate": "赣K30001", "class": "general",
		"seats": 5, "energy": "electric", "terminal_phone": "13800000009"}, 201), &v)
	var cred struct{ Device, Token string }
	decodeInto(f, admin.expect("POST", fmt.Sprintf("/api/vehicles/%d/device-token", v.ID), nil, 200), &cred)

	now := time.Now().UTC().Truncate(time.Second)
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	for _, s := range []string{
		`{"device":%q,"token":%q,"positions":[{"lat":27.8,"lng":114.4,"fixed_at":%q,"speed_kmh":30,"course":45,"altitude":52,"accuracy":8}]}`,
		`{"device":%q,"token":%q,"positions":[{"lat":0,"lng":0,"fixed_at":%q},{"lat":91,"lng":181,"fixed_at":"2026-01-01T00:00:00Z","speed_kmh":-1}]}`,
		`{"device":%q,"token":%q,"positions":[{"lat":27.8,"lng":114.4,"fixed_at":%q,"course":-1e300,"altitude":1e300,"speed_kmh":1e308}]}`,
		`{"device":%q,"token":%q,"positions":[{"lat":27.8,"fixed_at":%q}]}`,
		`{"device":%q,"token":"forged%s","positions":[{"lat":27.8,"lng":114.4,"fixed_at":%q}]}`,
		`{"device":%q,"token":%q,"positions":"many","x":%q}`,
	} {
		f.Add([]byte(fmt.Sprintf(s, cred.Device, cred.Token, at(-time.Minute))))
	}
	// The seeds authenticate: the fuzzer starts from inputs that reach the pipeline.
	ok := fmt.Sprintf(`{"device":%q,"token":%q,"positions":[{"lat":27.8,"lng":114.4,"fixed_at":%q}]}`, cred.Device, cred.Token, at(-2*time.Minute))
	if out := e.anon().expect("POST", "/api/ingest/positions", ok, 200); !bytes.Contains(out, []byte(`"stored":1`)) {
		f.Fatalf("a valid batch = %s, want one stored", out)
	}
	for _, s := range []string{``, `{}`, `[]`, `null`, `{"device":"1","token":"x","positions":[]}`, "{\"device\":\"\xff\"}", `{"device":"1"}{"device":"2"}`} {
		f.Add([]byte(s))
	}
	url := e.srv.URL + "/api/ingest/positions"
	hc := e.srv.Client()
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := hc.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatalf("POST: %v", err)
		}
		out, _ := io.ReadAll(res.Body)
		res.Body.Close()
		switch code := res.StatusCode; {
		case code == http.StatusOK:
			checkIngestAnswer(t, body, out)
		case code >= 500:
			t.Fatalf("%q = %d %s, want no 5xx", body, code, out)
		default:
			var ae apiError
			if json.Unmarshal(out, &ae) != nil || ae.Error.Code == "" {
				t.Fatalf("%q = %d %s, want a JSON error", body, code, out)
			}
		}
	})
}

// checkIngestAnswer checks that a 200 answer accounts for each position of body once.
func checkIngestAnswer(t *testing.T, body, out []byte) {
	var b tracking.DeviceBatch
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatalf("%q was accepted but does not decode: %v", body, err)
	}
	var r tracking.DeviceResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("answer %s: %v", out, err)
	}
	if r.Stored < 0 || r.Stored+len(r.Rejected) != len(b.Positions) {
		t.Fatalf("%q: stored %d + rejected %d, want %d positions", body, r.Stored, len(r.Rejected), len(b.Positions))
	}
}
