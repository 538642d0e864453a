package handlers

import (
	"context"

	"github.com/ambtenaar20/dagplanner/models"
)

// programmeResult is one session's line of the public results on the programme (issue #18
// point 5): its title in the reader's language, the attendees and, from
// models.SpeakerThreshold responses, the average rating.
type programmeResult struct {
	Title, TitleLang string
	Attendees        int
	Average          string // empty below the threshold
}

// programmeResults gives the public results of venue's sessions for event's programme: none
// unless the organisers made them public and the event day is over. Every page that shows a
// programme, the current or an archived edition's, reads them here.
func (h *Handler) programmeResults(ctx context.Context, p Page, event models.Event, venue models.Venue) ([]programmeResult, error) {
	rs, err := h.store.PublicResults(ctx, event)
	if err != nil {
		return nil, err
	}
	lang := string(p.Lang)
	var out []programmeResult
	for _, r := range rs {
		if r.VenueID != venue.ID {
			continue
		}
		row := programmeResult{Title: models.InLang(lang, r.Title, r.TitleEn), TitleLang: p.TextLang(r.TitleEn), Attendees: r.Attendees}
		if r.Rated {
			row.Average = decimal(p.Lang, r.Average)
		}
		out = append(out, row)
	}
	return out, nil
}

// ResultsThreshold is the fewest responses an average is shown from.
func (programmeData) ResultsThreshold() int { return models.SpeakerThreshold }
