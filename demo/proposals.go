package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// ProposalSpec is one demo proposal in the call for proposals.
type ProposalSpec struct {
	Title, Summary, Description, Format string
	Slots, MaxParticipants              int
	Audience, Level                     string
	Venues                              []string // slugs; none means either
	SlotIndexes                         []int    // available in these slots (by index) at each preferred venue, or at both
	Speaker                             SpeakerSpec
	Email                               string
	CoSpeakers                          []string
	Needs                               []string
	Lang                                string
	Withdrawn                           bool
}

// Proposals are the demo's call for proposals: a dozen sessions colleagues offer, two of
// them withdrawn and three with co-speakers. Their e-mails go to example.org and are never sent.
var Proposals = []ProposalSpec{
	{Title: "Omgevingswet in de praktijk: wat we leerden in het eerste jaar", Format: "presentation", Slots: 1, MaxParticipants: 80,
		Summary:     "Drie gemeenten delen wat goed ging en wat schuurde bij het invoeren van de Omgevingswet.",
		Description: "Een eerlijk verhaal over vergunningen, participatie en het digitale stelsel, met ruimte voor vragen uit de zaal.",
		Audience:    "Vergunningverleners en beleidsmedewerkers", Level: "intermediate", Venues: []string{"zwolle"}, SlotIndexes: []int{0, 1},
		Speaker: SpeakerSpec{Name: "Marloes Kuipers", Organisation: "Gemeente Deventer", Bio: "Projectleider Omgevingswet."},
		Email:   "marloes.kuipers@example.org", Needs: []string{"projector"}, Lang: "nl"},
	{Title: "Schrijven op B1-niveau: oefenen met je eigen brieven", Format: "workshop", Slots: 2, MaxParticipants: 20,
		Summary:     "Neem een brief van je eigen organisatie mee en herschrijf hem samen met anderen.",
		Description: "We bespreken wat B1 is, waarom het werkt, en oefenen in tweetallen met echte brieven.",
		Audience:    "Iedereen die brieven of webteksten schrijft", Level: "all", SlotIndexes: []int{1, 2, 3},
		Speaker: SpeakerSpec{Name: "Joëlle van den Broek", Organisation: "Belastingdienst", Bio: "Taalcoach en schrijftrainer."},
		Email:   "joelle.vandenbroek@example.org", CoSpeakers: []string{"kees.bos@example.org"}, Needs: []string{"flipover", "laptop"}, Lang: "nl"},
	{Title: "Open source in de overheid: delen is het nieuwe normaal", Format: "discussion", Slots: 1, MaxParticipants: 40,
		Summary:     "Een gesprek over hergebruik van code tussen overheden, en wat je nodig hebt om te beginnen.",
		Description: "Met voorbeelden uit Common Ground en developer.overheid.nl. Wat houdt je tegen, en wie kan helpen?",
		Level:       "all", Venues: []string{"rotterdam"}, SlotIndexes: []int{2, 3},
		Speaker: SpeakerSpec{Name: "Priya Ramdin", Organisation: "VNG", Bio: "Werkt aan Common Ground."},
		Email:   "priya.ramdin@example.org", Needs: []string{"projector"}, Lang: "nl"},
	{Title: "Data visualisation for policy makers", Format: "training", Slots: 2, MaxParticipants: 25,
		Summary:     "Hands-on: turn a spreadsheet into a chart that tells the story honestly.",
		Description: "Bring a laptop. We use free tools and open data from CBS to practise good and bad charts.",
		Audience:    "Policy advisers", Level: "beginner", SlotIndexes: []int{0, 1},
		Speaker: SpeakerSpec{Name: "Tamara Nguyen", Organisation: "Provincie Zuid-Holland", Bio: "Data analyst."},
		Email:   "tamara.nguyen@example.org", Needs: []string{"projector", "Wifi voor 25 laptops"}, Lang: "en"},
	{Title: "Burgerpanels: zo doe je dat", Format: "lecture", Slots: 1, MaxParticipants: 100,
		Summary:     "Wat een gelote burgerraad wel en niet kan, en hoe je er een organiseert.",
		Description: "Ervaringen met burgerraden over klimaat en wonen, van loting tot advies aan de raad.",
		Level:       "all", SlotIndexes: []int{2},
		Speaker: SpeakerSpec{Name: "Olaf Dijkstra", Organisation: "Gemeente Utrecht", Bio: "Adviseur participatie."},
		Email:   "olaf.dijkstra@example.org", CoSpeakers: []string{"esra.kaya@example.org", "ugo.visser@example.org"}, Lang: "nl"},
	{Title: "Toegankelijk digitaal: WCAG zonder tranen", Format: "workshop", Slots: 1, MaxParticipants: 30,
		Summary:     "Test je eigen website met een schermlezer en alleen het toetsenbord.",
		Description: "Na een korte uitleg van WCAG 2.1 testen we in groepjes echte overheidssites en bespreken we de vondsten.",
		Audience:    "Webredacteuren, ontwikkelaars, inkopers", Level: "beginner", Venues: []string{"zwolle", "rotterdam"}, SlotIndexes: []int{1},
		Speaker: SpeakerSpec{Name: "Femke de Wit", Organisation: "Logius", Bio: "Toegankelijkheidsexpert."},
		Email:   "femke.dewit@example.org", Needs: []string{"projector", "accessibility", "Ringleiding in de zaal"}, Lang: "nl"},
	{Title: "Wat de Woo van je archief vraagt", Format: "presentation", Slots: 1, MaxParticipants: 60,
		Summary:     "Actief openbaar maken begint bij goed archiveren.",
		Description: "Over informatiehuishouding, metadata en de termijnen van de Wet open overheid.",
		Level:       "intermediate", SlotIndexes: []int{3},
		Speaker: SpeakerSpec{Name: "Sander Meijer", Organisation: "Nationaal Archief", Bio: "Informatieadviseur."},
		Email:   "sander.meijer@example.org", Lang: "nl", Withdrawn: true},
	{Title: "Agile werken in een hiërarchische organisatie", Format: "discussion", Slots: 1, MaxParticipants: 35,
		Summary:     "Scrum in een ministerie: kan dat? Een open gesprek met praktijkvoorbeelden.",
		Description: "We wisselen ervaringen uit over teams, mandaat en verantwoording.",
		Level:       "all", Venues: []string{"rotterdam"}, SlotIndexes: []int{0},
		Speaker: SpeakerSpec{Name: "Karim El Amrani", Organisation: "Ministerie van BZK", Bio: "Agile coach."},
		Email:   "karim.elamrani@example.org", Lang: "nl"},
	{Title: "Design thinking for public services", Format: "workshop", Slots: 2, MaxParticipants: 24,
		Summary:     "From a citizen's problem to a prototype in ninety minutes.",
		Description: "A fast-paced workshop with personas, journey maps and paper prototypes.",
		Audience:    "Anyone designing services", Level: "beginner", Venues: []string{"zwolle"}, SlotIndexes: []int{2, 3},
		Speaker: SpeakerSpec{Name: "Vera Jansen", Organisation: "UWV", Bio: "Service designer."},
		Email:   "vera.jansen@example.org", CoSpeakers: []string{"wouter.smit@example.org"}, Needs: []string{"flipover"}, Lang: "en"},
	{Title: "AI-assistenten in de publieke dienstverlening", Format: "lecture", Slots: 1, MaxParticipants: 150,
		Summary:     "Kansen, risico's en de AI-verordening voor wie met burgers werkt.",
		Description: "Wat mag wel en niet, hoe voorkom je vooroordelen, en wat leren we van eerste proeven?",
		Level:       "intermediate", SlotIndexes: []int{1, 2},
		Speaker: SpeakerSpec{Name: "Nienke Hendriks", Organisation: "Rijkswaterstaat", Bio: "Ethicus en data scientist."},
		Email:   "nienke.hendriks@example.org", Needs: []string{"projector", "laptop"}, Lang: "nl"},
	{Title: "Samenwerken over de grenzen van je organisatie", Format: "other", Slots: 1, MaxParticipants: 40,
		Summary:     "Een wandelgesprek door het gebouw over netwerken tussen overheden.",
		Description: "We lopen in kleine groepen en wisselen onderweg van gesprekspartner.",
		Level:       "all", Venues: []string{"zwolle"}, SlotIndexes: []int{3},
		Speaker: SpeakerSpec{Name: "Gijs Brouwer", Organisation: "Provincie Overijssel", Bio: "Netwerker."},
		Email:   "gijs.brouwer@example.org", Needs: []string{"accessibility", "Route zonder trappen"}, Lang: "nl", Withdrawn: true},
	{Title: "Excel is geen database: eerste stappen met SQL", Format: "training", Slots: 2, MaxParticipants: 20,
		Summary:     "Voor wie vastloopt in spreadsheets: leer in twee uur de basis van SQL.",
		Description: "Met een kant-en-klare database in de browser; je hoeft niets te installeren.",
		Level:       "beginner", SlotIndexes: []int{0, 1, 2},
		Speaker: SpeakerSpec{Name: "Ömer Öztürk", Organisation: "Kadaster", Bio: "Data-engineer."},
		Email:   "omer.ozturk@example.org", Needs: []string{"laptop", "projector"}, Lang: "nl"},
}

