// Package importfile reads an organiser's list of attendees, a CSV or XLSX file, into rows
// for models.Store.ImportRegistrations. It refuses what it cannot read safely: files that are
// too large (or unpack too large), formulas, columns it does not know.
package importfile

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/ambtenaar20/dagplanner/models"
)

// MaxBytes bounds an uploaded file.
const MaxBytes = 5 << 20

// Kinds of file.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// XLSXContentType is the media type of an XLSX file.
const XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// headers maps a folded header (lower case, no accents, letters and digits only) to a field.
var headers = map[string]string{
	"naam": "name", "name": "name", "volledigenaam": "name", "fullname": "name",
	"email": "email", "emailadres": "email", "emailaddress": "email", "mail": "email",
	"organisatie": "organisation", "organisation": "organisation", "organization": "organisation",
	"functie": "job_title", "jobtitle": "job_title", "functietitel": "job_title",
	"dieet": "dietary", "dieetwensen": "dietary", "dietary": "dietary", "dietaryneeds": "dietary", "dietaryrequirements": "dietary",
	"toegankelijkheid": "accessibility", "accessibility": "accessibility",
	"taal": "lang", "language": "lang", "lang": "lang",
}

// requiredHeaders names the required columns in a problem, in both languages.
var requiredHeaders = map[string]string{"name": "naam (name)", "email": "e-mail", "organisation": "organisatie (organisation)"}

// foldHeader reduces a header to what matching compares: "E-mail" and "email" are one.
func foldHeader(h string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, models.FoldForSearch(h))
}

// Kind tells a file's kind from its first bytes, its name and the media type it came with:
// a zip (or a name or type that says XLSX) is XLSX, anything else CSV.
func Kind(data []byte, name, contentType string) string {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || strings.HasSuffix(strings.ToLower(name), ".xlsx") ||
		strings.HasPrefix(contentType, XLSXContentType) {
		return XLSX
	}
	return CSV
}

// Read reads a file of the given kind into rows. Problems with the file as a whole (too large,
// not an XLSX, unknown or missing columns) come back on row 0 with no rows; problems with a
// cell (a formula) are in that row's Problems.
func Read(data []byte, kind string) ([]models.ImportRow, []models.ImportProblem) {
	if len(data) > MaxBytes {
		return nil, fileProblem("import.too_large", "Max", MaxBytes>>20)
	}
	var table [][]string
	var formulas func(row, col int) bool
	var probs []models.ImportProblem
	if kind == XLSX {
		table, formulas, probs = readXLSX(data)
	} else {
		table, probs = readCSV(data)
		formulas = func(row, col int) bool {
			return col < len(table[row]) && isFormulaText(table[row][col])
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return toRows(table, formulas)
}

func fileProblem(key string, args ...any) []models.ImportProblem {
	return []models.ImportProblem{{Field: "file", Problem: models.Problem{Key: key, Args: args}}}
}

// toRows maps the header row to fields and turns the other rows into ImportRows, skipping
// empty ones.
func toRows(table [][]string, formula func(row, col int) bool) ([]models.ImportRow, []models.ImportProblem) {
	if len(table) == 0 {
		return nil, fileProblem("import.empty")
	}
	if len(table) > models.MaxImportRows+1 {
		return nil, fileProblem("import.too_many_rows", "Max", models.MaxImportRows)
	}
	fields := make([]string, len(table[0]))
	seen := map[string]bool{}
	var unknown, doubled []string
	for i, h := range table[0] {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if h == "" {
			continue
		}
		f, ok := headers[foldHeader(h)]
		switch {
		case !ok:
			unknown = append(unknown, h)
		case seen[f]:
			doubled = append(doubled, h)
		default:
			fields[i], seen[f] = f, true
		}
	}
	var missing []string
	for _, f := range models.ImportRequired {
		if !seen[f] {
			missing = append(missing, requiredHeaders[f])
		}
	}
	var probs []models.ImportProblem
	if len(unknown) > 0 {
		probs = append(probs, fileProblem("import.unknown_columns", "Columns", strings.Join(unknown, ", "))...)
	}
	if len(doubled) > 0 {
		probs = append(probs, fileProblem("import.duplicate_columns", "Columns", strings.Join(doubled, ", "))...)
	}
	if len(missing) > 0 {
		probs = append(probs, models.ImportProblem{Field: "columns", Problem: models.Problem{Key: "import.missing_columns", Args: []any{"Columns", strings.Join(missing, ", ")}}})
	}
	if len(probs) > 0 {
		return nil, probs
	}
	var rows []models.ImportRow
	for i := 1; i < len(table); i++ {
		cells := table[i]
		if blank(cells) {
			continue
		}
		r := models.ImportRow{Row: i + 1}
		for col, f := range fields {
			if f == "" {
				continue
			}
			v := ""
			if col < len(cells) {
				v = cells[col]
			}
			if formula(i, col) {
				if r.Problems == nil {
					r.Problems = models.Problems{}
				}
				r.Problems.Add(f, "import.formula")
				v = ""
			}
			set(&r, f, v)
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil, fileProblem("import.empty")
	}
	return rows, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func set(r *models.ImportRow, field, v string) {
	v = strings.TrimSpace(v)
	switch field {
	case "name":
		r.Name = v
	case "email":
		r.Email = v
	case "organisation":
		r.Organisation = v
	case "job_title":
		r.JobTitle = v
	case "dietary":
		r.Dietary = v
	case "accessibility":
		r.Accessibility = v
	case "lang":
		r.Lang = v
	}
}

// isFormulaText reports whether a CSV cell would be taken for a formula by a spreadsheet.
func isFormulaText(v string) bool {
	v = strings.TrimLeft(v, " \t\r\n")
	return v != "" && strings.ContainsRune("=+-@", rune(v[0]))
}
