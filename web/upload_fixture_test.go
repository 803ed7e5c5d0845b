package web_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"fleet/approval"
	"fleet/approval/procurement"
	"fleet/auth"
	"fleet/canteen"
	"fleet/dispatch"
	"fleet/office"
	"fleet/store"
	"fleet/web"
)

// uploadWorld is the API with every module that takes a file, storing into one data folder deep
// inside root (so that "../" sequences would still land inside root), with TMPDIR inside root
// too: a walk of root sees every file an upload leaves anywhere.
type uploadWorld struct {
	e                   *env
	root, data          string
	staff, cook, office *client
	dish                int64
	pdfN                int // makes each accepted PDF's content, and so its stored file, new
}

func newUploadWorld(t *testing.T, db *store.DB) *uploadWorld {
	t.Helper()
	root := t.TempDir()
	w := &uploadWorld{root: root, data: filepath.Join(root, "a", "b", "c", "d", "e", "f", "data")}
	for _, d := range []string{w.data, filepath.Join(root, "tmp")} {
		must(t, os.MkdirAll(d, 0o750))
	}
	t.Setenv("TMPDIR", filepath.Join(root, "tmp")) // excelize and os.CreateTemp("") write here
	w.e = newUploadEnv(t, db, w.data)
	w.staff, w.cook, w.office = w.e.login("staff"), w.e.login("canteen_manager"), w.e.login("office_manager")
	w.dish = officeID(t, w.cook.expect("POST", "/api/canteen/dishes", map[string]any{"name": "红烧肉", "category": "meat", "price": 12}, 201))
	b := officeID(t, w.office.expect("POST", "/api/office/buildings", map[string]any{"name": "县行政中心", "address": "城关镇人民路1号",
		"floors": 5, "usable_area_m2": 2000}, 201))
	w.office.expect("POST", "/api/office/rooms", map[string]any{"building_id": b, "floor": 3, "number": "301", "area_m2": 24, "use": "office"}, 201)
	return w
}

// newUploadEnv is the API with procurement, the canteen and the office module on dataDir, and a
// small MaxBody so that each upload route's own limit shows.
func newUploadEnv(t *testing.T, db *store.DB, dataDir string) *env {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4, Throttle: auth.ThrottleConfig{SlowStep: time.Millisecond}})
	unit, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县财政局"})
	must(t, err)
	e := &env{t: t, auth: a, unitID: unit.ID, users: map[string]*auth.User{}}
	for _, role := range auth.Roles {
		e.users[role], err = a.CreateUser(ctx, auth.System, auth.UserInput{Username: "u_" + role, Password: pw, Name: role, Role: role, UnitID: unit.ID})
		must(t, err)
	}
	ap, err := approval.NewService(db, a, nil, approval.Options{})
	must(t, err)
	must(t, ap.EnsureDefaults(ctx))
	pr, err := procurement.NewService(db, ap, a, procurement.Options{DataDir: dataDir})
	must(t, err)
	must(t, pr.EnsureDefaults(ctx))
	cn, err := canteen.NewService(db, a, canteen.Options{DataDir: dataDir})
	must(t, err)
	of, err := office.NewService(db, ap, a, office.Options{})
	must(t, err)
	must(t, office.EnsureDefaults(ctx, ap, a))
	e.srv = httptest.NewServer(web.NewServer(web.Deps{Auth: a, Fleet: dispatch.NewService(db, a), Approval: ap, Procurement: pr,
		Canteen: cn, Office: of, DB: db, MaxBody: 4096}))
	t.Cleanup(e.srv.Close)
	return e
}

// hostileNames are file names a probing client sends; {ext} is the extension of the content.
var hostileNames = []struct{ label, name string }{
	{"unix traversal", "../../../etc/passwd"},
	{"deep traversal", "../../../../../../../../../pwned{ext}"},
	{"windows traversal", `..\..\windows\win.ini`},
	{"windows traversal with extension", `..\..\..\..\pwned{ext}`},
	{"absolute path", "/abs/path"},
	{"absolute path with extension", "/abs/path{ext}"},
	{"NUL", "a\x00b{ext}"},
	{"NUL before a second extension", "evil.html\x00{ext}"},
	{"CR LF and quotes", "a\"\r\nX-Injected: 1{ext}"},
	{"5000 characters", strings.Repeat("长", 4996) + "{ext}"},
	{"invalid UTF-8", "\xff\xfe{ext}"},
	{"overlong UTF-8 slash", "..\xc0\xaf..\xc0\xafetc{ext}"},
	{"empty", ""},
	{"dot", "."},
	{"dot dot", ".."},
	{"bidi override", "invoice\u202egnp{ext}"},
	{"trailing dots and spaces", "report{ext}. . ."},
	{"Chinese", "报价单（第1版）{ext}"},
}

