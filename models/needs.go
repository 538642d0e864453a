package models

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
)

// Kinds of need.
const (
	NeedDietary       = "dietary"
	NeedAccessibility = "accessibility"
)

// knownNeed is a need people often write down, and the words they write it with, folded
// (FoldForSearch). A word matches a word of the text that starts with it; a phrase (with a
// space) matches anywhere in the folded text.
type knownNeed struct {
	key   string
	words []string
}

// knownNeeds are recognised in Dutch and English, most specific first: the first that
// matches a part of the text names it.
var knownNeeds = map[string][]knownNeed{
	NeedDietary: {
		{"vegan", []string{"vegan", "plantaardig", "plant-based", "plant based"}},
		{"vegetarian", []string{"vegetar", "vega", "veggie", "geen vlees", "no meat"}},
		{"pescatarian", []string{"pescetar", "pescatar", "pesco", "visetar"}},
		{"gluten_free", []string{"gluten", "coeliak", "coeliac", "celiac", "tarwe", "wheat"}},
		{"lactose_free", []string{"lactose", "zuivel", "dairy", "melk", "koemelk", "milk"}},
		{"nut_allergy", []string{"noot", "noten", "nut", "nuts", "pinda", "peanut", "hazelno", "walnut", "cashew", "amandel", "almond"}},
		{"shellfish_allergy", []string{"schaal", "shellfish", "seafood", "zeevruchten", "schelpdier", "garnal", "shrimp"}},
		{"no_fish", []string{"geen vis", "no fish", "visallergie", "fish allergy", "fish"}},
		{"halal", []string{"halal"}},
		{"kosher", []string{"kosher", "koosjer"}},
		{"no_pork", []string{"varkensvlees", "pork", "geen varken", "no pig"}},
		{"diabetic", []string{"diabet", "suikervrij", "sugar free", "sugar-free", "suikerziekte"}},
		{"egg_allergy", []string{"ei-allergie", "eiallergie", "geen ei", "egg"}},
		{"soy_allergy", []string{"soja", "soy"}},
	},
	NeedAccessibility: {
		{"wheelchair", []string{"rolstoel", "wheelchair", "wheel chair", "scootmobiel", "mobility scooter"}},
		{"hearing_loop", []string{"ringleiding", "hearing loop", "induction loop", "solo-apparatuur", "t-spoel", "loop system"}},
		{"sign_language", []string{"doventolk", "gebarentolk", "tolk ngt", "ngt", "sign language", "bsl", "asl", "gebarentaal"}},
		{"captions", []string{"schrijftolk", "ondertitel", "caption", "speech-to-text", "speech to text"}},
		{"visual", []string{"blind", "slechtziend", "visually", "visual impair", "low vision", "braille", "grote letters", "large print"}},
		{"guide_dog", []string{"geleidehond", "hulphond", "guide dog", "assistance dog", "service dog"}},
		{"mobility", []string{"rollator", "walker", "kruk", "crutch", "slecht ter been", "geen trap", "no stairs", "lift", "elevator", "mobility", "wandelstok", "cane"}},
		{"quiet_room", []string{"prikkelarm", "stilteruimte", "rustige ruimte", "quiet room", "quiet space", "autis", "sensory"}},
		{"front_seat", []string{"vooraan", "front row", "near the front", "eerste rij"}},
		{"parking", []string{"invalidenparkeer", "gehandicaptenparkeer", "disabled parking", "parkeerplaats", "parking"}},
	},
}

// NeedKeys lists the keys of the known needs of a kind, in the order they are recognised:
// the message catalogue names each as "needs.kind.<key>".
func NeedKeys(kind string) []string {
	var out []string
	for _, n := range knownNeeds[kind] {
		out = append(out, n.key)
	}
	return out
}

// NeedCount is how many people have one need. Key names a known need; for one that is not
// recognised Key is empty and Text is the need as (the first person) typed it.
type NeedCount struct {
	Key   string
	Text  string
	Count int
}

// splitNeeds cuts what someone typed into separate needs: by commas, semicolons, slashes,
// plus signs, new lines, and the words "en"/"and".
func splitNeeds(text string) []string {
	parts := strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == ';' || r == '/' || r == '+' || r == '\n' || r == '\r' || r == '&' || r == '•'
	})
	var out []string
	for _, p := range parts {
		words := strings.Fields(p)
		start := 0
		for i, w := range words {
			if lw := strings.ToLower(w); lw == "en" || lw == "and" || lw == "plus" {
				if i > start {
					out = append(out, strings.Join(words[start:i], " "))
				}
				start = i + 1
			}
		}
		if start < len(words) {
			out = append(out, strings.Join(words[start:], " "))
		}
	}
	return out
}

