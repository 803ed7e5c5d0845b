package procurement

import (
	"archive/zip"
	"bytes"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"fleet"
)

// Attachment limits.
const (
	MaxFileSize = 10 << 20 // bytes of one file
	MaxFiles    = 20       // files of one request
	maxNameLen  = 120      // characters of a file name
)

// Attachment is a file of a request (a quote, a photo, the registration certificate).
type Attachment struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	ContentType string    `json:"content_type"`
	UploadedBy  int64     `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// fileType is an accepted type of attachment, known by its content.
type fileType struct {
	contentType string
	exts        []string // the first is the one added to a name without an extension
	label       string
}

var (
	typePDF  = fileType{"application/pdf", []string{".pdf"}, "PDF"}
	typeJPEG = fileType{"image/jpeg", []string{".jpg", ".jpeg"}, "JPEG"}
	typePNG  = fileType{"image/png", []string{".png"}, "PNG"}
	typeXLSX = fileType{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []string{".xlsx"}, "XLSX"}
	typeDOCX = fileType{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", []string{".docx"}, "DOCX"}
)

// acceptedTypes names the accepted types for error messages.
const acceptedTypes = "PDF, JPEG, PNG, XLSX or DOCX"

// Magic bytes of the accepted types.
var (
	magicPDF  = []byte("%PDF-")
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicPNG  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
	magicZIP  = []byte("PK\x03\x04")
)

// sniff tells the type of a file from its content: its magic bytes, and for a ZIP container the
// parts that make it a workbook or a document (an Office file is a ZIP). ra reads the whole file
// (size bytes). Anything else (HTML, scripts, executables, plain archives) is refused.
func sniff(head []byte, ra io.ReaderAt, size int64) (fileType, error) {
	switch {
	case bytes.HasPrefix(head, magicPDF):
		return typePDF, nil
	case bytes.HasPrefix(head, magicJPEG):
		return typeJPEG, nil
	case bytes.HasPrefix(head, magicPNG):
		return typePNG, nil
	case bytes.HasPrefix(head, magicZIP):
		zr, err := zip.NewReader(ra, size)
		if err != nil {
			return fileType{}, notAccepted("a damaged ZIP file")
		}
		has := map[string]bool{}
		for _, f := range zr.File {
			has[f.Name] = true
		}
		switch {
		case has["[Content_Types].xml"] && has["xl/workbook.xml"]:
			return typeXLSX, nil
		case has["[Content_Types].xml"] && has["word/document.xml"]:
			return typeDOCX, nil
		}
		return fileType{}, notAccepted("a ZIP archive but not an XLSX or DOCX file")
	}
	return fileType{}, notAccepted("of another type")
}

func notAccepted(what string) error {
	return &fleet.Error{Code: fleet.EInvalid, Message: "the file is " + what + "; send " + acceptedTypes,
		Fields: map[string]string{"file": "must be " + acceptedTypes + " (checked by content)"}}
}

// cleanName makes a sent file name safe to store and to send back in Content-Disposition: the
// last element of any path, NFC, without control, format (bidi) or reserved characters, trimmed
// of dots and spaces, at most maxNameLen characters, ending in the extension of its content type.
// Invalid UTF-8 (overlong forms included) is refused. A name that says one type while the
// content is another is refused: that is how a disguised file shows.
func cleanName(raw string, ft fileType) (string, error) {
	if !utf8.ValidString(raw) {
		return "", fleet.Invalid(map[string]string{"file": "the file name is not valid UTF-8"})
	}
	name := strings.ReplaceAll(raw, `\`, "/")
	if name = path.Base("/" + name); name == "/" {
		name = ""
	}
	name = norm.NFC.String(name)
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
			return -1
		case strings.ContainsRune(`/\:*?"<>|`, r):
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	ext := strings.ToLower(path.Ext(name))
	base := strings.TrimSuffix(name, path.Ext(name))
	switch {
	case ext == "":
		ext = ft.exts[0]
	case !oneOf(ext, ft.exts):
		return "", &fleet.Error{Code: fleet.EInvalid, Message: "the file's name ends in " + ext + " but its content is " + ft.label,
			Fields: map[string]string{"file": "name and content disagree (content is " + ft.label + ")"}}
	}
	base = strings.TrimRight(base, " .")
	if base == "" {
		base = "附件"
	}
	if r := []rune(base); len(r) > maxNameLen-len(ext) {
		base = strings.TrimRight(string(r[:maxNameLen-len(ext)]), " .")
	}
	return base + ext, nil
}