// nameEncodings are the ways a client puts a name in the part's header: raw inside quotes (only
// quotes and backslashes escaped, as Go's multipart writer does; CR LF and NUL go as they are),
// and RFC 5987 percent-encoded, which delivers every byte of the name to the server.
var nameEncodings = []struct {
	label string
	enc   func(name string) string
}{
	{"quoted", func(n string) string {
		return `form-data; name="file"; filename="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(n) + `"`
	}},
	{"rfc5987", func(n string) string {
		return `form-data; name="file"; filename*=UTF-8''` + rfc5987(n)
	}},
}

// rfc5987 percent-encodes every byte of s but RFC 5987's attr-chars.
func rfc5987(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c < 0x80 && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)) || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// postPart posts one multipart part with the given Content-Disposition, exactly as given.
func (c *client) postPart(path, disposition string, content []byte) (*http.Response, []byte) {
	c.e.t.Helper()
	const boundary = "hostile-boundary-7MA4YWxkTrZu0gW"
	var body bytes.Buffer
	fmt.Fprintf(&body, "--%s\r\nContent-Disposition: %s\r\nContent-Type: application/pdf\r\n\r\n", boundary, disposition)
	body.Write(content)
	fmt.Fprintf(&body, "\r\n--%s--\r\n", boundary)
	return c.postRaw(path, "multipart/form-data; boundary="+boundary, body.Bytes())
}

// postRaw posts body with the session cookie and the CSRF header.
func (c *client) postRaw(path, contentType string, body []byte) (*http.Response, []byte) {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-CSRF-Token", c.csrf)
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res, out
}

// tree lists every entry under root (relative paths) with whether it is a regular file.
func tree(t *testing.T, root string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out[rel] = !d.IsDir()
		return nil
	})
	must(t, err)
	return out
}

// checkTree compares root after an upload with before: anything new lies inside the data
// folder, and a refused upload left no new file at all.
func (w *uploadWorld) checkTree(t *testing.T, before map[string]bool, refused bool) {
	t.Helper()
	dataRel, _ := filepath.Rel(w.root, w.data)
	for p, isFile := range tree(t, w.root) {
		if _, ok := before[p]; ok {
			continue
		}
		if p != dataRel && !strings.HasPrefix(p, dataRel+string(filepath.Separator)) {
			t.Errorf("the upload created %s outside FLEET_DATA_DIR", p)
		}
		if refused && isFile {
			t.Errorf("a refused upload left %s behind", p)
		}
	}
	for _, p := range []string{"/abs/path", "/abs/path.pdf", "/abs/path.png", "/etc/pwned.pdf", "/pwned.pdf"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s exists after the uploads", p)
		}
	}
}

// checkRefused: a 4xx whose JSON names the field file.
func checkRefused(t *testing.T, res *http.Response, body []byte) {
	t.Helper()
	if res.StatusCode < 400 || res.StatusCode >= 500 {
		t.Fatalf("status %d %.300s, want a 4xx", res.StatusCode, body)
	}
	if ae := errorOf(t, body); ae.Error.Fields["file"] == "" {
		t.Errorf("error %s does not name the field file", body)
	}
}

// checkStoredName: what the API shows back is one safe file name, not a path.
func checkStoredName(t *testing.T, name, ext string) {
	t.Helper()
	switch {
	case !utf8.ValidString(name), name == "", utf8.RuneCountInString(name) > 120:
		t.Errorf("stored name %q: want valid UTF-8 of 1 to 120 characters", name)
	case strings.ContainsAny(name, "/\\\"<>:|*?"), strings.HasPrefix(name, "."), strings.Contains(name, ".."):
		t.Errorf("stored name %q holds path or reserved characters", name)
	case !strings.HasSuffix(name, ext):
		t.Errorf("stored name %q does not end in %s, the extension of its content", name, ext)
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			t.Errorf("stored name %q holds the control or format character %U", name, r)
		}
	}
}

