package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fleet/approval/procurement"
	"fleet/canteen"
	"fleet/store"
	"fleet/store/storetest"
)

// Hostile uploads: every route that takes a file (procurement attachments, dish photos, office
// ledger imports and reconciliations) gets file names that try to leave the data folder or break
// headers, and content that lies about its type. Whatever is accepted is stored inside
// FLEET_DATA_DIR under a safe name and typed by its content; whatever is refused is a 4xx naming
// the field "file" and leaves no row and no file behind.

// newPDF is a small PDF whose content no earlier upload had.
func (w *uploadWorld) newPDF() []byte {
	w.pdfN++
	return []byte(fmt.Sprintf("%%PDF-1.7\n%% upload %d\n%%%%EOF\n", w.pdfN))
}

// newRequest files a pending purchase request of u_staff and returns its path.
func (w *uploadWorld) newRequest(t *testing.T) string {
	t.Helper()
	out := w.staff.expect("POST", "/api/procurements", map[string]any{"kind": "goods", "title": "办公桌椅", "reason": "新增科室",
		"items": []map[string]any{{"name": "办公桌", "quantity": 2, "unit_price": 1200}}}, 201)
	return fmt.Sprintf("/api/procurements/%d", officeID(t, out))
}

type attachment struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
}

// attachments lists the attachments of the request at path.
func (w *uploadWorld) attachments(t *testing.T, path string) []attachment {
	t.Helper()
	var p struct {
		Attachments []attachment `json:"attachments"`
	}
	decodeInto(t, w.staff.expect("GET", path, nil, 200), &p)
	return p.Attachments
}

// attach uploads content to a new request and checks the outcome: refused (a 4xx naming file,
// no row, no file) or stored inside the data folder under a safe name, typed wantType by
// content, downloadable safely. It returns the stored name ("" when refused).
func (w *uploadWorld) attach(t *testing.T, disposition string, content []byte, wantType, ext string) string {
	t.Helper()
	path := w.newRequest(t)
	before := tree(t, w.root)
	res, out := w.staff.postPart(path+"/attachments", disposition, content)
	refused := res.StatusCode != 201
	w.checkTree(t, before, refused)
	atts := w.attachments(t, path)
	if refused {
		checkRefused(t, res, out)
		if len(atts) != 0 {
			t.Errorf("a refused upload left the row %+v", atts)
		}
		return ""
	}
	if len(atts) != 1 {
		t.Fatalf("attachments = %+v, want the one uploaded", atts)
	}
	a := atts[0]
	if a.ContentType != wantType {
		t.Errorf("content type = %q, want %q (by content)", a.ContentType, wantType)
	}
	checkStoredName(t, a.Name, ext)
	checkDownload(t, w.e.login("leader"), a.ID, a.Name, wantType, content)
	return a.Name
}

// Every hostile name, in both encodings, on a procurement attachment (PDF content).
func TestUploadHostileNamesOnAttachments(t *testing.T) {
	// Where the name decides the outcome: the stored name, or "" for a refusal.
	want := map[string]string{
		"unix traversal": "passwd.pdf", "deep traversal": "pwned.pdf", "windows traversal": "",
		"windows traversal with extension": "pwned.pdf", "absolute path": "path.pdf", "absolute path with extension": "path.pdf",
		"NUL": "ab.pdf", "NUL before a second extension": "evil.html.pdf", "CR LF and quotes": "a_X-Injected_ 1.pdf",
		"invalid UTF-8": "", "overlong UTF-8 slash": "", "empty": "附件.pdf", "dot": "附件.pdf", "dot dot": "附件.pdf",
		"bidi override": "invoicegnp.pdf", "trailing dots and spaces": "report.pdf", "Chinese": "报价单（第1版）.pdf",
		"5000 characters": strings.Repeat("长", 116) + ".pdf",
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newUploadWorld(t, db)
		for _, enc := range nameEncodings {
			for _, n := range hostileNames {
				t.Run(enc.label+"/"+n.label, func(t *testing.T) {
					name := strings.ReplaceAll(n.name, "{ext}", ".pdf")
					got := w.attach(t, enc.enc(name), w.newPDF(), "application/pdf", ".pdf")
					if exp, ok := want[n.label]; ok && enc.label == "rfc5987" && got != exp {
						t.Errorf("stored name = %q, want %q", got, exp)
					}
				})
			}
		}
	})
}