// foldNeed is the key that groups needs typed differently: folded (case, accents), with
// white space collapsed and the punctuation around it dropped.
func foldNeed(s string) string {
	words := strings.FieldsFunc(FoldForSearch(s), func(r rune) bool {
		return unicode.IsSpace(r) || (unicode.IsPunct(r) && r != '-')
	})
	return strings.Join(words, " ")
}

// ClassifyNeeds returns the needs a text names: the keys of the known ones it recognises and,
// for each part it does not, that part as typed (trimmed). Each need is named once.
func ClassifyNeeds(kind, text string) (known []string, other []string) {
	seen := map[string]bool{}
	for _, part := range splitNeeds(text) {
		folded := foldNeed(part)
		if folded == "" || folded == "-" || folded == "geen" || folded == "none" || folded == "nee" || folded == "no" || folded == "n/a" || folded == "nvt" {
			continue
		}
		key := matchNeed(kind, folded)
		if key == "" {
			if !seen["="+folded] {
				seen["="+folded] = true
				other = append(other, strings.TrimSpace(part))
			}
			continue
		}
		if !seen[key] {
			seen[key] = true
			known = append(known, key)
		}
	}
	return known, other
}

func matchNeed(kind, folded string) string {
	words := strings.Fields(folded)
	padded := " " + folded + " "
	for _, n := range knownNeeds[kind] {
		for _, w := range n.words {
			if strings.Contains(w, " ") {
				if strings.Contains(padded, " "+w) {
					return n.key
				}
				continue
			}
			for _, x := range words {
				if strings.HasPrefix(x, w) {
					return n.key
				}
			}
		}
	}
	return ""
}

// needTally counts needs of one kind across people.
type needTally struct {
	kind   string
	counts map[string]*NeedCount // by key, or "=" + folded text
	// variants counts how an unrecognised need was spelled: the page shows the most usual.
	variants map[string]map[string]int
	order    []string
}

func newNeedTally(kind string) *needTally {
	return &needTally{kind: kind, counts: map[string]*NeedCount{}, variants: map[string]map[string]int{}}
}

func (t *needTally) add(text string) {
	known, other := ClassifyNeeds(t.kind, text)
	for _, k := range known {
		t.bump(k, NeedCount{Key: k})
	}
	for _, o := range other {
		id := "=" + foldNeed(o)
		t.bump(id, NeedCount{})
		if t.variants[id] == nil {
			t.variants[id] = map[string]int{}
		}
		t.variants[id][strings.Join(strings.Fields(o), " ")]++
	}
}

func (t *needTally) bump(id string, first NeedCount) {
	c, ok := t.counts[id]
	if !ok {
		c = &first
		t.counts[id] = c
		t.order = append(t.order, id)
	}
	c.Count++
}

// list is the counts, most people first; known needs before others of the same count.
func (t *needTally) list() []NeedCount {
	out := make([]NeedCount, 0, len(t.order))
	for _, id := range t.order {
		c := *t.counts[id]
		best := 0
		for v, n := range t.variants[id] {
			if n > best || (n == best && v < c.Text) {
				c.Text, best = v, n
			}
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		if (out[i].Key == "") != (out[j].Key == "") {
			return out[i].Key != ""
		}
		return out[i].Key+out[i].Text < out[j].Key+out[j].Text
	})
	return out
}

// PersonNeeds is one person's needs as a room host sees them.
type PersonNeeds struct {
	RegistrationID uint
	Name           string
	Dietary        string
	Accessibility  string
}

// SessionNeeds are the needs of the people seated in one session.
type SessionNeeds struct {
	SessionID uint
	Title     string
	Room      string
	StartsAt  *time.Time
	// Seated is how many people have a seat; People those of them with needs, by name.
	Seated        int
	People        []PersonNeeds
	Dietary       []NeedCount
	Accessibility []NeedCount
}

// VenueNeeds are the dietary and accessibility needs of a venue's active registrations.
type VenueNeeds struct {
	Registered    int // active registrations
	WithNeeds     int // of whom gave a need
	Dietary       []NeedCount
	Accessibility []NeedCount
	// Sessions lists the sessions where someone seated has a need, in programme order.
	Sessions []SessionNeeds
}

