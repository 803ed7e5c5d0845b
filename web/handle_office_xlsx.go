package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"fleet"
	"fleet/office"
)

// The office ledger as XLSX: the workbook for reporting upward, importing an existing ledger,
// and reconciling a unit's own with the center's.

// officeUploadLimit is the body limit of a ledger workbook upload.
const officeUploadLimit = 16 << 20

// handleOfficeLedgerXLSX sends the ledger workbook of ?unit_id= (the whole county when absent).
func handleOfficeLedgerXLSX(o *office.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		unit, err := queryID(r, "unit_id")
		if err != nil {
			writeError(w, r, err)
			return
		}
		b, name, err := o.LedgerXLSX(r.Context(), actor(r), office.LedgerQuery{UnitID: unit})
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeWorkbook(w, name, b)
	})
}

// handleOfficeImport takes a ledger workbook (the multipart field file, or the body itself) and
// ?skip_bad=1; 200 with the result, or 400 with the result's per-row errors when nothing was
// imported.
func handleOfficeImport(o *office.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := fleet.Problems{}
		skip := officeTrue(optionalBool(p, r, "skip_bad"))
		if err := p.Err(); err != nil {
			writeError(w, r, err)
			return
		}
		body, err := uploadedWorkbook(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		res, err := o.ImportLedger(r.Context(), actor(r), bytes.NewReader(body), office.ImportOptions{SkipBad: skip})
		if errors.Is(err, office.ErrImportRejected) {
			writeJSON(w, http.StatusBadRequest, struct {
				Error errorDetail `json:"error"`
				*office.ImportResult
			}{errorDetail{Code: fleet.EInvalid, Message: fleet.ErrorMessage(err), RequestID: requestID(r)}, res})
			return
		}
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	})
}

// handleOfficeReconcile compares the uploaded ledger of ?unit_id= with the center's.
func handleOfficeReconcile(o *office.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		unit, err := queryID(r, "unit_id")
		if err != nil {
			writeError(w, r, err)
			return
		}
		body, err := uploadedWorkbook(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		rec, err := o.Reconcile(r.Context(), actor(r), unit, bytes.NewReader(body))
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, rec)
	})
}

// uploadedWorkbook reads an uploaded file: the multipart field "file", or the whole body.
func uploadedWorkbook(r *http.Request) ([]byte, error) {
	var src io.Reader = r.Body
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, fleet.Invalid(map[string]string{"file": "malformed multipart body"})
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return nil, fleet.Invalid(map[string]string{"file": "required"})
			}
			if err != nil {
				return nil, workbookErr(err)
			}
			if part.FormName() == "file" {
				src = part
				break
			}
		}
	}
	b, err := io.ReadAll(src)
	if err != nil {
		return nil, workbookErr(err)
	}
	if len(b) == 0 {
		return nil, fleet.Invalid(map[string]string{"file": "required: send the XLSX workbook"})
	}
	return b, nil
}

func workbookErr(err error) error {
	var big *http.MaxBytesError
	if errors.As(err, &big) {
		return &fleet.Error{Code: fleet.ETooLarge, Message: fmt.Sprintf("the upload is larger than %d bytes", big.Limit),
			Fields: map[string]string{"file": fmt.Sprintf("larger than %d MiB", officeUploadLimit>>20)}}
	}
	return &fleet.Error{Code: fleet.EInvalid, Message: "unreadable upload", Fields: map[string]string{"file": "the upload could not be read to its end"}}
}
