package handlers

import (
	"strconv"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/schedule"
)

// describeIssue puts a problem in plain words, with links to the sessions that cause it and
// to where they are on the board.
func describeIssue(p Page, pr schedule.Problem, plan schedule.Plan, ix schedule.Index, d models.PlanningData, is schedule.Issue) boardProblem {
	u := *p.User
	out := boardProblem{Kind: p.T("beheer.board.kind." + is.Kind)}
	where := func(i int) string {
		pl := plan.Places[i]
		v := pr.Venues[pl.Venue]
		last := min(pl.Slot+pr.Sessions[i].Length, len(v.Slots)) - 1
		return v.City + ", " + v.Rooms[pl.Room].Name + ", " + p.TimeRange(v.Slots[pl.Slot].Start, v.Slots[last].End)
	}
	title := func(i int) string { return pr.Sessions[i].Title }
	speaker := ""
	if is.Speaker >= 0 {
		speaker = pr.Speakers[is.Speaker].Name
	}
	var first int
	if len(is.Sessions) > 0 {
		first = is.Sessions[0]
	}
	switch is.Kind {
	case schedule.IssueSpeakerDoubleBooked:
		a, b := is.Sessions[0], is.Sessions[1]
		key := "beheer.board.issue.double_booked"
		if is.Need > 0 {
			key = "beheer.board.issue.double_booked_travel"
		}
		out.Text = p.T(key, "Speaker", speaker, "A", title(a), "WhereA", where(a), "B", title(b), "WhereB", where(b),
			"Need", is.Need, "Have", is.Have)
	case schedule.IssueSpeakerUnavailable:
		sl := pr.Venues[is.Venue].Slots[is.Slot]
		out.Text = p.T("beheer.board.issue.unavailable", "Speaker", speaker, "Session", title(first), "Time", p.TimeRange(sl.Start, sl.End))
	case schedule.IssueUnplaceable:
		out.Text = p.T("beheer.board.issue.unplaceable", "Session", title(first), "Reason", p.T("beheer.plan.reason."+is.Rule))
	case schedule.IssueVenueNotWished:
		out.Text = p.T("beheer.board.issue.venue_not_wished", "Session", title(first), "Venue", pr.Venues[is.Venue].Name)
	case schedule.IssueTwoSlotSplit:
		key := "beheer.board.issue.split_break"
		if is.Have < 0 {
			key = "beheer.board.issue.split_end"
		}
		out.Text = p.T(key, "Session", title(first), "Minutes", is.Have)
	case schedule.IssueCapacityAboveRoom, schedule.IssueDemandAboveRoom:
		out.Text = p.T("beheer.board.issue."+is.Kind, "Session", title(first), "Room", pr.Venues[is.Venue].Rooms[is.Room].Name,
			"Need", is.Need, "Have", is.Have)
	case schedule.IssueVenueSeatsShort:
		sl := pr.Venues[is.Venue].Slots[is.Slot]
		out.Text = p.T("beheer.board.issue.venue_seats_short", "Venue", pr.Venues[is.Venue].Name, "Time", p.TimeRange(sl.Start, sl.End),
			"Need", is.Need, "Have", is.Have)
		if venueID := ix.Venues[is.Venue]; u.CanManageVenue(venueID) {
			out.Links = append(out.Links, boardLink{Href: boardPath(venueID) + "#rij-" + strconv.Itoa(int(ix.Slots[is.Venue][is.Slot])),
				Label: p.T("beheer.board.to_row", "Time", p.TimeRange(sl.Start, sl.End))})
		}
	}
	for _, i := range is.Sessions {
		if !canManageSession(u, d.Sessions[i]) {
			continue
		}
		out.Links = append(out.Links, boardLink{Href: "/beheer/sessies/" + strconv.Itoa(int(ix.Sessions[i])),
			Label: p.T("beheer.board.edit_session", "Title", title(i))})
		if pl := plan.Places[i]; pl != nil && is.Kind != schedule.IssueVenueSeatsShort {
			out.Links = append(out.Links, boardLink{Href: boardPath(ix.Venues[pl.Venue]) + "#" + cellID(ix, *pl),
				Label: p.T("beheer.board.to_cell", "Title", title(i), "Where", where(i))})
		}
	}
	return out
}

func boardPath(venueID uint) string { return "/beheer/rooster/" + strconv.Itoa(int(venueID)) }