// VenueNeeds gathers the needs of the people registered at a venue: counted for the whole
// venue (everyone with an active registration), and per session for those seated there.
// These are special categories of personal data (health, belief): callers show them only to
// organisers of the venue.
func (s *Store) VenueNeeds(ctx context.Context, venueID uint) (VenueNeeds, error) {
	var out VenueNeeds
	db := s.db.WithContext(ctx)
	var registered int64
	if err := db.Model(&Registration{}).Where("venue_id = ? AND status = ?", venueID, RegistrationActive).
		Count(&registered).Error; err != nil {
		return out, fmt.Errorf("needs at venue %d: %w", venueID, err)
	}
	out.Registered = int(registered)
	diet, access := newNeedTally(NeedDietary), newNeedTally(NeedAccessibility)
	people := map[uint]PersonNeeds{}
	// The same people as Audience{VenueID, Status: StatusConfirmed, HasNeeds: true} selects,
	// but only the four columns this needs: the list's counts and check-in per person would
	// cost a correlated subquery each (#13 D measured 120 ms against 25 ms for 10,000 people).
	rows, err := db.Raw(`SELECT id, name, dietary, accessibility FROM registrations
		WHERE venue_id = ? AND status = ? AND (dietary <> '' OR accessibility <> '')`, venueID, RegistrationActive).Rows()
	if err != nil {
		return out, fmt.Errorf("needs at venue %d: %w", venueID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var p PersonNeeds
		if err := rows.Scan(&p.RegistrationID, &p.Name, &p.Dietary, &p.Accessibility); err != nil {
			return out, fmt.Errorf("needs at venue %d: %w", venueID, err)
		}
		out.WithNeeds++
		diet.add(p.Dietary)
		access.add(p.Accessibility)
		people[p.RegistrationID] = p
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("needs at venue %d: %w", venueID, err)
	}
	rows.Close()
	out.Dietary, out.Accessibility = diet.list(), access.list()
	if out.Sessions, err = s.sessionNeeds(ctx, venueID, people); err != nil {
		return out, fmt.Errorf("needs per session at venue %d: %w", venueID, err)
	}
	return out, nil
}

// sessionNeeds lists, per session of the venue, the people with needs who have a seat.
func (s *Store) sessionNeeds(ctx context.Context, venueID uint, people map[uint]PersonNeeds) ([]SessionNeeds, error) {
	db := s.db.WithContext(ctx)
	rows, err := db.Raw(`SELECT s.id, s.title, s.confirmed, COALESCE(MIN(rm.name), ''), MIN(sl.starts_at)
		FROM sessions s
		LEFT JOIN session_slots ss ON ss.session_id = s.id
		LEFT JOIN slots sl ON sl.id = ss.slot_id
		LEFT JOIN rooms rm ON rm.id = ss.room_id
		WHERE s.venue_id = ? GROUP BY s.id, s.title, s.confirmed`, venueID).Rows()
	if err != nil {
		return nil, err
	}
	byID := map[uint]*SessionNeeds{}
	var all []*SessionNeeds
	for rows.Next() {
		sn := &SessionNeeds{}
		var starts nullTimeScanner
		if err := rows.Scan(&sn.SessionID, &sn.Title, &sn.Seated, &sn.Room, &starts); err != nil {
			rows.Close()
			return nil, err
		}
		sn.StartsAt = starts.t
		byID[sn.SessionID] = sn
		all = append(all, sn)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(people) > 0 {
		// From the few people with needs to their bookings (CROSS JOIN keeps SQLite's planner
		// to that order; on PostgreSQL it is an ordinary join).
		seats, err := db.Raw(`SELECT b.session_id, b.registration_id FROM registrations r
			CROSS JOIN bookings b
			WHERE b.registration_id = r.id AND r.venue_id = ? AND r.status = ? AND b.status = ? AND (r.dietary <> '' OR r.accessibility <> '')`,
			venueID, RegistrationActive, BookingConfirmed).Rows()
		if err != nil {
			return nil, err
		}
		defer seats.Close()
		for seats.Next() {
			var sessionID, regID uint
			if err := seats.Scan(&sessionID, &regID); err != nil {
				return nil, err
			}
			sn, ok := byID[sessionID]
			p, has := people[regID]
			if ok && has {
				sn.People = append(sn.People, p)
			}
		}
		if err := seats.Err(); err != nil {
			return nil, err
		}
	}
	out := []SessionNeeds{}
	for _, sn := range all {
		if len(sn.People) == 0 {
			continue
		}
		SortByLastName(len(sn.People), func(i int) string { return sn.People[i].Name },
			func(i, j int) { sn.People[i], sn.People[j] = sn.People[j], sn.People[i] })
		diet, access := newNeedTally(NeedDietary), newNeedTally(NeedAccessibility)
		for _, p := range sn.People {
			diet.add(p.Dietary)
			access.add(p.Accessibility)
		}
		sn.Dietary, sn.Accessibility = diet.list(), access.list()
		out = append(out, *sn)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].StartsAt, out[j].StartsAt
		switch {
		case a == nil || b == nil:
			return a != nil && b == nil
		case !a.Equal(*b):
			return a.Before(*b)
		}
		return out[i].Title < out[j].Title
	})
	return out, nil
}
