package importfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/ambtenaar20/dagplanner/models"
)

// readCSV reads UTF-8 CSV, with or without a byte order mark, separated by ";" (as Dutch
// Excel writes it) or "," — whichever the header line has more of.
func readCSV(data []byte) ([][]string, []models.ImportProblem) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fileProblem("import.not_utf8")
	}
	header := data
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		header = data[:i]
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = ','
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	var table [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			return nil, fileProblem("import.csv_broken", "Line", perr.StartLine)
		}
		if err != nil {
			return nil, fileProblem("import.csv_broken", "Line", 0)
		}
		if len(table) > models.MaxImportRows {
			return nil, fileProblem("import.too_many_rows", "Max", models.MaxImportRows)
		}
		table = append(table, rec)
	}
	return table, nil
}