// callWindow opens the demo's call for proposals two weeks before now, until a week before
// the day, as local date-times in the event's time zone.
func callWindow(opts Options) (opens, closes string) {
	day := EventDate(opts.Now)
	return opts.Now.AddDate(0, 0, -14).Format(time.DateOnly) + "T09:00", day.AddDate(0, 0, -7).Format(time.DateOnly) + "T17:00"
}

// loadProposals submits the demo proposals through the same store method as a speaker, and
// withdraws the ones marked so. Their e-mails are discarded.
func loadProposals(ctx context.Context, s *models.Store, event models.Event) error {
	venues, err := s.Venues(ctx, event.ID)
	if err != nil {
		return err
	}
	ids := make([]uint, len(Proposals))
	for n, ps := range Proposals {
		in := models.ProposalInput{
			Title: ps.Title, Summary: ps.Summary, Description: ps.Description, Format: ps.Format, Slots: ps.Slots,
			MaxParticipants: ps.MaxParticipants, Audience: ps.Audience, Level: ps.Level, Venues: ps.Venues,
			Speaker: models.ProposalSpeaker{Name: ps.Speaker.Name, Email: ps.Email, Organisation: ps.Speaker.Organisation,
				Bio: ps.Speaker.Bio},
			CoSpeakers: ps.CoSpeakers, Needs: ps.Needs, Consent: true, Lang: ps.Lang,
		}
		for _, v := range venues {
			if len(ps.Venues) > 0 && !slices.Contains(ps.Venues, v.Slug) {
				continue
			}
			for _, i := range ps.SlotIndexes {
				if i < len(v.Slots) {
					in.Availability = append(in.Availability, v.Slots[i].ID)
				}
			}
		}
		res, err := s.SubmitProposal(ctx, in)
		if err != nil {
			return fmt.Errorf("demo proposal %q: %w", ps.Title, err)
		}
		ids[n] = res.Proposal.ID
		if ps.Withdrawn {
			if _, err := s.WithdrawProposal(ctx, res.Proposal.ID); err != nil {
				return fmt.Errorf("withdraw demo proposal %q: %w", ps.Title, err)
			}
		}
	}
	if err := loadReviewStates(ctx, s, event, ids); err != nil {
		return err
	}
	if err := loadVotes(ctx, s, event); err != nil {
		return err
	}
	_, err = s.DiscardPendingMail(ctx, "demo data: not sent")
	return err
}

