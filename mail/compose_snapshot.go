package mail

import (
	"context"
	"errors"
	"slices"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// snapshotKinds lists the kinds whose payload carries the programme as it was when the
// e-mail was queued.
var snapshotKinds = map[string]bool{models.MailConfirmation: true, models.MailChanged: true, models.MailPromoted: true,
	models.MailAllocated: true}

// snapshotItems lists the programme as the snapshot has it, with each session's details as
// they are now. A place in line is today's while the booking still waits; a booking promoted
// since is shown as waiting without a place, because the promotion has its own e-mail.
func (c *Composer) snapshotItems(ctx context.Context, tr *locale.Translator, r models.Registration, snap models.ProgrammeSnapshot) ([]programmeItem, error) {
	now := map[uint]models.Booking{}
	for _, b := range r.Bookings {
		now[b.SessionID] = b
	}
	type held struct {
		session  models.Session
		waiting  bool
		position int
	}
	var list []held
	for _, id := range slices.Concat(snap.Seats, snap.Waiting) {
		_, waiting := snap.Holds(id)
		h := held{waiting: waiting}
		if b, ok := now[id]; ok {
			h.session = b.Session
			if waiting && b.Status == models.BookingWaitlisted {
				h.position = b.Position
			}
		} else {
			se, err := c.Store.Session(ctx, id)
			if errors.Is(err, models.ErrNotFound) {
				continue // deleted since: nothing to report
			}
			if err != nil {
				return nil, err
			}
			h.session = se
		}
		list = append(list, h)
	}
	slices.SortStableFunc(list, func(a, b held) int { return a.session.StartsAt().Compare(b.session.StartsAt()) })
	items := make([]programmeItem, len(list))
	for i, h := range list {
		items[i] = item(tr, h.session, h.waiting, h.position)
	}
	return items, nil
}
