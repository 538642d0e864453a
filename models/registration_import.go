package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// MaxImportRows bounds how many people one import may hold.
const MaxImportRows = 10000

// ImportColumns are the fields an import file may have, in the order pages show them.
var ImportColumns = []string{"name", "email", "organisation", "job_title", "dietary", "accessibility", "lang"}

// ImportRequired are the columns an import file must have.
var ImportRequired = []string{"name", "email", "organisation"}

// ImportRow is one person read from an organiser's file. Row is its row number in the file
// (the header is row 1); Problems holds what was already wrong with its cells when the file
// was read (a formula), by field.
type ImportRow struct {
	Row           int      `json:"row"`
	Name          string   `json:"name"`
	Email         string   `json:"email"`
	Organisation  string   `json:"organisation"`
	JobTitle      string   `json:"job_title,omitempty"`
	Dietary       string   `json:"dietary,omitempty"`
	Accessibility string   `json:"accessibility,omitempty"`
	Lang          string   `json:"lang,omitempty"`
	Problems      Problems `json:"problems,omitempty"`
}

// ImportProblem is one thing wrong with an import: in a row and a column, or (Row 0) with the
// file or the import as a whole.
type ImportProblem struct {
	Row   int
	Field string
	Problem
}

// What an import does with one row.
const (
	ImportNew       = "new"
	ImportUpdate    = "update"
	ImportUnchanged = "unchanged"
	ImportRefused   = "problem"
)

// ImportResult reports an import, tried or done: how many rows there were, how many were
// valid, what happens (or happened) to each row and every problem. When there are problems
// nothing was written.
type ImportResult struct {
	Rows, Valid             int
	New, Updated, Unchanged int
	Outcomes                []string // per row, in the rows' order: ImportNew, …
	Problems                []ImportProblem
	Imported                bool // written (not a dry run, and no problems)
	// CreatedIDs are the new registrations, once imported.
	CreatedIDs []uint
}

// importRowError is a write that failed on one row of an import.
type importRowError struct {
	row int
	err error
}

func (e importRowError) Error() string { return fmt.Sprintf("row %d: %v", e.row, e.err) }
func (e importRowError) Unwrap() error { return e.err }

// errImportRefused rolls back an import that found problems inside its transaction.
var errImportRefused = errors.New("import refused")

// ImportRegistrations registers the rows' people at a venue on an organiser's behalf, all in
// one transaction or not at all: an address that already has an active registration at the
// venue is updated (name, organisation, job title, needs, language), a new one is registered
// (a place at the venue, a personal link and a confirmation e-mail that says an organiser
// registered them), and every person touched gets an audit entry. Any problem with any row,
// a duplicate address in the file or too few places left writes nothing and is reported in
// the result (not as an error). A dry run writes nothing and reports the same.
func (s *Store) ImportRegistrations(ctx context.Context, by Actor, venueID uint, rows []ImportRow, dryRun bool) (ImportResult, error) {
	if dryRun {
		plan, err := s.planImport(ctx, s.db.WithContext(ctx), venueID, rows)
		if err != nil {
			return ImportResult{}, fmt.Errorf("import into venue %d: %w", venueID, err)
		}
		return plan.res, nil
	}
	var res ImportResult
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		res, err = s.importTx(tx, by, venueID, rows)
		return err
	})
	if errors.Is(err, errImportRefused) {
		return res, nil
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("import into venue %d: %w", venueID, err)
	}
	return res, nil
}

// importTx plans and, when the plan has no problems, writes an import inside tx. It returns
// errImportRefused (and the result with its problems) when anything is wrong.
func (s *Store) importTx(tx *gorm.DB, by Actor, venueID uint, rows []ImportRow) (ImportResult, error) {
	ctx := tx.Statement.Context
	plan, err := s.planImport(ctx, tx, venueID, rows)
	if err != nil {
		return ImportResult{}, err
	}
	if len(plan.res.Problems) > 0 {
		return plan.res, errImportRefused
	}
	// On PostgreSQL another process may take the last places, or register one of the
	// addresses, between the check and the writes: then the import is refused as a whole.
	err = s.applyImport(ctx, tx, by, &plan)
	var rowErr importRowError
	switch {
	case errors.Is(err, ErrVenueFull):
		plan.res.Problems = []ImportProblem{{Field: "venue", Problem: Problem{Key: "import.not_enough_places",
			Args: []any{"New", plan.res.New, "Free", 0}}}}
		return plan.res, errImportRefused
	case errors.As(err, &rowErr) && errors.Is(err, ErrAlreadyRegistered):
		plan.res.Problems = []ImportProblem{{Row: rowErr.row, Field: "email", Problem: Problem{Key: "import.registered_meanwhile"}}}
		return plan.res, errImportRefused
	case err != nil:
		return ImportResult{}, err
	}
	plan.res.Imported = true
	return plan.res, nil
}

