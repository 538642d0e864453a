package handlers

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/importfile"
	"github.com/ambtenaar20/dagplanner/models"
)

// Importing attendees (#13 point 7): choose a venue and upload a CSV or XLSX file; the page
// shows every row as it would be imported, with its problems; "Importeren" then imports the
// checked rows, which wait in the database (not in this process) for an hour, in one
// transaction.

var importFields = []string{"locatie:import.venue", "bestand:import.file"}

type importData struct {
	Page
	Venues  []Option
	Preview *importPreview
}

// importPreview is a checked upload as the page shows it.
type importPreview struct {
	Token, VenueName, FileName       string
	FileProblems                     []string
	Rows                             []importPreviewRow
	New, Updated, Unchanged, Refused int
}

type importPreviewRow struct {
	Row                                       int
	Name, Email, Organisation, JobTitle, Lang string
	HasNeeds, Refused                         bool
	Outcome                                   string
	Problems                                  []string
}

// showImport shows the upload form.
func (h *Handler) showImport(c *gin.Context) {
	p := h.page(c, h.tr(c).T("import.title"), "beheer")
	p.Form = newForm(nil, importFields...)
	h.renderImport(c, http.StatusOK, p, nil)
}

func (h *Handler) renderImport(c *gin.Context, status int, p Page, preview *importPreview) {
	u := h.actingUser(c)
	event, err := h.organiserEvent(c)
	if err != nil {
		h.serverError(c, err)
		return
	}
	venues, err := h.store.Venues(c.Request.Context(), event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	var opts []Option
	for _, v := range venues {
		if u.CanManageVenue(v.ID) {
			opts = append(opts, Option{Value: strconv.FormatUint(uint64(v.ID), 10), Label: h.venueName(c, v) + " (" + v.City + ")"})
		}
	}
	if len(opts) == 1 && p.Form.String("locatie") == "" {
		p.Form.Values.Set("locatie", opts[0].Value)
	}
	h.render(c, status, "beheer/import", importData{Page: p, Venues: opts, Preview: preview})
}

// checkImport reads an uploaded file, checks every row (a dry run) and shows the preview;
// when nothing is wrong, the rows are kept for "Importeren".
func (h *Handler) checkImport(c *gin.Context) {
	p := h.page(c, h.tr(c).T("import.title"), "beheer")
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, importfile.MaxBytes+64<<10)
	err := c.Request.ParseMultipartForm(importfile.MaxBytes + 1<<20) // the whole body fits in memory
	p.Form = newForm(c.Request.PostForm, importFields...)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		p.Form.Problems.Add("bestand", "import.too_large", "Max", importfile.MaxBytes>>20)
	case err != nil:
		p.Form.Problems.Add("bestand", "import.choose_file")
	}
	venue, ok := h.importVenue(c, p.Form)
	if !ok {
		return
	}
	data, name := h.uploadedFile(c, p.Form)
	if !p.Form.Valid() {
		h.renderImport(c, http.StatusUnprocessableEntity, p, nil)
		return
	}
	if wait := h.waitFor(c, byClient(h.mail.imports, c)); wait > 0 {
		p.Form.Problems.Add("bestand", "import.too_many_uploads", "Count", waitMinutes(wait))
		h.renderImport(c, http.StatusTooManyRequests, p, nil)
		return
	}
	rows, fileProblems := importfile.Read(data, importfile.Kind(data, name, ""))
	if len(fileProblems) > 0 {
		preview := &importPreview{VenueName: h.venueName(c, venue), FileName: name}
		for _, pr := range fileProblems {
			preview.FileProblems = append(preview.FileProblems, p.T(pr.Key, pr.Args...))
		}
		p.Form.Problems.Add("bestand", fileProblems[0].Key, fileProblems[0].Args...)
		h.renderImport(c, http.StatusUnprocessableEntity, p, preview)
		return
	}
	res, err := h.store.ImportRegistrations(c.Request.Context(), h.actor(c), venue.ID, rows, true)
	if err != nil {
		h.serverError(c, err)
		return
	}
	preview := h.importPreview(p, venue, name, rows, res)
	if len(res.Problems) > 0 {
		p.Form.Problems.Add("bestand", "import.has_problems", "Count", preview.Refused+len(preview.FileProblems))
		h.renderImport(c, http.StatusUnprocessableEntity, p, preview)
		return
	}
	if preview.Token, err = h.store.SaveImportUpload(c.Request.Context(), h.actor(c), venue.ID, name, rows); err != nil {
		h.serverError(c, err)
		return
	}
	h.renderImport(c, http.StatusOK, p, preview)
}

