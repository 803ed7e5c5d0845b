package web

import (
	"testing"

	"fleet/auth"
)

// FuzzWSClientMessage feeds arbitrary bytes, as any role, to the websocket client's message
// parser: it never panics, and a subscription it accepts names 1 to 4 known topics the role may
// follow and, if any, a bbox with min ≤ max inside ±180° longitude and ±90° latitude.
func FuzzWSClientMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"subscribe","topics":["positions"]}`,
		`{"type":"subscribe","topics":["positions","events"],"bbox":[114.2,27.6,114.6,28.0]}`,
		`{"type":"subscribe","topics":["tasks","approvals"],"bbox":null}`,
		`{"type":"subscribe","topics":["positions","events","tasks","approvals"],"bbox":[-180,-90,180,90]}`,
		`{"type":"subscribe","topics":["positions","positions","positions","positions","positions"]}`,
		`{"type":"subscribe","topics":[],"bbox":[1,2,3]}`,
		`{"type":"subscribe","topics":["positions"],"bbox":[114.6,27.6,114.2,28.0]}`,
		`{"type":"subscribe","topics":["positions"],"bbox":[1e400,0,0,0]}`,
		`{"type":"unsubscribe"}`,
		`{"type":"subscribe","topics":"positions"}`,
		`{"type":"subscribe","topics":["\xff\xfe"]}`,
		`[1,2]`, `null`, ``,
	} {
		for role := range auth.Roles {
			f.Add([]byte(s), uint8(role))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, role uint8) {
		actor := &auth.Actor{UserID: 1, Role: auth.Roles[int(role)%len(auth.Roles)], UnitID: 1}
		topics, box, problem := parseSubscribe(data, actor)
		if problem != "" {
			if topics != nil || box != nil {
				t.Fatalf("refused (%s) but returned topics %v, bbox %v", problem, topics, box)
			}
			return
		}
		if len(topics) < 1 || len(topics) > 4 {
			t.Fatalf("accepted %d topics from %q, want 1 to 4", len(topics), data)
		}
		for topic := range topics {
			perm, ok := topicPerm[topic]
			if !ok || !actor.Can(perm) {
				t.Fatalf("accepted topic %q for role %s from %q", topic, actor.Role, data)
			}
		}
		if box != nil && !(box[0] <= box[2] && box[1] <= box[3] &&
			box[0] >= -180 && box[2] <= 180 && box[1] >= -90 && box[3] <= 90) {
			t.Fatalf("accepted bbox %v from %q", *box, data)
		}
	})
}
