package canteen

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// MaxPhotoSize is the most bytes a dish photo may have.
const MaxPhotoSize = 5 << 20

// photoType is an accepted photo type, told by its content.
type photoType struct {
	contentType string
	exts        []string
	magic       func([]byte) bool
}

var photoTypes = []photoType{
	{"image/jpeg", []string{".jpg", ".jpeg"}, func(b []byte) bool { return bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}) }},
	{"image/png", []string{".png"}, func(b []byte) bool { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) }},
	{"image/webp", []string{".webp"}, func(b []byte) bool {
		return len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP"))
	}},
}

func photoProblem(msg string) error {
	return &fleet.Error{Code: fleet.EInvalid, Message: msg, Fields: map[string]string{"file": "must be a JPEG, PNG or WebP photo of at most 5 MiB"}}
}

// sniffPhoto tells the type of a photo by its first bytes, and checks that the name the client
// sent (if it has an extension) says the same: an HTML page or a program named .jpg is refused.
func sniffPhoto(head []byte, name string) (photoType, error) {
	var ft *photoType
	for i := range photoTypes {
		if photoTypes[i].magic(head) {
			ft = &photoTypes[i]
		}
	}
	if ft == nil {
		return photoType{}, photoProblem("the file is not a JPEG, PNG or WebP photo")
	}
	if !utf8.ValidString(name) || len(name) > 255 {
		return photoType{}, &fleet.Error{Code: fleet.EInvalid, Message: "bad file name", Fields: map[string]string{"file": "the file name must be valid UTF-8 of at most 255 bytes"}}
	}
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))
	if ext != "" && !oneOf(ext, ft.exts) {
		return photoType{}, &fleet.Error{Code: fleet.EInvalid, Message: fmt.Sprintf("the file's name ends in %s but its content is %s", ext, ft.contentType),
			Fields: map[string]string{"file": "name and content disagree"}}
	}
	return *ft, nil
}

// SetDishPhoto stores an uploaded photo of a dish (by content hash under the data folder) and
// returns the dish. name is the file name the client sent; only its extension is checked.
func (s *Service) SetDishPhoto(ctx context.Context, a *auth.Actor, id int64, name string, body io.Reader) (*Dish, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	var r dishRow
	if err := take(s.read(ctx), &r, id, false, "dish"); err != nil {
		return nil, err // checked before reading: nothing lands on disk for a missing dish
	}
	b, err := io.ReadAll(io.LimitReader(body, MaxPhotoSize+1))
	if err != nil {
		var fe *fleet.Error
		if errors.As(err, &fe) {
			return nil, fe
		}
		return nil, fleet.Errorf(fleet.EInvalid, "the upload could not be read to its end")
	}
	switch {
	case len(b) > MaxPhotoSize:
		return nil, &fleet.Error{Code: fleet.ETooLarge, Message: "a photo may be at most 5 MiB", Fields: map[string]string{"file": "larger than 5 MiB"}}
	case len(b) == 0:
		return nil, fleet.Invalid(map[string]string{"file": "the file is empty"})
	}
	ft, err := sniffPhoto(b, name)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	sha := hex.EncodeToString(sum[:])
	if err := s.keepPhoto(sha, b); err != nil {
		return nil, err
	}
	var out Dish
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := take(tx, &r, id, true, "dish"); err != nil {
			return err
		}
		r.PhotoSHA, r.PhotoType, r.UpdatedAt = sha, ft.contentType, s.now()
		out = r.dish()
		return save(tx, &r)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "canteen_dish_photo", fmt.Sprintf("canteen_dish:%d", id), fmt.Sprintf("sha256=%s size=%d type=%s", sha, len(b), ft.contentType))
	return &out, nil
}

// RemoveDishPhoto drops a dish's uploaded photo (the file stays: another dish may share it).
func (s *Service) RemoveDishPhoto(ctx context.Context, a *auth.Actor, id int64) error {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var r dishRow
		if err := take(tx, &r, id, true, "dish"); err != nil {
			return err
		}
		r.PhotoSHA, r.PhotoType, r.UpdatedAt = "", "", s.now()
		return save(tx, &r)
	})
}

// OpenDishPhoto returns a dish photo's content type and file; the caller closes it.
func (s *Service) OpenDishPhoto(ctx context.Context, a *auth.Actor, id int64) (string, *os.File, error) {
	if err := a.Require(auth.PermCanteenRead); err != nil {
		return "", nil, err
	}
	var r dishRow
	if err := take(s.read(ctx), &r, id, false, "dish"); err != nil {
		return "", nil, err
	}
	if r.PhotoSHA == "" {
		return "", nil, fleet.Errorf(fleet.ENotFound, "the dish has no uploaded photo")
	}
	if !shaRE.MatchString(r.PhotoSHA) {
		return "", nil, fmt.Errorf("canteen: dish %d has a bad photo hash %q", id, r.PhotoSHA)
	}
	f, err := os.Open(s.photoPath(r.PhotoSHA))
	if err != nil {
		return "", nil, fmt.Errorf("canteen: open photo of dish %d: %w", id, err)
	}
	return r.PhotoType, f, nil
}

var shaRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (s *Service) photoPath(sha string) string {
	return filepath.Join(s.opt.DataDir, "canteen", "photos", sha[:2], sha)
}

// keepPhoto writes a photo once per content: to a temporary file, then renamed into place.
func (s *Service) keepPhoto(sha string, b []byte) error {
	final := s.photoPath(sha)
	if _, err := os.Stat(final); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return fmt.Errorf("canteen: photos folder: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(final), ".upload-*")
	if err != nil {
		return fmt.Errorf("canteen: keep photo: %w", err)
	}
	defer os.Remove(f.Name()) // gone already once renamed
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("canteen: keep photo: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("canteen: keep photo: %w", err)
	}
	if err := os.Rename(f.Name(), final); err != nil {
		return fmt.Errorf("canteen: keep photo: %w", err)
	}
	return nil
}