// Tracks are the demo's themes. Decisions says which proposals (by index into Proposals) the
// organisers have already put in a track and decided on, so a newcomer finds every state:
// undecided, accepted, reserve and rejected, and a few confirmed by their speakers (see
// SpeakersConfirmed). Their decision e-mails are not prepared yet: that
// is the next step to try, at /beheer/besluiten.
var (
	Tracks    = []string{"Samen met de samenleving", "Heldere taal", "Werken in de overheid"}
	Decisions = []struct {
		Proposal int
		Track    string
		Status   string
	}{
		{0, "Samen met de samenleving", models.ProposalAccepted},
		{1, "Heldere taal", models.ProposalAccepted},
		{2, "Werken in de overheid", models.ProposalReserve},
		{3, "Werken in de overheid", models.ProposalRejected},
		{4, "Samen met de samenleving", ""},
		{5, "Samen met de samenleving", models.ProposalAccepted},
		{7, "Werken in de overheid", models.ProposalAccepted},
		{11, "Werken in de overheid", models.ProposalAccepted},
	}
	// SpeakersConfirmed are accepted proposals (by index into Proposals) whose speakers have
	// confirmed: their sessions exist, unplaced and without bookings, so "Automatisch
	// plannen" on the board has something to place.
	SpeakersConfirmed = []int{5, 7, 11}
)