// importPlan is a checked import: the venue, and for every valid row the registration it
// updates (nil for a new person).
type importPlan struct {
	venue          Venue
	privacyVersion string
	rows           []ImportRow
	existing       []*Registration
	res            ImportResult
}

// planImport validates the rows and finds the registrations they update, reading through db
// (the writer's transaction, or the readers for a dry run).
func (s *Store) planImport(ctx context.Context, db *gorm.DB, venueID uint, rows []ImportRow) (importPlan, error) {
	plan := importPlan{rows: rows, existing: make([]*Registration, len(rows))}
	if err := db.First(&plan.venue, venueID).Error; err != nil {
		return plan, notFound(err, "venue", venueID)
	}
	var event Event
	if err := db.Select("id", "privacy_version").First(&event, plan.venue.EventID).Error; err != nil {
		return plan, err
	}
	plan.privacyVersion = event.PrivacyVersion
	res := &plan.res
	res.Rows = len(rows)
	res.Outcomes = make([]string, len(rows))
	switch {
	case len(rows) == 0:
		res.Problems = append(res.Problems, ImportProblem{Field: "file", Problem: Problem{Key: "import.empty"}})
		return plan, nil
	case len(rows) > MaxImportRows:
		res.Problems = append(res.Problems, ImportProblem{Field: "file", Problem: Problem{Key: "import.too_many_rows", Args: []any{"Max", MaxImportRows}}})
		return plan, nil
	}
	perRow := make([]Problems, len(rows))
	firstRow := map[string]int{}
	var emails []string
	for i, r := range rows {
		p := Problems{}
		for f, pr := range r.Problems {
			p.Add(f, pr.Key, pr.Args...)
		}
		in := r.input(plan.venue.Slug)
		for f, pr := range in.Validate() {
			p.Add(f, pr.Key, pr.Args...)
		}
		if l := strings.TrimSpace(r.Lang); l != "" && !slices.Contains([]string{"nl", "en"}, strings.ToLower(l)) {
			p.Add("lang", "import.bad_language")
		}
		if _, bad := p["email"]; !bad {
			email := NormalizeEmail(r.Email)
			if first, dup := firstRow[email]; dup {
				p.Add("email", "import.duplicate_in_file", "Row", first)
			} else {
				firstRow[email] = r.Row
				emails = append(emails, email)
			}
		}
		perRow[i] = p
	}
	existing := map[string]*Registration{}
	for chunk := range slices.Chunk(emails, 500) {
		var found []Registration
		err := db.Select("id", "venue_id", "active_email", "email", "name", "organisation", "job_title", "dietary", "accessibility", "lang").
			Where("event_id = ? AND active_email IN ?", plan.venue.EventID, chunk).Find(&found).Error
		if err != nil {
			return plan, err
		}
		for i := range found {
			existing[*found[i].ActiveEmail] = &found[i]
		}
	}
	for i, r := range rows {
		p := perRow[i]
		if len(p) == 0 {
			if e := existing[NormalizeEmail(r.Email)]; e != nil && e.VenueID != venueID {
				p.Add("email", "import.registered_elsewhere")
			} else if e != nil {
				plan.existing[i] = e
			}
		}
		if len(p) > 0 {
			res.Outcomes[i] = ImportRefused
			for _, f := range p.Fields() {
				res.Problems = append(res.Problems, ImportProblem{Row: r.Row, Field: f, Problem: p[f]})
			}
			continue
		}
		res.Valid++
		switch e := plan.existing[i]; {
		case e == nil:
			res.Outcomes[i] = ImportNew
			res.New++
		case len(changedFields(*e, r)) == 0:
			res.Outcomes[i] = ImportUnchanged
			res.Unchanged++
		default:
			res.Outcomes[i] = ImportUpdate
			res.Updated++
		}
	}
	if free := max(0, plan.venue.Capacity-plan.venue.Registered); res.New > free {
		res.Problems = append([]ImportProblem{{Field: "venue", Problem: Problem{Key: "import.not_enough_places",
			Args: []any{"New", res.New, "Free", free}}}}, res.Problems...)
	}
	return plan, nil
}

