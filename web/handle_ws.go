package web

import (
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/gorilla/websocket"
)

var wsWriteBuffers sync.Pool

// handleWS upgrades a signed-in request (cookie, bearer header or ?token=) to a websocket whose
// client subscribes to topics. The Origin must be this host or one of allowed.
func handleWS(h *Hub, allowed []string) http.Handler {
	up := websocket.Upgrader{
		ReadBufferSize:  1024,
		WriteBufferSize: 4096,
		// A write buffer only while a frame is written, not for the life of each (mostly
		// idle) connection.
		WriteBufferPool: &wsWriteBuffers,
		CheckOrigin:     func(r *http.Request) bool { return originAllowed(r, allowed) },
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !originAllowed(r, allowed) {
			http.Error(w, `{"error":{"code":"forbidden","message":"cross-origin websocket refused"}}`, http.StatusForbidden)
			return
		}
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return // Upgrade has answered
		}
		c := &client{hub: h, conn: conn, actor: actor(r), send: make(chan []byte, wsQueue), done: make(chan struct{}),
			topics: map[string]bool{}, pending: map[int64][]byte{}}
		h.add(c)
		go c.writePump()
		c.readPump(r.Context())
		h.remove(c)
	})
}

// originAllowed accepts requests without an Origin (not from a browser), from this host, or
// from a configured origin.
func originAllowed(r *http.Request, allowed []string) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, a := range allowed {
		if strings.EqualFold(strings.TrimSuffix(a, "/"), o) {
			return true
		}
	}
	return false
}