func loadReviewStates(ctx context.Context, s *models.Store, event models.Event, ids []uint) error {
	for _, name := range Tracks {
		if _, err := s.CreateTrack(ctx, event.ID, models.TrackInput{Name: name}); err != nil {
			return fmt.Errorf("demo track %q: %w", name, err)
		}
	}
	for _, d := range Decisions {
		if Proposals[d.Proposal].Withdrawn {
			return fmt.Errorf("demo decision on withdrawn proposal %d", d.Proposal)
		}
		if _, err := s.SetProposalTrack(ctx, ids[d.Proposal], d.Track); err != nil {
			return fmt.Errorf("demo track of proposal %d: %w", d.Proposal, err)
		}
		if d.Status == "" {
			continue
		}
		if _, err := s.DecideProposal(ctx, ids[d.Proposal], d.Status, 0); err != nil {
			return fmt.Errorf("demo decision on proposal %d: %w", d.Proposal, err)
		}
	}
	for _, i := range SpeakersConfirmed {
		if _, err := s.ConfirmProposal(ctx, ids[i]); err != nil {
			return fmt.Errorf("demo confirmation of proposal %d: %w", i, err)
		}
	}
	return nil
}

// Voters is how many colleagues have voted in the demo.
const Voters = 40

// loadVotes lets Voters colleagues vote, each for one to five proposals with a few
// favourites, as the planner's interest data.
func loadVotes(ctx context.Context, s *models.Store, event models.Event) error {
	open, err := s.VotingProposals(ctx, event.ID)
	if err != nil || len(open) == 0 {
		return err
	}
	rng := rand.New(rand.NewPCG(2013, 6))
	for v := range Voters {
		email := fmt.Sprintf("collega%02d@example.org", v+1)
		if err := s.RequestBallot(ctx, email, "nl"); err != nil {
			return fmt.Errorf("demo ballot %s: %w", email, err)
		}
		voter, err := s.VoterByEmail(ctx, event.ID, email)
		if err != nil {
			return err
		}
		token, err := s.NewVoterToken(ctx, voter.ID)
		if err != nil {
			return err
		}
		chosen := map[uint]bool{}
		for range 1 + rng.IntN(5) {
			// Skewed: the first proposals are the favourites.
			i := min(int(rng.ExpFloat64()*float64(len(open))/3), len(open)-1)
			chosen[open[i].ID] = true
		}
		var choice []uint
		for id := range chosen {
			choice = append(choice, id)
		}
		slices.Sort(choice)
		if _, err := s.CastVotes(ctx, token, choice); err != nil {
			return fmt.Errorf("demo votes of %s: %w", email, err)
		}
	}
	return nil
}
