package console

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

const indexHTML = `<!doctype html><title>console</title><script type="module" src="/assets/index-abc123.js"></script>`

func builtFS() fstest.MapFS {
	return fstest.MapFS{
		"index.html":              {Data: []byte(indexHTML)},
		"assets/index-abc123.js":  {Data: []byte(`console.log("fleet")`)},
		"assets/index-abc123.css": {Data: []byte(`body{}`)},
		"favicon.svg":             {Data: []byte(`<svg/>`)},
		".gitkeep":                {Data: nil},
	}
}

func get(t *testing.T, h http.Handler, method, target string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBuiltConsole(t *testing.T) {
	h := newHandler(builtFS(), []byte("placeholder"))
	tests := []struct {
		name, path  string
		status      int
		body        string // substring; empty: not checked
		cache       string
		contentType string // prefix
	}{
		{"root is index.html", "/", 200, indexHTML, "no-cache", "text/html"},
		{"index.html itself", "/index.html", 200, indexHTML, "no-cache", "text/html"},
		{"client route", "/vehicles", 200, indexHTML, "no-cache", "text/html"},
		{"nested client route", "/m/driver", 200, indexHTML, "no-cache", "text/html"},
		{"client route with query", "/login?next=%2Fusers", 200, indexHTML, "no-cache", "text/html"},
		{"hashed script", "/assets/index-abc123.js", 200, `console.log("fleet")`, "public, max-age=31536000, immutable", "text/javascript"},
		{"hashed style", "/assets/index-abc123.css", 200, "body{}", "public, max-age=31536000, immutable", "text/css"},
		{"file at the root", "/favicon.svg", 200, "<svg/>", "no-cache", "image/svg+xml"},
		{"missing asset", "/assets/index-old.js", 404, "", "", ""},
		{"missing file with an extension", "/robots.txt", 404, "", "", ""},
		{"dot-file is not served", "/.gitkeep", 404, "", "", ""},
		{"assets folder is a route, not a listing", "/assets", 200, indexHTML, "no-cache", "text/html"},
		{"unknown API path", "/api/nothing", 404, "", "", ""},
		{"path climbing out", "/../../etc/passwd", 200, indexHTML, "no-cache", "text/html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, h, http.MethodGet, tt.path)
			if res.StatusCode != tt.status {
				t.Fatalf("GET %s: got status %d, want %d", tt.path, res.StatusCode, tt.status)
			}
			b := body(t, res)
			if tt.body != "" && !strings.Contains(b, tt.body) {
				t.Errorf("GET %s: got body %q, want it to contain %q", tt.path, b, tt.body)
			}
			if got := res.Header.Get("Cache-Control"); tt.cache != "" && got != tt.cache {
				t.Errorf("GET %s: got Cache-Control %q, want %q", tt.path, got, tt.cache)
			}
			if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, tt.contentType) {
				t.Errorf("GET %s: got Content-Type %q, want %q…", tt.path, got, tt.contentType)
			}
		})
	}
}

func TestIndexRevalidates(t *testing.T) {
	h := newHandler(builtFS(), nil)
	first := get(t, h, http.MethodGet, "/vehicles")
	tag := first.Header.Get("ETag")
	if tag == "" {
		t.Fatal("index.html: got no ETag, want one")
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("If-None-Match", tag)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("GET / with If-None-Match: got %d, want 304", rec.Code)
	}
}

func TestMethods(t *testing.T) {
	h := newHandler(builtFS(), nil)
	if res := get(t, h, http.MethodHead, "/units"); res.StatusCode != 200 || body(t, res) != "" {
		t.Errorf("HEAD /units: got %d, want 200 with no body", res.StatusCode)
	}
	res := get(t, h, http.MethodPost, "/vehicles")
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /vehicles: got %d, want 405", res.StatusCode)
	}
	if got := res.Header.Get("Allow"); got != "GET, HEAD" {
		t.Errorf("POST /vehicles: got Allow %q, want %q", got, "GET, HEAD")
	}
}

func TestPlaceholderWhenNotBuilt(t *testing.T) {
	h := newHandler(fstest.MapFS{".gitkeep": {}}, placeholder)
	for _, p := range []string{"/", "/vehicles", "/m/driver", "/assets/index-abc123.js"} {
		t.Run(p, func(t *testing.T) {
			res := get(t, h, http.MethodGet, p)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: got status %d, want 200", p, res.StatusCode)
			}
			if got := res.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
				t.Errorf("GET %s: got Content-Type %q, want text/html; charset=utf-8", p, got)
			}
			b := body(t, res)
			for _, want := range []string{"npm run build", "make run", "尚未构建", "not built"} {
				if !strings.Contains(b, want) {
					t.Errorf("GET %s: placeholder lacks %q", p, want)
				}
			}
		})
	}
}

// TestEmbedded checks the real embedded files agree with Built, whichever state dist/ is in.
func TestEmbedded(t *testing.T) {
	res := get(t, Handler(), http.MethodGet, "/vehicles")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /vehicles: got status %d, want 200", res.StatusCode)
	}
	b := body(t, res)
	isPlaceholder := strings.Contains(b, "npm run build")
	if Built() == isPlaceholder {
		t.Errorf("Built() = %v but the page served is the placeholder: %v", Built(), isPlaceholder)
	}
}