// Content that lies about its type, on a procurement attachment: the type is the content's, a
// disguise is refused, and the size limit is exact.
func TestUploadLyingContentOnAttachments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newUploadWorld(t, db)
		xlsx := xlsxBytes(t)
		quoted := nameEncodings[0].enc
		for _, tt := range []struct {
			label, name string
			content     []byte
			wantType    string // "" when refused
			ext         string
		}{
			{"HTML named .pdf", "x.pdf", []byte(htmlPage), "", ""},
			{"HTML named .html", "x.html", []byte(htmlPage), "", ""},
			{"SVG with a script named .png", "x.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "", ""},
			{"a program named .pdf", "x.pdf", append([]byte("MZ\x90\x00"), make([]byte, 64)...), "", ""},
			{"PNG named .pdf", "x.pdf", pngBytes(t, "a"), "", ""},
			{"PDF named .html", "x.html", w.newPDF(), "", ""},
			{"a plain ZIP named .xlsx", "x.xlsx", zipOf(t, map[string]any{"index.html": htmlPage}), "", ""},
			{"a truncated XLSX", "x.xlsx", xlsx[:len(xlsx)/2], "", ""},
			{"an empty file", "x.pdf", nil, "", ""},
			{"one byte over the limit", "x.pdf", pdfOfSize(procurement.MaxFileSize + 1), "", ""},
			{"exactly the limit", "x.pdf", pdfOfSize(procurement.MaxFileSize), "application/pdf", ".pdf"},
			{"a PDF that holds HTML", "x.pdf", append(w.newPDF(), htmlPage...), "application/pdf", ".pdf"},
			{"PNG without an extension", "scan", pngBytes(t, "b"), "image/png", ".png"},
			{"a real XLSX", "x.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"},
			// Stored as it is: the server only reads its directory, never unpacks it.
			{"an XLSX bomb", "x.xlsx", bombXLSX(t), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"},
		} {
			t.Run(tt.label, func(t *testing.T) {
				got := w.attach(t, quoted(tt.name), tt.content, tt.wantType, tt.ext)
				if (got == "") != (tt.wantType == "") {
					t.Errorf("stored as %q, want refused: %v", got, tt.wantType == "")
				}
			})
		}
	})
}

// photo uploads content as the dish's photo and checks the outcome as attach does: refused, or
// served as an image of its content's type that can do nothing but be shown.
func (w *uploadWorld) photo(t *testing.T, disposition string, content []byte, wantType string) bool {
	t.Helper()
	path := fmt.Sprintf("/api/canteen/dishes/%d", w.dish)
	was := w.cook.expect("GET", path, nil, 200)
	before := tree(t, w.root)
	res, out := w.cook.postPart(path+"/photo", disposition, content)
	refused := res.StatusCode != 200
	w.checkTree(t, before, refused)
	if refused {
		checkRefused(t, res, out)
		if now := w.cook.expect("GET", path, nil, 200); !bytes.Equal(now, was) {
			t.Errorf("a refused photo changed the dish: %s, was %s", now, was)
		}
		return false
	}
	var d struct {
		Photo string `json:"photo"`
	}
	decodeInto(t, out, &d)
	res, img := w.e.login("staff").do("GET", d.Photo, nil)
	h := res.Header
	if res.StatusCode != 200 || !bytes.Equal(img, content) || h.Get("Content-Type") != wantType {
		t.Fatalf("photo %s = %d %q (%d bytes), want %s with the bytes sent", d.Photo, res.StatusCode, h.Get("Content-Type"), len(img), wantType)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") || h.Get("X-Injected") != "" {
		t.Errorf("photo headers %v, want nosniff and a sandbox CSP", h)
	}
	return true
}

