package handlers

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// A door's cursor is "1.<rows>.<check-ins>.<key id>" in URL-safe base64: the two times of a
// models.DoorCursor in Unix nanoseconds, and the event key its codes were made with. Doors
// treat it as opaque; being URL-safe, it goes into ?since= as it is.
const doorCursorVersion = "1"

func encodeDoorCursor(c models.DoorCursor, keyID string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(doorCursorVersion + "." + strconv.FormatInt(c.Rows.UnixNano(), 10) + "." +
		strconv.FormatInt(c.CheckIns.UnixNano(), 10) + "." + keyID))
}

// decodeDoorCursor reads a cursor; ok is false for none, a malformed one, or one made with
// another key (every code in that copy changed): those get the whole list.
func decodeDoorCursor(s, keyID string) (models.DoorCursor, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return models.DoorCursor{}, false
	}
	parts := strings.SplitN(string(raw), ".", 4)
	if len(parts) != 4 || parts[0] != doorCursorVersion || parts[3] != keyID {
		return models.DoorCursor{}, false
	}
	rows, err1 := strconv.ParseInt(parts[1], 10, 64)
	checkIns, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return models.DoorCursor{}, false
	}
	return models.DoorCursor{Rows: time.Unix(0, rows).UTC(), CheckIns: time.Unix(0, checkIns).UTC()}, true
}

// fillCheckInDelta puts in out what changed for the venue's doors since a cursor. It reports
// false when the door needs the whole list instead (sessions, rooms or venues changed, or
// too much changed to be worth a delta).
func (h *Handler) fillCheckInDelta(c *gin.Context, venue models.Venue, venues []models.Venue, keys *eventKeys,
	since models.DoorCursor, out *CheckInListJSON) (bool, error) {
	changes, err := h.store.DoorChangesSince(c.Request.Context(), venue.EventID, venue.ID, since)
	if err != nil || changes.Stale {
		return false, err
	}
	out.Delta = true
	out.Removed = []uint{}
	for _, e := range changes.Entries {
		out.Attendees = append(out.Attendees, doorEntryJSON(e, venue, keys))
	}
	byID := make(map[uint]models.Venue, len(venues))
	for _, v := range venues {
		byID[v.ID] = v
	}
	for id, t := range changes.Elsewhere {
		out.Removed = append(out.Removed, id)
		v, ok := byID[t.VenueID]
		if !ok {
			continue
		}
		code := keys.codes.Code(tickets.Ticket{ID: uint32(id), Venue: v.TicketName(), Version: uint16(t.TicketVersion)})
		out.OtherCodes[tickets.CodeHint(code)] = v.TicketName()
	}
	return true, nil
}
