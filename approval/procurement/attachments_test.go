package procurement_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fleet"
	"fleet/approval"
	"fleet/approval/procurement"
	"fleet/store"
	"fleet/store/storetest"
)

// pdf is a small PDF whose bytes differ by n.
func pdf(n int) []byte { return []byte(fmt.Sprintf("%%PDF-1.7\n%% quote %d\n%%%%EOF\n", n)) }

// files lists what is stored under the attachments folder (blobs and any leftover temporary files).
func files(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(filepath.Join(dir, "attachments"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

func TestAttachments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		p := f.create("staffA", goods("打印机", 1, 2999))
		attach := func(who, name string, content []byte) (*procurement.Attachment, error) {
			return f.svc.AddAttachment(ctx, f.as(who), p.ID, name, bytes.NewReader(content))
		}

		a, err := attach("staffA", "报价单.pdf", pdf(1))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(pdf(1))
		if a.SHA256 != hex.EncodeToString(sum[:]) || a.ContentType != "application/pdf" || a.Size != int64(len(pdf(1))) || a.Name != "报价单.pdf" {
			t.Errorf("attachment %+v", a)
		}
		want := filepath.Join("attachments", a.SHA256[:2], a.SHA256)
		if got := files(t, f.dataDir); len(got) != 1 || got[0] != want {
			t.Fatalf("stored files %v, want [%s]", got, want)
		}
		// The same content again is a second attachment of one stored file.
		b, err := attach("staffA", "../../etc/报价单副本.pdf", pdf(1))
		if err != nil {
			t.Fatal(err)
		}
		if b.SHA256 != a.SHA256 || b.Name != "报价单副本.pdf" || b.ID == a.ID {
			t.Errorf("second attachment %+v", b)
		}
		if got := files(t, f.dataDir); len(got) != 1 {
			t.Errorf("stored files %v, want one (deduplicated)", got)
		}

		refusals := []struct {
			name, who, file string
			content         []byte
			code, field     string
		}{
			{"another unit's staff", "staffB", "x.pdf", pdf(2), fleet.EForbidden, ""},
			{"the approver", "leaderA", "x.pdf", pdf(2), fleet.EForbidden, ""},
			{"html disguised as pdf", "staffA", "报价单.pdf", []byte("<html><script>alert(1)</script></html>"), fleet.EInvalid, "file"},
			{"png named pdf", "staffA", "报价单.pdf", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), fleet.EInvalid, "file"},
			{"invalid utf-8 name", "staffA", "quote\xc0\xaf.pdf", pdf(3), fleet.EInvalid, "file"},
			{"empty", "staffA", "x.pdf", nil, fleet.EInvalid, "file"},
			{"over 10 MiB", "staffA", "big.pdf", append(pdf(4), bytes.Repeat([]byte{' '}, procurement.MaxFileSize)...), fleet.ETooLarge, "file"},
		}
		for _, tt := range refusals {
			t.Run(tt.name, func(t *testing.T) {
				_, err := attach(tt.who, tt.file, tt.content)
				if code(err) != tt.code || (tt.field != "" && field(err, tt.field) == "") {
					t.Errorf("attach = %v, want %s naming %q", err, tt.code, tt.field)
				}
			})
		}
		if got := files(t, f.dataDir); len(got) != 1 {
			t.Errorf("files after refusals %v, want only the first (nothing left behind)", got)
		}
		if n := f.count("procurement_attachments"); n != 2 {
			t.Errorf("%d attachment rows, want 2", n)
		}

		// Up to 20 per request.
		for i := 2; i < procurement.MaxFiles; i++ {
			if _, err := attach("staffA", "q.pdf", pdf(100+i)); err != nil {
				t.Fatalf("attachment %d: %v", i+1, err)
			}
		}
		if _, err := attach("staffA", "q.pdf", pdf(999)); code(err) != fleet.EConflict {
			t.Errorf("attachment 21 = %v, want conflict", err)
		}

		// Download: whoever sees the request, nobody else.
		for _, who := range []string{"staffA", "leaderA", "auditor", "admin"} {
			got, file, err := f.svc.OpenAttachment(ctx, f.as(who), a.ID)
			if err != nil {
				t.Fatalf("open as %s: %v", who, err)
			}
			body, _ := io.ReadAll(file)
			file.Close()
			if !bytes.Equal(body, pdf(1)) || got.Name != "报价单.pdf" {
				t.Errorf("open as %s = %q %q", who, got.Name, body)
			}
		}
		for _, who := range []string{"staffB", "leaderB"} {
			if _, _, err := f.svc.OpenAttachment(ctx, f.as(who), a.ID); code(err) != fleet.EForbidden {
				t.Errorf("open as %s = %v, want forbidden", who, err)
			}
		}
		if _, _, err := f.svc.OpenAttachment(ctx, f.as("staffA"), 99999); code(err) != fleet.ENotFound {
			t.Errorf("open a missing one = %v, want not found", err)
		}
		if got := f.get("leaderA", p.ID); len(got.Attachments) != procurement.MaxFiles {
			t.Errorf("request lists %d attachments, want %d", len(got.Attachments), procurement.MaxFiles)
		}

		// Nothing is added once the request is decided.
		q := f.create("staffA", goods("纸", 10, 25))
		f.decideAll(q, approval.ActApprove)
		if _, err := f.svc.AddAttachment(ctx, f.as("staffA"), q.ID, "x.pdf", bytes.NewReader(pdf(5))); code(err) != fleet.EConflict ||
			!strings.Contains(fleet.ErrorMessage(err), "approved") {
			t.Errorf("attach to an approved request = %v, want conflict", err)
		}
	})
}
