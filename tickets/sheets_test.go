package tickets_test

import (
	"bytes"
	"cmp"
	"fmt"
	"image"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"

	"github.com/ambtenaar20/dagplanner/tickets"
)

func TestLastNameKey(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Jan van den Berg", "Berg, Jan van den"},
		{"de Vries", "Vries, de"},
		{"Anna de Vries", "Vries, Anna de"},
		{"Piet van 't Hof", "Hof, Piet van 't"},
		{"Kees in 't Veld", "Veld, Kees in 't"},
		{"Els op de Beek", "Beek, Els op de"},
		{"Tom uit den Bogaard", "Bogaard, Tom uit den"},
		{"Ursula von der Leyen", "Leyen, Ursula von der"},
		{"Zoë Ångström-Ñúñez", "Ångström-Ñúñez, Zoë"},
		// A double name whose second part has a prefix sorts by its first part.
		{"Zoë Ğüneş-van den Bërg", "Ğüneş-van den Bërg, Zoë"},
		{"Jan van der Berg", "Berg, Jan van der"},
		{"Anna de Boer-van Dijk", "Boer-van Dijk, Anna de"},
		{"Maria Anna Jansen", "Jansen, Maria Anna"},
		{"Madonna", "Madonna"},
		{"  Jan   ter  Horst ", "Horst, Jan ter"},
		{"", ""},
	} {
		if got := tickets.LastNameKey(tc.name); got != tc.want {
			t.Errorf("LastNameKey(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

var sortedNames = []string{
	"Zoë Ångström-Ñúñez",
	"Jan van den Berg",
	"Anna Bergman",
	"Piet de Boer",
	"Zoë Ğüneş-van den Bërg", // under G, not under B
	"Els op de Beek",         // B-e-e before B-e-r
	"Kees in 't Veld",
	"Ursula von der Leyen",
	"Şükrü Öztürk",
	"Anna de Vries",
	"Bert de Vries",
	"Jan Vries",
	"Дмитрий Шостакович",
	"Αλέξανδρος Παπαδόπουλος",
}

func TestSortByLastName(t *testing.T) {
	want := []string{
		"Zoë Ångström-Ñúñez", "Els op de Beek", "Jan van den Berg", "Anna Bergman", "Piet de Boer",
		"Zoë Ğüneş-van den Bërg", "Ursula von der Leyen", "Şükrü Öztürk", "Kees in 't Veld", "Anna de Vries", "Bert de Vries", "Jan Vries",
		"Αλέξανδρος Παπαδόπουλος", "Дмитрий Шостакович",
	}
	got := slices.Clone(sortedNames)
	slices.Reverse(got)
	tickets.SortByLastName(got)
	if !slices.Equal(got, want) {
		t.Errorf("SortByLastName =\n%q\nwant\n%q", got, want)
	}
}

// badges returns n badges with distinct names, in no particular order.
func badges(s tickets.Signer, n int) []tickets.Badge {
	first := []string{"Jan", "Zoë", "Şükrü", "Anna", "Αλέξανδρος", "Дмитрий", "Fatima", "Kees"}
	last := []string{"van den Berg", "de Vries", "Öztürk", "Jansen", "Παπαδόπουλος", "Шостакович", "El Amrani", "in 't Veld", "Bakker", "Visser", "Smit", "Meijer"}
	out := make([]tickets.Badge, n)
	for i := range out {
		p := s.Payload(tickets.Ticket{ID: uint32(1000 + i), Venue: "utrecht", Version: 1})
		out[i] = tickets.Badge{
			Name:         fmt.Sprintf("%s %c. %s", first[i%len(first)], 'A'+i/96, last[(i/8)%len(last)]),
			Organisation: "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
			Payload:      p,
			Code:         tickets.ShortCode(p),
		}
	}
	return out
}

func TestBadges(t *testing.T) {
	pub, priv := testKey(1)
	s, v := tickets.NewSigner(priv), tickets.NewVerifier(pub)
	in := badges(s, 700)
	var buf bytes.Buffer
	err := newRenderer(t).Badges(&buf, tickets.BadgeSheetData{
		Event: "Dag van de Digitale Overheid 2026", Venue: "Jaarbeurs Utrecht", Badges: in, Labels: tickets.DutchLabels(),
	})
	if err != nil {
		t.Fatalf("Badges() error = %v", err)
	}
	t.Logf("700 badges: %d bytes", buf.Len())
	if got, want := ticketstest.PDFPages(t, buf.Bytes()), 88; got != want {
		t.Errorf("pages = %d, want %d", got, want)
	}

	// The order on the sheets is the order of SortByLastName.
	names := make([]string, len(in))
	for i, b := range in {
		names[i] = b.Name
	}
	tickets.SortByLastName(names)
	text := squash(ticketstest.PDFText(t, buf.Bytes(), "-f", "1", "-l", "1"))
	for _, name := range names[:8] {
		if !strings.Contains(text, squash(name)) {
			t.Errorf("page 1 lacks %q:\n%s", name, text)
		}
	}
	byName := map[string]tickets.Badge{}
	for _, b := range in {
		byName[b.Name] = b
	}

	// Every QR code on a sampled page decodes to the payload of the badge in its
	// cell, which also checks the order.
	for _, page := range []int{1, 44, 88} {
		img := ticketstest.Rasterise(t, buf.Bytes(), page, 150)
		cells := 8
		if page == 88 {
			cells = 700 - 87*8
		}
		for c := 0; c < cells; c++ {
			const dpmm = 150 / 25.4
			x, y := 10+float64(c%2)*95, 18.5+float64(c/2)*65
			r := image.Rect(int(x*dpmm), int(y*dpmm), int((x+95)*dpmm), int((y+65)*dpmm))
			got := ticketstest.DecodeQR(t, ticketstest.Crop(img, r))
			want := byName[names[(page-1)*8+c]]
			if got != want.Payload {
				t.Errorf("page %d cell %d: QR = %q, want the payload of %q", page, c, got, want.Name)
			}
			if _, err := v.Verify(got); err != nil {
				t.Errorf("page %d cell %d: Verify = %v", page, c, err)
			}
		}
		if page == 1 {
			if all := ticketstest.DecodeQRs(t, img); len(all) != 8 {
				t.Logf("multi-reader found %d of 8 QR codes on page 1", len(all))
			}
		}
	}
}

func TestDoorList(t *testing.T) {
	_, priv := testKey(1)
	s := tickets.NewSigner(priv)
	var entries []tickets.DoorListEntry
	for i, name := range sortedNames {
		p := s.Payload(tickets.Ticket{ID: uint32(i), Venue: "zwolle", Version: 1})
		entries = append(entries, tickets.DoorListEntry{Name: name, Organisation: "Gemeente Zwolle", Code: tickets.ShortCode(p)})
	}
	// Enough rows for three pages.
	for i := 0; i < 60; i++ {
		p := s.Payload(tickets.Ticket{ID: uint32(100 + i), Venue: "zwolle", Version: 1})
		entries = append(entries, tickets.DoorListEntry{Name: fmt.Sprintf("Extra Zwart%02d", i), Code: tickets.ShortCode(p)})
	}
	slices.Reverse(entries)
	var buf bytes.Buffer
	err := newRenderer(t).DoorList(&buf, tickets.DoorListData{
		Event: "Dag van de Digitale Overheid 2026", Date: "12 maart 2026", Venue: "Zwolle", Entries: entries, Labels: tickets.DutchLabels(),
	})
	if err != nil {
		t.Fatalf("DoorList() error = %v", err)
	}
	if got, want := ticketstest.PDFPages(t, buf.Bytes()), 3; got != want {
		t.Errorf("pages = %d, want %d", got, want)
	}
	text := ticketstest.PDFText(t, buf.Bytes())
	for _, s := range []string{"Deurlijst · Zwolle", "pagina 1 van 3", "pagina 3 van 3", "74 deelnemers", "BINNEN"} {
		if !strings.Contains(text, s) {
			t.Errorf("door list lacks %q", s)
		}
	}
	if n := strings.Count(text, "NAAM"); n != 3 {
		t.Errorf("column header printed %d times, want once per page (3)", n)
	}
	codes := map[string]string{}
	for _, e := range entries {
		codes[e.Name] = e.Code
	}
	// Each name, as "Last, given", is on one line with its code, in SortByLastName order.
	want := slices.Clone(sortedNames)
	tickets.SortByLastName(want)
	pos := -1
	for _, name := range want {
		line := tickets.LastNameKey(name) + " "
		at := strings.Index(text, line)
		if at < 0 {
			t.Fatalf("door list lacks %q:\n%s", line, text)
		}
		end := at + strings.Index(text[at:], "\n")
		if !strings.Contains(text[at:end], codes[name]) {
			t.Errorf("line of %q = %q, want code %s", name, text[at:end], codes[name])
		}
		if at < pos {
			t.Errorf("%q is listed before the name sorted before it", name)
		}
		pos = at
	}
}

// TestDoorListHeadersApart: the column headers of the door list stand apart, in Dutch and
// English, as pdftotext measures the words' boxes ("BINNEN" overprinted "NAAM").
func TestDoorListHeadersApart(t *testing.T) {
	for _, labels := range []tickets.Labels{tickets.DutchLabels(), tickets.EnglishLabels()} {
		var buf bytes.Buffer
		err := newRenderer(t).DoorList(&buf, tickets.DoorListData{Event: "Dag", Date: "12 maart 2026", Venue: "Zwolle",
			Entries: []tickets.DoorListEntry{{Name: "Zoë Ğüneş-van den Bërg", Organisation: "Gemeente", Code: "ABCD-EFGH"}}, Labels: labels})
		if err != nil {
			t.Fatal(err)
		}
		html := ticketstest.PDFText(t, buf.Bytes(), "-bbox")
		re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>`)
		type box struct {
			x0, y, x1 float64
			text      string
		}
		var header []box
		var nameY float64
		var words []box
		for _, m := range re.FindAllStringSubmatch(html, -1) {
			x0, _ := strconv.ParseFloat(m[1], 64)
			y, _ := strconv.ParseFloat(m[2], 64)
			x1, _ := strconv.ParseFloat(m[3], 64)
			words = append(words, box{x0, y, x1, m[4]})
			if m[4] == strings.ToUpper(labels.Name) {
				nameY = y
			}
		}
		for _, w := range words {
			if nameY > 0 && math.Abs(w.y-nameY) < 1 {
				header = append(header, w)
			}
		}
		slices.SortFunc(header, func(a, b box) int { return cmp.Compare(a.x0, b.x0) })
		// Each column's label, from its first word's left to its last word's right.
		var cols []box
		k := 0
		for _, l := range []string{labels.Present, labels.Name, labels.Organisation, labels.Code} {
			ws := strings.Fields(strings.ToUpper(l))
			if k+len(ws) > len(header) || header[k].text != ws[0] || header[k+len(ws)-1].text != ws[len(ws)-1] {
				t.Fatalf("%s: header words %v, want %q next", labels.Name, header, ws)
			}
			cols = append(cols, box{header[k].x0, header[k].y, header[k+len(ws)-1].x1, strings.ToUpper(l)})
			k += len(ws)
		}
		for i := 1; i < len(cols); i++ {
			if gap := cols[i].x0 - cols[i-1].x1; gap < 3 {
				t.Errorf("%q ends %.1f pt from where %q starts, want at least 3 pt", cols[i-1].text, gap, cols[i].text)
			}
		}
	}
}
