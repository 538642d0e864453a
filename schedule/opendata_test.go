package schedule

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"testing"
)

func TestOpenDataJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteOpenDataJSON(&buf, testProgramme()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Licence  struct{ Name, URL, Statement string }
		Version  int
		Venues   []struct{ Slug string }
		Sessions []struct {
			ID       uint
			Title    string
			Start    string
			End      string
			Venue    string
			City     string
			Room     string
			Speakers []struct{ Name, Organisation string }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Licence.Name != "CC0 1.0" || got.Licence.URL != DefaultLicence.URL || got.Licence.Statement == "" {
		t.Errorf("licence = %+v", got.Licence)
	}
	if len(got.Venues) != 2 || len(got.Sessions) != 8 {
		t.Fatalf("%d venues and %d sessions, want 2 and 8 (all venues)", len(got.Venues), len(got.Sessions))
	}
	training := got.Sessions[3]
	if training.ID != 102 || training.Start != "2027-01-14T13:00:00+01:00" || training.End != "2027-01-14T15:15:00+01:00" ||
		training.Venue != "zwolle" || training.City != "Zwolle" || training.Room != "Kamer 3.01" {
		t.Errorf("training = %+v", training)
	}
	if s := got.Sessions[1]; len(s.Speakers) != 2 || s.Speakers[0].Organisation != "Ministerie van BZK" {
		t.Errorf("speakers of %d = %+v", s.ID, s.Speakers)
	}
}

func TestOpenDataCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteOpenDataCSV(&buf, testProgramme()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("licence\r\n")) {
		t.Error("header row does not end with licence and CRLF")
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], CSVHeader) || len(rows) != 9 {
		t.Fatalf("header %v and %d rows, want %v and 9", rows[0], len(rows), CSVHeader)
	}
	col := func(name string) int { return slices.Index(CSVHeader, name) }
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		byID[r[col("id")]] = r
		if r[col("licence")] != DefaultLicence.Statement() {
			t.Errorf("row %s: licence = %q", r[0], r[col("licence")])
		}
	}
	cafe := byID["101"]
	if cafe[col("title")] != accentTitle || cafe[col("room")] != "Zaal 2.14" || cafe[col("city")] != "Zwolle" ||
		cafe[col("speakers")] != "Zoë Ångström (Ministerie van BZK); Anna de Vries (Gemeente Zwolle)" {
		t.Errorf("row 101 = %q", cafe)
	}
	if tr := byID["102"]; tr[col("date")] != "2027-01-14" || tr[col("start")] != "13:00" || tr[col("end")] != "15:15" {
		t.Errorf("row 102 = %q, want 13:00–15:15 on 2027-01-14", tr)
	}
	formula := byID["104"]
	for name, want := range map[string]string{
		"title": "'" + formulaTitle, "abstract": "'-Rekenen zonder fouten.", "speakers": "'@datateam (+CBS)",
	} {
		if got := formula[col(name)]; got != want {
			t.Errorf("row 104 %s = %q, want %q (defused)", name, got, want)
		}
	}
	if got := byID["100"][col("title")]; got != scriptTitle {
		t.Errorf("row 100 title = %q, want it as it is", got)
	}
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+31 6": "'+31 6", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"Zwolle": "Zwolle", "": "", "a=b": "a=b", "13:00": "13:00",
	} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGoldenOpenData(t *testing.T) {
	var j, c bytes.Buffer
	if err := WriteOpenDataJSON(&j, testProgramme()); err != nil {
		t.Fatal(err)
	}
	if err := WriteOpenDataCSV(&c, testProgramme()); err != nil {
		t.Fatal(err)
	}
	golden(t, "programme.json.golden", j.Bytes())
	golden(t, "programme.csv.golden", c.Bytes())
}
