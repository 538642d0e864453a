package importfile_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ambtenaar20/dagplanner/importfile"
	"github.com/ambtenaar20/dagplanner/importfile/importfiletest"
	"github.com/ambtenaar20/dagplanner/models"
)

func problemKeys(probs []models.ImportProblem) []string {
	var out []string
	for _, p := range probs {
		out = append(out, fmt.Sprintf("%d/%s/%s", p.Row, p.Field, p.Key))
	}
	return out
}

func TestReadCSV(t *testing.T) {
	for _, tc := range []struct {
		name, data string
	}{
		{"comma", "Naam,E-mail,Organisatie,Taal\nZoë Bakker,zoe@example.nl,\"Gemeente, Zwolle\",en\n"},
		{"semicolon with BOM", "\ufeffnaam;e-mail;organisatie;taal\r\nZoë Bakker;zoe@example.nl;Gemeente, Zwolle;en\r\n"},
		{"English headers, any case and accents", "NAME,Émail,Organization,Language\nZoë Bakker,zoe@example.nl,\"Gemeente, Zwolle\",en\n\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.data)
			rows, probs := importfile.Read(data, importfile.Kind(data, "lijst.csv", "text/csv"))
			if len(probs) > 0 || len(rows) != 1 {
				t.Fatalf("Read = %+v, %v; want one row", rows, problemKeys(probs))
			}
			want := models.ImportRow{Row: 2, Name: "Zoë Bakker", Email: "zoe@example.nl", Organisation: "Gemeente, Zwolle", Lang: "en"}
			if fmt.Sprint(rows[0]) != fmt.Sprint(want) {
				t.Errorf("row = %+v, want %+v", rows[0], want)
			}
		})
	}
}

func TestReadCSVQuotedNewlines(t *testing.T) {
	data := []byte("naam;email;organisatie;dieet\n\"Jan\";jan@example.nl;Rijk;\"geen noten\nen geen gluten\"\nPiet;piet@example.nl;Rijk;\n")
	rows, probs := importfile.Read(data, importfile.CSV)
	if len(probs) > 0 || len(rows) != 2 {
		t.Fatalf("Read = %+v, %v", rows, problemKeys(probs))
	}
	if rows[0].Dietary != "geen noten\nen geen gluten" || rows[1].Row != 3 {
		t.Errorf("rows = %+v: want the newline kept inside the cell and Piet on row 3", rows)
	}
}

func TestReadRefuses(t *testing.T) {
	big := strings.Repeat("x", importfile.MaxBytes+1)
	for _, tc := range []struct {
		name, data string
		want       []string
	}{
		{"unknown and missing columns", "naam;telefoon;schoenmaat\nJan;06;44\n", []string{"0/file/import.unknown_columns", "0/columns/import.missing_columns"}},
		{"a column twice", "naam,email,e-mail,organisatie\nJan,a@b.nl,a@b.nl,Rijk\n", []string{"0/file/import.duplicate_columns"}},
		{"only a header", "naam,email,organisatie\n", []string{"0/file/import.empty"}},
		{"not UTF-8", "naam,email,organisatie\nJos\xe9,j@b.nl,Rijk\n", []string{"0/file/import.not_utf8"}},
		{"broken quotes", "naam,email,organisatie\n\"Jan,j@b.nl,Rijk\n", []string{"0/file/import.csv_broken"}},
		{"too large", big, []string{"0/file/import.too_large"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, probs := importfile.Read([]byte(tc.data), importfile.CSV)
			if got := problemKeys(probs); fmt.Sprint(got) != fmt.Sprint(tc.want) || rows != nil {
				t.Errorf("problems = %v (rows %d), want %v and no rows", got, len(rows), tc.want)
			}
		})
	}
}

func TestReadCSVFormulas(t *testing.T) {
	data := []byte("naam,email,organisatie,functie\n\"=HYPERLINK(\"\"x\"\")\",a@b.nl,+31,@SUM(A1)\nJan,j@b.nl,Rijk,  -1\n")
	rows, probs := importfile.Read(data, importfile.CSV)
	if len(probs) > 0 || len(rows) != 2 {
		t.Fatalf("Read = %v", problemKeys(probs))
	}
	for _, f := range []string{"name", "organisation", "job_title"} {
		if rows[0].Problems[f].Key != "import.formula" {
			t.Errorf("row 2 %s: problems %v, want import.formula", f, rows[0].Problems)
		}
	}
	if rows[0].Name != "" || rows[1].Problems["job_title"].Key != "import.formula" || rows[1].Problems["name"].Key != "" {
		t.Errorf("rows = %+v: formulas refused and never kept", rows)
	}
}

func TestReadTenThousandRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("naam;email;organisatie\n")
	for i := range models.MaxImportRows {
		fmt.Fprintf(&b, "Persoon %d;p%d@example.nl;Rijk\n", i, i)
	}
	rows, probs := importfile.Read([]byte(b.String()), importfile.CSV)
	if len(probs) > 0 || len(rows) != models.MaxImportRows {
		t.Fatalf("10,000 rows: got %d rows, %v", len(rows), problemKeys(probs))
	}
	b.WriteString("Een te veel;teveel@example.nl;Rijk\n")
	if _, probs := importfile.Read([]byte(b.String()), importfile.CSV); fmt.Sprint(problemKeys(probs)) != "[0/file/import.too_many_rows]" {
		t.Errorf("10,001 rows: problems %v, want too many rows", problemKeys(probs))
	}
}

// xlsxFile builds a workbook: a header and rows; a cell starting with "=" becomes a formula.
func xlsxFile(t testing.TB, table [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	for r, row := range table {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var err error
			if strings.HasPrefix(v, "=") {
				err = f.SetCellFormula("Sheet1", cell, v[1:])
			} else {
				err = f.SetCellValue("Sheet1", cell, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX(t *testing.T) {
	data := xlsxFile(t, [][]string{
		{"Naam", "E-mail", "Organisatie", "Toegankelijkheid"},
		{"Zoë Bakker", "zoe@example.nl", "Rijk", "rolstoel"},
		{},
		{"=CONCAT(\"a\",\"b\")", "jan@example.nl", "Rijk", ""},
	})
	if k := importfile.Kind(data, "upload", ""); k != importfile.XLSX {
		t.Fatalf("Kind = %q, want xlsx", k)
	}
	rows, probs := importfile.Read(data, importfile.XLSX)
	if len(probs) > 0 || len(rows) != 2 {
		t.Fatalf("Read = %+v, %v", rows, problemKeys(probs))
	}
	if rows[0].Name != "Zoë Bakker" || rows[0].Accessibility != "rolstoel" || rows[1].Row != 4 {
		t.Errorf("rows = %+v", rows)
	}
	if rows[1].Problems["name"].Key != "import.formula" || rows[1].Name != "" {
		t.Errorf("formula cell: row %+v, want refused with import.formula", rows[1])
	}
}

func TestReadXLSXRefuses(t *testing.T) {
	// A zip bomb: a small file that unpacks to 300 MB of zeros.
	bomb := bytes.NewBuffer(importfiletest.ZipBomb(t, 300))
	if bomb.Len() > importfile.MaxBytes {
		t.Fatalf("the bomb is %d bytes: not small enough to pass the size limit", bomb.Len())
	}
	notZip := []byte("PK\x03\x04 but not really a zip file at all")
	var noWorkbook bytes.Buffer
	zw := zip.NewWriter(&noWorkbook)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte("<w/>"))
	zw.Close()
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"zip bomb", bomb.Bytes(), "[0/file/import.too_large_unpacked]"},
		{"not a zip", notZip, "[0/file/import.not_xlsx]"},
		{"a zip without a workbook", noWorkbook.Bytes(), "[0/file/import.not_xlsx]"},
		{"CSV text sent as XLSX", []byte("naam,email,organisatie\n"), "[0/file/import.not_xlsx]"},
		{"wrong columns", xlsxFile(t, [][]string{{"Naam", "Telefoon"}, {"Jan", "06"}}), "[0/file/import.unknown_columns 0/columns/import.missing_columns]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, probs := importfile.Read(tc.data, importfile.XLSX)
			if got := fmt.Sprint(problemKeys(probs)); got != tc.want || rows != nil {
				t.Errorf("problems = %s (%d rows), want %s", got, len(rows), tc.want)
			}
		})
	}
}