var quotedFilename = regexp.MustCompile(`filename="((?:[^"\\]|\\.)*)"`)

// checkDownload: an attachment comes back as a download of its stored type, never rendered, with
// a Content-Disposition that is one header line, an ASCII fallback without path parts, and the
// exact stored name in RFC 5987's filename*.
func checkDownload(t *testing.T, c *client, id int64, name, contentType string, content []byte) {
	t.Helper()
	res, out := c.do("GET", fmt.Sprintf("/api/attachments/%d", id), nil)
	h := res.Header
	if res.StatusCode != 200 || !bytes.Equal(out, content) {
		t.Fatalf("download = %d with %d bytes, want 200 with the %d bytes sent", res.StatusCode, len(out), len(content))
	}
	if got := h.Get("Content-Type"); got != contentType || strings.Contains(got, "html") {
		t.Errorf("Content-Type = %q, want %q", got, contentType)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("download headers %v, want nosniff and a sandbox CSP", h)
	}
	if h.Get("X-Injected") != "" {
		t.Errorf("the name injected a header: %v", h)
	}
	cd := h.Get("Content-Disposition")
	if strings.ContainsAny(cd, "\r\n\x00") {
		t.Fatalf("Content-Disposition %q holds a line break or NUL", cd)
	}
	disp, params, err := mime.ParseMediaType(cd)
	if err != nil || disp != "attachment" || params["filename"] != name {
		t.Errorf("Content-Disposition %q = %s %q (%v), want attachment with filename* %q", cd, disp, params["filename"], err, name)
	}
	m := quotedFilename.FindStringSubmatch(cd)
	if m == nil {
		t.Fatalf("Content-Disposition %q has no quoted ASCII filename", cd)
	}
	for _, r := range m[1] {
		if r < 0x20 || r > 0x7e || strings.ContainsRune(`/\"`, r) {
			t.Errorf("ASCII fallback %q holds %q", m[1], r)
		}
	}
}

// pngBytes is a 4×4 PNG; extra makes its content unique.
func pngBytes(t *testing.T, extra string) []byte {
	t.Helper()
	var b bytes.Buffer
	must(t, png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4))))
	return append(b.Bytes(), extra...)
}

// xlsxBytes is a real workbook with one cell.
func xlsxBytes(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must(t, f.SetCellValue("Sheet1", "A1", "办公用房台账"))
	b, err := f.WriteToBuffer()
	must(t, err)
	return b.Bytes()
}

// zipOf is a ZIP of the named parts; a part given as a size is that many spaces, compressed
// (a bomb: a few KiB that unpack to many MiB).
func zipOf(t *testing.T, parts map[string]any) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) { return flate.NewWriter(out, flate.BestSpeed) })
	for name, p := range parts {
		f, err := zw.Create(name)
		must(t, err)
		switch p := p.(type) {
		case string:
			io.WriteString(f, p)
		case int:
			spaces := bytes.Repeat([]byte(" "), 1<<20)
			for i := 0; i < p>>20; i++ {
				f.Write(spaces)
			}
		}
	}
	must(t, zw.Close())
	return b.Bytes()
}

// bombXLSX is a workbook whose sheet unpacks to 80 MiB of blanks.
func bombXLSX(t *testing.T) []byte {
	return zipOf(t, map[string]any{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"xl/workbook.xml": `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
			`<sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>`,
		"xl/worksheets/sheet1.xml": 80 << 20,
	})
}

const htmlPage = "<!DOCTYPE html><html><body><script>fetch('/api/me').then(r=>r.text()).then(alert)</script></body></html>"

// pdfOfSize is a PDF of exactly n bytes.
func pdfOfSize(n int) []byte {
	b := make([]byte, n)
	copy(b, "%PDF-1.7\n")
	return b
}

// pngOfSize is a PNG of exactly n bytes (a tiny image and padding after its end).
func pngOfSize(t *testing.T, n int) []byte {
	b := pngBytes(t, "")
	return append(b, make([]byte, n-len(b))...)
}
