package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"fleet"
	"fleet/approval/procurement"
)

// Purchase requests, their attachments and summary, and the vehicle standards.

// uploadBodyLimit is the body limit of an attachment upload: one file and the multipart framing.
const uploadBodyLimit = procurement.MaxFileSize + 1<<20

func handleProcurementCreate(p *procurement.Service) http.Handler { return handleCreate(p.Create) }
func handleProcurementGet(p *procurement.Service) http.Handler    { return handleGet(p.Get) }
func handleProcurementRevise(p *procurement.Service) http.Handler { return handleUpdate(p.Revise) }

// handleProcurementCheck answers the checks a request would get, without filing it.
func handleProcurementCheck(p *procurement.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in procurement.Input
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		checks, err := p.Preview(r.Context(), actor(r), in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"checks": checks})
	})
}

// handleProcurementList reads ?mine=1&status=&kind=&unit_id=&from=&to=&q=&limit=&offset=.
func handleProcurementList(p *procurement.Service) http.Handler {
	return handleList(func(r *http.Request) (procurement.ListQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return procurement.ListQuery{}, err
		}
		q := r.URL.Query()
		lq := procurement.ListQuery{Page: page, Status: q.Get("status"), Kind: q.Get("kind"), From: q.Get("from"), To: q.Get("to")}
		if m := q.Get("mine"); m != "" {
			if lq.Mine, err = strconv.ParseBool(m); err != nil {
				return lq, fleet.Invalid(map[string]string{"mine": "must be 1 or 0"})
			}
		}
		lq.UnitID, err = queryID(r, "unit_id")
		return lq, err
	}, p.List)
}

// handleProcurementSummary answers the summary of ?from=&to= as JSON, or as a workbook with
// ?format=xlsx.
func handleProcurementSummary(p *procurement.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		sq := procurement.SummaryQuery{From: q.Get("from"), To: q.Get("to"), Kind: q.Get("kind"), Status: q.Get("status")}
		var err error
		if sq.UnitID, err = queryID(r, "unit_id"); err != nil {
			writeError(w, r, err)
			return
		}
		switch q.Get("format") {
		case "", "json":
			sum, err := p.Summary(r.Context(), actor(r), sq)
			if err != nil {
				writeError(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, sum)
		case "xlsx":
			b, name, err := p.SummaryXLSX(r.Context(), actor(r), sq)
			if err != nil {
				writeError(w, r, err)
				return
			}
			writeWorkbook(w, name, b)
		default:
			writeError(w, r, fleet.Invalid(map[string]string{"format": "must be json or xlsx"}))
		}
	})
}

// handleAttachmentUpload streams the multipart field "file" to the service, which sizes, types
// and stores it; 201 with the attachment.
func handleAttachmentUpload(p *procurement.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		mr, err := r.MultipartReader()
		if err != nil {
			writeError(w, r, fleet.Invalid(map[string]string{"file": "send multipart/form-data with the file in the field file"}))
			return
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				writeError(w, r, fleet.Invalid(map[string]string{"file": "required"}))
				return
			}
			if err != nil {
				writeError(w, r, uploadErr(err))
				return
			}
			if part.FormName() != "file" {
				continue // the next NextPart skips what is left of it
			}
			att, err := p.AddAttachment(r.Context(), actor(r), id, part.FileName(), uploadReader{part})
			if err != nil {
				writeError(w, r, err)
				return
			}
			writeJSON(w, http.StatusCreated, att)
			return
		}
	})
}

// uploadReader reads an upload and turns the body limit's error into the error vocabulary, so
// the service can tell an oversized body from a broken one.
type uploadReader struct{ r io.Reader }

func (u uploadReader) Read(b []byte) (int, error) {
	n, err := u.r.Read(b)
	if err != nil && err != io.EOF {
		err = uploadErr(err)
	}
	return n, err
}

func uploadErr(err error) error {
	var big *http.MaxBytesError
	if errors.As(err, &big) {
		return &fleet.Error{Code: fleet.ETooLarge, Message: fmt.Sprintf("the upload is larger than %d bytes", big.Limit),
			Fields: map[string]string{"file": fmt.Sprintf("larger than %d MiB", procurement.MaxFileSize>>20)}}
	}
	return &fleet.Error{Code: fleet.EInvalid, Message: "malformed multipart body", Fields: map[string]string{"file": "malformed multipart body"}}
}

// handleAttachmentDownload sends a file to those who may see its request, as a download that a
// browser never renders in the console's origin.
func handleAttachmentDownload(p *procurement.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		att, f, err := p.OpenAttachment(r.Context(), actor(r), id)
		if err != nil {
			writeError(w, r, err)
			return
		}
		defer f.Close()
		h := w.Header()
		h.Set("Content-Type", att.ContentType)
		h.Set("Content-Disposition", contentDisposition(att.Name))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		h.Set("Cache-Control", "private, no-store")
		http.ServeContent(w, r, "", att.CreatedAt, f)
	})
}

// contentDisposition is an attachment header with an ASCII fallback name and the UTF-8 name in
// RFC 5987's filename* form (every browser in use reads it).
func contentDisposition(name string) string {
	var ascii, ext strings.Builder
	for _, c := range name {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '%' {
			ascii.WriteByte('_')
		} else {
			ascii.WriteRune(c)
		}
	}
	for _, b := range []byte(name) {
		if isAttrChar(b) {
			ext.WriteByte(b)
		} else {
			fmt.Fprintf(&ext, "%%%02X", b)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + ext.String()
}

// isAttrChar is RFC 5987's attr-char: what may stand unencoded in an ext-value.
func isAttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}

func handleStandardsGet(p *procurement.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		set, err := p.Standards(r.Context(), actor(r))
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, set)
	})
}

func handleStandardsPut(p *procurement.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in procurement.StandardsInput
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		set, err := p.UpdateStandards(r.Context(), actor(r), in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, set)
	})
}
