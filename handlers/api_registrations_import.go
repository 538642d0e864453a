package handlers

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/importfile"
	"github.com/ambtenaar20/dagplanner/models"
)

// ImportReportJSON is the answer to a dry run, or to an import that found problems and wrote
// nothing.
type ImportReportJSON struct {
	Rows      int                 `json:"rows"`
	Valid     int                 `json:"valid"`
	New       int                 `json:"new"`
	Updated   int                 `json:"updated"`
	Unchanged int                 `json:"unchanged"`
	Problems  []ImportProblemJSON `json:"problems"`
}

// ImportProblemJSON is one problem: a row of the file (the header is row 1; 0 is the file or
// the import as a whole), a column and a message in the request's language.
type ImportProblemJSON struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ImportDoneJSON is the answer to an import that was written.
type ImportDoneJSON struct {
	Rows      int `json:"rows"`
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// unknownImportVenue answers an import into a venue that does not exist.
var unknownImportVenue = storeError{models.ErrNotFound, storeAnswer{Status: http.StatusNotFound,
	Code: "not_found", Key: "form.unknown_venue", Field: "venue"}}

// importRegistrationsAPI imports a CSV or XLSX body into a venue (see ImportRegistrations):
// 200 with the report on a dry run or any problem, 201 with the counts when imported.
func (h *Handler) importRegistrationsAPI(c *gin.Context) {
	tr := h.tr(c)
	v, err := h.editionVenue(c, c.Query("venue"))
	if err != nil {
		h.apiStoreError(c, err, unknownImportVenue)
		return
	}
	if !h.actingUser(c).CanManageVenue(v.ID) {
		h.apiError(c, http.StatusForbidden, "forbidden", tr.T("error.forbidden"), nil)
		return
	}
	dryRun := c.Query("dry_run")
	if dryRun != "" && dryRun != "true" && dryRun != "false" {
		h.apiError(c, http.StatusBadRequest, "bad_request", tr.T("import.api_dry_run"), map[string]string{"dry_run": tr.T("import.api_dry_run")})
		return
	}
	kind := ""
	switch mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt {
	case "text/csv":
		kind = importfile.CSV
	case importfile.XLSXContentType:
		kind = importfile.XLSX
	default:
		h.apiError(c, http.StatusUnsupportedMediaType, "unsupported_media_type", tr.T("import.api_media_type"), nil)
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, importfile.MaxBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		h.apiError(c, http.StatusRequestEntityTooLarge, "too_large", tr.T("import.too_large", "Max", importfile.MaxBytes>>20), nil)
		return
	}
	if err != nil {
		h.apiError(c, http.StatusBadRequest, "bad_request", tr.T("import.choose_file"), nil)
		return
	}
	if wait := h.waitFor(c, byClient(h.mail.imports, c)); wait > 0 {
		h.tooManyAPI(c, wait)
		return
	}
	rows, fileProblems := importfile.Read(data, kind)
	res := models.ImportResult{Problems: fileProblems}
	if len(fileProblems) == 0 {
		if res, err = h.store.ImportRegistrations(c.Request.Context(), h.actor(c), v.ID, rows, dryRun == "true"); err != nil {
			h.serverError(c, err)
			return
		}
	}
	if !res.Imported {
		out := ImportReportJSON{Rows: res.Rows, Valid: res.Valid, New: res.New, Updated: res.Updated, Unchanged: res.Unchanged,
			Problems: []ImportProblemJSON{}}
		for _, p := range res.Problems {
			out.Problems = append(out.Problems, ImportProblemJSON{Row: p.Row, Field: p.Field, Code: p.Key, Message: tr.T(p.Key, p.Args...)})
		}
		c.JSON(http.StatusOK, out)
		return
	}
	c.JSON(http.StatusCreated, ImportDoneJSON{Rows: res.Rows, Created: res.New, Updated: res.Updated, Unchanged: res.Unchanged})
}