// input is the row as a registration form would have it.
func (r ImportRow) input(venueSlug string) RegistrationInput {
	return RegistrationInput{Name: r.Name, Email: r.Email, Organisation: r.Organisation, JobTitle: r.JobTitle,
		Dietary: r.Dietary, Accessibility: r.Accessibility, Lang: strings.ToLower(strings.TrimSpace(r.Lang)),
		Venue: venueSlug, Consent: true}
}

// changedFields lists the fields a row changes in an existing registration; an empty
// language in the file keeps the one they chose.
func changedFields(e Registration, r ImportRow) []string {
	var out []string
	in := r.input("")
	for _, f := range []struct {
		name, old, new string
	}{
		{"name", e.Name, in.Name}, {"organisation", e.Organisation, in.Organisation}, {"job_title", e.JobTitle, in.JobTitle},
		{"dietary", e.Dietary, in.Dietary}, {"accessibility", e.Accessibility, in.Accessibility},
	} {
		if strings.TrimSpace(f.new) != f.old {
			out = append(out, f.name)
		}
	}
	if in.Lang != "" && in.Lang != e.Lang {
		out = append(out, "lang")
	}
	return out
}

// applyImport writes a checked plan: updates, new registrations through registerTx, and one
// audit entry for every person it changed or added.
func (s *Store) applyImport(ctx context.Context, tx *gorm.DB, by Actor, plan *importPlan) error {
	now := s.now().UTC()
	for i, r := range plan.rows {
		in := r.input(plan.venue.Slug)
		if e := plan.existing[i]; e != nil {
			changed := changedFields(*e, r)
			if len(changed) == 0 {
				continue
			}
			name, org := strings.TrimSpace(in.Name), strings.TrimSpace(in.Organisation)
			upd := map[string]any{"name": name, "organisation": org, "job_title": strings.TrimSpace(in.JobTitle),
				"dietary": strings.TrimSpace(in.Dietary), "accessibility": strings.TrimSpace(in.Accessibility),
				"search_text": searchText(name, e.Email, org), "sort_name": sortName(name), "updated_at": now}
			if in.Lang != "" {
				upd["lang"] = in.Lang
			}
			if slices.Contains(changed, "name") || slices.Contains(changed, "organisation") {
				upd["ticket_version"] = gorm.Expr("ticket_version + 1") // the door shows both
			}
			if err := tx.Model(&Registration{}).Where("id = ?", e.ID).Updates(upd).Error; err != nil {
				return err
			}
			err := writeAudit(tx, now, by, AuditRecord{Action: "registration.import", SubjectKind: SubjectRegistration,
				SubjectID: e.ID, VenueID: plan.venue.ID, Details: map[string]any{"changed": changed}})
			if err != nil {
				return err
			}
			continue
		}
		reg := newRegistration(in, plan.venue.EventID, plan.venue.ID, plan.privacyVersion, now)
		if _, err := s.registerTx(ctx, tx, now, &reg, choicePlan{slots: map[uint][]uint{}}, registerOptions{onBehalf: true}); err != nil {
			return importRowError{row: r.Row, err: err}
		}
		plan.res.CreatedIDs = append(plan.res.CreatedIDs, reg.ID)
		err := writeAudit(tx, now, by, AuditRecord{Action: "registration.import", SubjectKind: SubjectRegistration,
			SubjectID: reg.ID, VenueID: plan.venue.ID, Details: map[string]any{"created": true}})
		if err != nil {
			return err
		}
	}
	return nil
}