// importVenue is the venue chosen on the form, which the account must manage: no choice is a
// problem on the form, another venue's organiser gets 403.
func (h *Handler) importVenue(c *gin.Context, form *Form) (models.Venue, bool) {
	id := form.ID("locatie")
	if id == 0 {
		form.Problems.Add("locatie", "import.choose_venue")
		return models.Venue{}, true
	}
	v, err := h.store.Venue(c.Request.Context(), id)
	switch _, shown := form.showStoreError(err, formAnswer{Err: models.ErrNotFound, Field: "locatie", Key: "import.choose_venue"}); {
	case !shown:
		h.serverError(c, err)
		return models.Venue{}, false
	case err != nil: // no such venue: not a choice the form offered
		return models.Venue{}, true
	}
	if !h.actingUser(c).CanManageVenue(v.ID) {
		h.errorPage(c, http.StatusForbidden, "error.forbidden")
		return models.Venue{}, false
	}
	return v, true
}

// uploadedFile reads the uploaded file (at most importfile.MaxBytes) and its name; none is a
// problem on the form.
func (h *Handler) uploadedFile(c *gin.Context, form *Form) ([]byte, string) {
	if c.Request.MultipartForm == nil || len(c.Request.MultipartForm.File["bestand"]) == 0 {
		form.Problems.Add("bestand", "import.choose_file")
		return nil, ""
	}
	fh := c.Request.MultipartForm.File["bestand"][0]
	if fh.Size > importfile.MaxBytes {
		form.Problems.Add("bestand", "import.too_large", "Max", importfile.MaxBytes>>20)
		return nil, fh.Filename
	}
	f, err := fh.Open()
	if err != nil {
		form.Problems.Add("bestand", "import.choose_file")
		return nil, fh.Filename
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, importfile.MaxBytes+1))
	if err != nil || len(data) == 0 {
		form.Problems.Add("bestand", "import.choose_file")
	}
	return data, fh.Filename
}

// importPreview describes every row and its problems, in the organiser's language.
func (h *Handler) importPreview(p Page, venue models.Venue, fileName string, rows []models.ImportRow, res models.ImportResult) *importPreview {
	out := &importPreview{VenueName: p.VenueName(venue), FileName: fileName, New: res.New, Updated: res.Updated, Unchanged: res.Unchanged}
	byRow := map[int][]string{}
	for _, pr := range res.Problems {
		msg := p.T(pr.Key, pr.Args...)
		if pr.Row == 0 {
			out.FileProblems = append(out.FileProblems, msg)
			continue
		}
		byRow[pr.Row] = append(byRow[pr.Row], p.T("import.column."+pr.Field)+": "+msg)
	}
	out.Rows = make([]importPreviewRow, len(rows))
	for i, r := range rows {
		outcome := models.ImportRefused // a problem with the whole file leaves no outcome per row
		if i < len(res.Outcomes) && res.Outcomes[i] != "" {
			outcome = res.Outcomes[i]
		}
		out.Rows[i] = importPreviewRow{Row: r.Row, Name: r.Name, Email: r.Email, Organisation: r.Organisation, JobTitle: r.JobTitle,
			Lang: r.Lang, HasNeeds: r.Dietary != "" || r.Accessibility != "", Refused: outcome == models.ImportRefused,
			Outcome: p.T("import.outcome." + outcome), Problems: byRow[r.Row]}
		if outcome == models.ImportRefused {
			out.Refused++
		}
	}
	return out
}

// runImport imports the rows kept by checkImport, in one transaction, and says how many
// people were added and updated. If something changed since the check (the venue filled
// up), the preview comes back with the problems and nothing is written.
func (h *Handler) runImport(c *gin.Context) {
	p := h.page(c, h.tr(c).T("import.title"), "beheer")
	p.Form = postedForm(c, importFields...)
	token := p.Form.String("token")
	saved, err := h.store.SavedImport(c.Request.Context(), h.actor(c), token)
	if !h.savedImportFound(c, p, err) {
		return
	}
	p.Form.Values.Set("locatie", strconv.FormatUint(uint64(saved.VenueID), 10))
	venue, ok := h.importVenue(c, p.Form)
	if !ok {
		return
	}
	res, err := h.store.ImportSaved(c.Request.Context(), h.actor(c), token)
	if !h.savedImportFound(c, p, err) {
		return
	}
	if !res.Imported {
		preview := h.importPreview(p, venue, saved.FileName, saved.Rows, res)
		p.Form.Problems.Add("bestand", "import.has_problems", "Count", preview.Refused+len(preview.FileProblems))
		h.renderImport(c, http.StatusUnprocessableEntity, p, preview)
		return
	}
	h.setFlash(c, "import.done", "New", res.New, "Updated", res.Updated, "Venue", h.venueName(c, venue))
	c.Redirect(http.StatusSeeOther, "/beheer/deelnemers/importeren")
}

// savedImportFound answers err from taking a saved upload: an upload that expired or is not this
// account's (ErrNotFound) is a problem on the file field (422), anything else a 500. It
// reports whether the upload was found (err is nil), the import to go on.
func (h *Handler) savedImportFound(c *gin.Context, p Page, err error) bool {
	switch _, shown := p.Form.showStoreError(err, formAnswer{Err: models.ErrNotFound, Field: "bestand", Key: "import.expired"}); {
	case !shown:
		h.serverError(c, err)
		return false
	case err != nil:
		h.renderImport(c, http.StatusUnprocessableEntity, p, nil)
		return false
	}
	return true
}
