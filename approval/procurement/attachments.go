package procurement

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// AddAttachment stores a file of a request. Only the applicant adds files, while the request is
// pending or returned. The type is told by the content (the name must agree with it); the file is
// kept once per content, under its SHA-256. name is the name the client sent.
func (s *Service) AddAttachment(ctx context.Context, a *auth.Actor, id int64, name string, body io.Reader) (*Attachment, error) {
	if err := a.Require(auth.PermProcurementsWrite); err != nil {
		return nil, err
	}
	// Checked before reading: a caller who may not add a file puts nothing on disk.
	if err := s.mayAttach(ctx, s.db.WithContext(ctx), a, id); err != nil {
		return nil, err
	}
	up, err := s.receive(body)
	if err != nil {
		return nil, err
	}
	defer os.Remove(up.tmp) // gone already when kept
	ft, err := sniff(up.head, up.file, up.size)
	up.file.Close()
	if err != nil {
		return nil, err
	}
	clean, err := cleanName(name, ft)
	if err != nil {
		return nil, err
	}
	if err := s.keep(up.tmp, up.sha); err != nil {
		return nil, err
	}
	r := &attachmentRow{ProcurementID: id, Name: clean, Size: up.size, SHA256: up.sha, ContentType: ft.contentType,
		UploadedBy: a.UserID, CreatedAt: s.now()}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.mayAttach(ctx, tx, a, id); err != nil {
			return err
		}
		return insertAttachment(ctx, tx, r)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "procurement_attach", procurementTarget(id), fmt.Sprintf("attachment=%d name=%s sha256=%s size=%d", r.ID, clean, up.sha, up.size))
	out := r.attachment()
	return &out, nil
}

// mayAttach says whether a may add a file to request id now (in tx, with the request locked).
func (s *Service) mayAttach(ctx context.Context, tx *gorm.DB, a *auth.Actor, id int64) error {
	r, err := lockRequest(ctx, tx, id)
	if err != nil {
		return err
	}
	if r.ApplicantID != a.UserID {
		return fleet.Errorf(fleet.EForbidden, "only the applicant adds attachments")
	}
	if r.Status != StatusPending && r.Status != StatusReturned {
		return fleet.Errorf(fleet.EConflict, "attachments are added while a request is pending or returned; this one is %s", r.Status)
	}
	n, err := countAttachments(ctx, tx, id)
	if err != nil {
		return err
	}
	if n >= MaxFiles {
		return &fleet.Error{Code: fleet.EConflict, Message: fmt.Sprintf("a request holds at most %d attachments", MaxFiles),
			Fields: map[string]string{"file": fmt.Sprintf("at most %d files per request", MaxFiles)}}
	}
	return nil
}

// upload is a received file in a temporary file beside the store.
type upload struct {
	tmp  string
	file *os.File
	size int64
	sha  string
	head []byte // the first bytes, for the type
}

// receive copies body to a temporary file, hashing it, and refuses more than MaxFileSize bytes.
func (s *Service) receive(body io.Reader) (*upload, error) {
	dir := s.attachmentsDir()
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("procurement: attachments folder: %w", err)
	}
	f, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return nil, fmt.Errorf("procurement: temporary file: %w", err)
	}
	fail := func(err error) (*upload, error) {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(body, MaxFileSize+1))
	if err != nil {
		var fe *fleet.Error
		if errors.As(err, &fe) {
			return fail(fe)
		}
		return fail(fleet.Errorf(fleet.EInvalid, "the upload could not be read to its end"))
	}
	if n > MaxFileSize {
		return fail(&fleet.Error{Code: fleet.ETooLarge, Message: fmt.Sprintf("a file may be at most %d MiB", MaxFileSize>>20),
			Fields: map[string]string{"file": fmt.Sprintf("larger than %d MiB", MaxFileSize>>20)}})
	}
	if n == 0 {
		return fail(fleet.Invalid(map[string]string{"file": "the file is empty"}))
	}
	if err := f.Sync(); err != nil {
		return fail(fmt.Errorf("procurement: write upload: %w", err))
	}
	head := make([]byte, 512)
	k, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return fail(fmt.Errorf("procurement: read upload: %w", err))
	}
	return &upload{tmp: f.Name(), file: f, size: n, sha: hex.EncodeToString(h.Sum(nil)), head: head[:k]}, nil
}

// keep moves a received file to its place by content hash; the same content is kept once.
func (s *Service) keep(tmp, sha string) error {
	final := s.blobPath(sha)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return fmt.Errorf("procurement: attachments folder: %w", err)
	}
	if _, err := os.Stat(final); err == nil {
		return nil // the same bytes are stored already
	}
	if err := os.Chmod(tmp, 0o640); err != nil {
		return fmt.Errorf("procurement: keep attachment: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("procurement: keep attachment: %w", err)
	}
	return nil
}

var shaRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// blobPath is where the content of hash sha lives: attachments/<first 2 hex>/<sha256>.
func (s *Service) blobPath(sha string) string {
	return filepath.Join(s.attachmentsDir(), sha[:2], sha)
}

// OpenAttachment returns an attachment and its content, to those who may see its request. The
// caller closes the file.
func (s *Service) OpenAttachment(ctx context.Context, a *auth.Actor, id int64) (*Attachment, *os.File, error) {
	if a == nil {
		return nil, nil, fleet.Errorf(fleet.EUnauthorized, "sign in first")
	}
	r, err := s.getAttachment(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	var approvalID int64
	if r.ApprovalID != nil {
		approvalID = *r.ApprovalID
	}
	if err := s.mayView(ctx, a, r.ApplicantID, approvalID); err != nil {
		return nil, nil, err
	}
	if !shaRE.MatchString(r.Row.SHA256) {
		return nil, nil, fmt.Errorf("procurement: attachment %d has a bad hash %q", id, r.Row.SHA256)
	}
	f, err := os.Open(s.blobPath(r.Row.SHA256))
	if err != nil {
		return nil, nil, fmt.Errorf("procurement: open attachment %d: %w", id, err)
	}
	out := r.Row.attachment()
	return &out, f, nil
}
