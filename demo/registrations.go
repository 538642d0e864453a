package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/ambtenaar20/dagplanner/models"
)

var firstNames = []string{"Anna", "Bram", "Carla", "Daan", "Esra", "Femke", "Gijs", "Hanneke", "Ilse", "Jeroen",
	"Karim", "Lotte", "Mohamed", "Nienke", "Olaf", "Priya", "Quinten", "Roos", "Sander", "Tamara", "Ugo", "Vera",
	"Wouter", "Xander", "Yara", "Zoë", "Şükrü", "Ömer", "Renée", "Joëlle"}

var lastNames = []string{"de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
	"Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
	"Dijkstra", "Öztürk", "El Amrani", "Kaya", "Nguyen", "van Dijk"}

var organisations = []string{"Gemeente Zwolle", "Gemeente Rotterdam", "Provincie Overijssel", "Ministerie van BZK",
	"Rijkswaterstaat", "Waterschap Drents Overijsselse Delta", "Gemeente Deventer", "Gemeente Utrecht", "Logius",
	"Belastingdienst", "VNG", "Provincie Zuid-Holland", "Gemeente Den Haag", "UWV", "Kadaster"}

// Needs as people type them, in Dutch and English, spelled differently, so the organisers'
// needs page has something to group. Those typed most often come most often.
var (
	dietaryNeeds = []string{"Vegetarisch", "vegetarisch", "Vegetarisch", "Vegetarisch", "vegetarian", "Vega", "Veganistisch",
		"vegan", "Glutenvrij", "glutenvrij (coeliakie)", "Lactosevrij", "Halal", "Halal", "Notenallergie", "pinda-allergie",
		"Geen varkensvlees", "Vegetarisch, glutenvrij", "Koosjer", "Geen vis", "Lactosevrij en vegetarisch"}
	accessibilityNeeds = []string{"Rolstoel", "rolstoelgebruiker", "Ringleiding", "ringleiding graag", "Doventolk (NGT)",
		"Graag een plaats vooraan", "Slechtziend", "wheelchair", "hearing loop", "Prikkelarme ruimte", "Rollator"}
)

// needsSeed keeps the needs out of the sequence that picks names and sessions: giving the
// demo's people needs changed nothing else about them.
const needsSeed = 0x6e65656473

// pickNeeds gives about one person in six a dietary need and one in fifteen an
// accessibility need.
func pickNeeds(rng *rand.Rand) (dietary, accessibility string) {
	if rng.IntN(6) == 0 {
		dietary = dietaryNeeds[rng.IntN(len(dietaryNeeds))]
	}
	if rng.IntN(15) == 0 {
		accessibility = accessibilityNeeds[rng.IntN(len(accessibilityNeeds))]
	}
	return dietary, accessibility
}

// registrationsPerVenue is how many demo attendees each venue gets.
var registrationsPerVenue = map[string]int{"zwolle": 170, "rotterdam": 140}

// loadRegistrations registers a few hundred fictional attendees. Most people pick the
// sessions listed first in a slot, so some sessions fill up; the smallest session at the first
// venue gets more takers than seats, so the demo shows a waiting list. Their confirmation
// e-mails go to example.org addresses and are discarded, never sent.
func loadRegistrations(ctx context.Context, s *models.Store, event models.Event, seed uint64) error {
	venues, err := s.Venues(ctx, event.ID)
	if err != nil {
		return err
	}
	n := 0
	for vi, v := range venues {
		sessions, err := s.SessionsOfVenue(ctx, v.ID)
		if err != nil {
			return err
		}
		// Only what is on the timetable can be booked.
		sessions = slices.DeleteFunc(sessions, func(se models.Session) bool { return !se.Placed() })
		smallest := slices.MinFunc(sessions, func(a, b models.Session) int { return a.Capacity() - b.Capacity() })
		for i := range registrationsPerVenue[v.Slug] {
			rng := rand.New(rand.NewPCG(seed, uint64(n)))
			n++
			in := models.RegistrationInput{
				Name:         firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))],
				Organisation: organisations[rng.IntN(len(organisations))],
				Venue:        v.Slug, Consent: true, Lang: "nl",
			}
			in.Email = fmt.Sprintf("%s.%d@example.org", strings.ToLower(strings.Fields(in.Name)[0]), n)
			if rng.IntN(8) == 0 {
				in.Lang = "en"
			}
			in.Dietary, in.Accessibility = pickNeeds(rand.New(rand.NewPCG(seed^needsSeed, uint64(n))))
			in.Sessions = pickSessions(rng, v, sessions)
			// The first few attendees of the first venue all want its smallest session.
			if vi == 0 && i < smallest.Capacity()+4 {
				in.Sessions = replaceInSlot(in.Sessions, sessions, smallest)
			}
			if _, err := s.Register(ctx, in); err != nil {
				return fmt.Errorf("demo registration %d: %w", n, err)
			}
		}
	}
	_, err = s.DiscardPendingMail(ctx, "demo data: not sent")
	return err
}

// pickSessions chooses one session in most slots, favouring the ones listed first.
func pickSessions(rng *rand.Rand, v models.Venue, sessions []models.Session) []uint {
	taken := map[uint]bool{}
	var chosen []uint
	for _, sl := range v.Slots {
		if taken[sl.ID] || rng.IntN(6) == 0 {
			continue
		}
		var options []models.Session
		for _, se := range sessions {
			if len(se.Slots) > 0 && se.Slots[0].SlotID == sl.ID {
				options = append(options, se)
			}
		}
		if len(options) == 0 {
			continue
		}
		k := min(int(rng.ExpFloat64()*1.5), len(options)-1)
		pick := options[k]
		chosen = append(chosen, pick.ID)
		for _, ss := range pick.Slots {
			taken[ss.SlotID] = true
		}
	}
	return chosen
}

// replaceInSlot swaps whatever was chosen in the slots of want for want itself.
func replaceInSlot(chosen []uint, sessions []models.Session, want models.Session) []uint {
	slots := map[uint]bool{}
	for _, ss := range want.Slots {
		slots[ss.SlotID] = true
	}
	out := []uint{want.ID}
	for _, id := range chosen {
		i := slices.IndexFunc(sessions, func(s models.Session) bool { return s.ID == id })
		overlaps := slices.ContainsFunc(sessions[i].Slots, func(ss models.SessionSlot) bool { return slots[ss.SlotID] })
		if !overlaps {
			out = append(out, id)
		}
	}
	return out
}