// Hostile names and lying content on a dish photo.
func TestUploadHostileDishPhotos(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newUploadWorld(t, db)
		for _, enc := range nameEncodings {
			for i, n := range hostileNames {
				t.Run(enc.label+"/"+n.label, func(t *testing.T) {
					w.photo(t, enc.enc(strings.ReplaceAll(n.name, "{ext}", ".png")), pngBytes(t, enc.label+fmt.Sprint(i)), "image/png")
				})
			}
		}
		quoted := nameEncodings[0].enc
		big := pngOfSize(t, canteen.MaxPhotoSize)
		for _, tt := range []struct {
			label, name string
			content     []byte
			wantType    string // "" when refused
		}{
			{"HTML named .jpg", "x.jpg", []byte(htmlPage), ""},
			{"SVG with a script named .png", "x.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), ""},
			{"PNG named .html", "x.html", pngBytes(t, "h"), ""},
			{"PNG named .jpg", "x.jpg", pngBytes(t, "j"), ""},
			{"an empty file", "x.png", nil, ""},
			{"one byte over the limit", "x.png", append(big, 0), ""},
			{"exactly the limit", "x.png", big, "image/png"},
			{"a PNG that holds HTML", "x.png", pngBytes(t, htmlPage), "image/png"},
		} {
			t.Run(tt.label, func(t *testing.T) {
				if got := w.photo(t, quoted(tt.name), tt.content, tt.wantType); got != (tt.wantType != "") {
					t.Errorf("stored = %v, want %v", got, tt.wantType != "")
				}
			})
		}
	})
}

// workbook posts a ledger workbook to import or reconcile and checks the outcome: refused with
// nothing imported and no file anywhere, or (reconcile) read without a file anywhere.
func (w *uploadWorld) workbook(t *testing.T, route, disposition string, content []byte) *http.Response {
	t.Helper()
	rooms := tripTotal(t, w.office.expect("GET", "/api/office/rooms", nil, 200))
	before := tree(t, w.root)
	var res *http.Response
	var out []byte
	if disposition == "" {
		res, out = w.office.postRaw(route, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", content)
	} else {
		res, out = w.office.postPart(route, disposition, content)
	}
	w.checkTree(t, before, true) // neither route keeps the file
	if res.StatusCode >= 400 {
		checkRefused(t, res, out)
	}
	if now := tripTotal(t, w.office.expect("GET", "/api/office/rooms", nil, 200)); now != rooms {
		t.Errorf("rooms = %d after the upload, were %d", now, rooms)
	}
	return res
}

// Hostile names and lying content on the office ledger's import and reconciliation.
func TestUploadHostileWorkbooks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newUploadWorld(t, db)
		_, ledger := w.office.do("GET", "/api/office/ledger.xlsx", nil)
		for _, enc := range nameEncodings {
			for _, n := range hostileNames {
				t.Run(enc.label+"/"+n.label, func(t *testing.T) {
					// The name plays no part: the ledger reconciles as under any name, unless a raw NUL
					// or line break broke the part's header (a 4xx naming file, checked by workbook).
					broken := enc.label == "quoted" && strings.ContainsAny(n.name, "\x00\r\n")
					if res := w.workbook(t, "/api/office/ledger/reconcile?unit_id="+fmt.Sprint(w.e.unitID), enc.enc(n.name), ledger); res.StatusCode != 200 && !broken {
						t.Errorf("reconcile = %d, want 200", res.StatusCode)
					}
				})
			}
		}
		quoted := nameEncodings[0].enc("台账.xlsx")
		for _, tt := range []struct {
			label, disposition string
			content            []byte
			status             int
		}{
			{"HTML", quoted, []byte(htmlPage), 400},
			{"a truncated XLSX", quoted, ledger[:len(ledger)/2], 400},
			{"a plain ZIP", quoted, zipOf(t, map[string]any{"index.html": htmlPage}), 400},
			{"an XLSX bomb", quoted, bombXLSX(t), 400},
			{"an empty file", quoted, nil, 400},
			{"an empty body", "", nil, 400},
			{"a body at the limit", "", make([]byte, 16<<20), 400},
			{"a body one byte over the limit", "", make([]byte, 16<<20+1), 413},
		} {
			for _, route := range []string{"/api/office/ledger/import", "/api/office/ledger/reconcile?unit_id=" + fmt.Sprint(w.e.unitID)} {
				t.Run(tt.label+route, func(t *testing.T) {
					if res := w.workbook(t, route, tt.disposition, tt.content); res.StatusCode != tt.status {
						t.Errorf("status = %d, want %d", res.StatusCode, tt.status)
					}
				})
			}
		}
	})
}
