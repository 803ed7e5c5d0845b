// Package console embeds the built web console, or a placeholder page when it is not built.
package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// dist holds `npm run build` output; only dist/.gitkeep when the console is not built.
//
//go:embed all:dist
var dist embed.FS

//go:embed placeholder.html
var placeholder []byte

// Cache lifetimes: Vite names files under assets/ by content hash, so they never change;
// index.html names the current hashes, so browsers must revalidate it every time.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheRevalid   = "no-cache"
)

func distFS() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a valid path: cannot happen
	}
	return sub
}

// Built reports whether the binary holds a built console (dist/index.html).
func Built() bool {
	_, err := fs.Stat(distFS(), "index.html")
	return err == nil
}

// Handler serves the console as a single-page app: built files, and index.html for any
// client-side route (/vehicles, /m/driver). Without a built console it serves a page saying
// how to build it.
func Handler() http.Handler {
	return newHandler(distFS(), placeholder)
}

// newHandler serves the single-page app in fsys (index.html at its root), or page when
// fsys has no index.html.
func newHandler(fsys fs.FS, page []byte) http.Handler {
	index, err := fs.ReadFile(fsys, "index.html")
	if err != nil {
		return &spa{index: page, etag: etag(page)}
	}
	return &spa{fsys: fsys, index: index, etag: etag(index), built: true}
}

type spa struct {
	fsys  fs.FS  // nil when not built
	index []byte // index.html, or the placeholder page
	etag  string // of index
	built bool
}

func etag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}

func (s *spa) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	// An unknown API path is an API error, not a console page.
	if name == "api" || strings.HasPrefix(name, "api/") {
		http.NotFound(w, r)
		return
	}
	if !s.built {
		s.serveIndex(w, r)
		return
	}
	if name == "" || name == "index.html" {
		s.serveIndex(w, r)
		return
	}
	if s.serveFile(w, r, name) {
		return
	}
	// A missing asset or file (it has an extension) is a 404: answering HTML to a request
	// for a stale script would only confuse the browser.
	if strings.HasPrefix(name, "assets/") || strings.Contains(path.Base(name), ".") {
		http.NotFound(w, r)
		return
	}
	s.serveIndex(w, r)
}

func (s *spa) serveIndex(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", cacheRevalid)
	h.Set("ETag", s.etag)
	http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(s.index))
}

// serveFile serves a regular file of the build (not a dot-file such as .gitkeep) and
// reports whether there was one.
func (s *spa) serveFile(w http.ResponseWriter, r *http.Request, name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	f, err := s.fsys.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return false
	}
	content, ok := f.(io.ReadSeeker)
	if !ok {
		b, err := io.ReadAll(f)
		if err != nil {
			return false
		}
		content = bytes.NewReader(b)
	}
	if strings.HasPrefix(name, "assets/") {
		w.Header().Set("Cache-Control", cacheImmutable)
	} else {
		w.Header().Set("Cache-Control", cacheRevalid)
	}
	http.ServeContent(w, r, name, info.ModTime(), content)
	return true
}
