package models_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/mail"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// auditCase is one organiser action for TestEveryOrganiserActionIsAudited.
type auditCase struct {
	name  string
	setup func()                          // prepares the action, before the entries are counted
	do    func(ctx context.Context) error // the action; run once without an actor, then with
	// fail is a version of the action that fails (invalid input, a conflict), or nil.
	fail    func(ctx context.Context) error
	action  string
	subject string
	id      func() uint // the entry's subject id
	// old and new are the details' "old" and "new" values wanted (nil: not checked); more
	// checks the details further.
	old, new map[string]any
	more     func(t *testing.T, d map[string]any)
}

func auditCount(t *testing.T, s *models.Store) int64 {
	t.Helper()
	var n int64
	if err := s.DB().Model(&models.AuditEntry{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func lastAudit(t *testing.T, s *models.Store) models.AuditEntry {
	t.Helper()
	var e models.AuditEntry
	if err := s.DB().Order("id DESC").First(&e).Error; err != nil {
		t.Fatal(err)
	}
	return e
}

// sameJSON compares a details value (decoded from JSON) with a wanted one by their JSON form.
func sameJSON(t *testing.T, got any, want map[string]any) bool {
	t.Helper()
	g, _ := got.(map[string]any)
	if len(g) != len(want) {
		return false
	}
	for k, w := range want {
		gv, ok := g[k]
		if !ok {
			return false
		}
		// Decoded JSON numbers are float64; the wanted ones are written as Go values.
		switch wv := w.(type) {
		case int:
			if gv != float64(wv) {
				return false
			}
		case uint:
			if gv != float64(wv) {
				return false
			}
		default:
			if !reflect.DeepEqual(gv, w) {
				return false
			}
		}
	}
	return true
}

// TestEveryOrganiserActionIsAudited performs each organiser action that changes something and
// checks that it writes exactly one audit entry naming the actor, its action, its subject and
// the change before → after; that a failing version writes none; and that the action without
// an actor in the context is refused as a whole: the entry is written in the same transaction
// as the change, so the change is rolled back with it.
func TestEveryOrganiserActionIsAudited(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		var (
			event                    models.Event
			venue                    models.Venue
			room                     models.Room
			slot                     models.Slot
			session, second          models.Session
			track, track2            models.Track
			message                  models.Message
			device                   models.DeviceToken
			api                      models.APIToken
			draft                    uint
			drafts                   []uint
			templateID               uint
			revision                 int
			props                    = submitN(t, s, 2)
			reviewer                 = must(s.CreateUser(ctx, models.UserInput{Email: "r@example.nl", Password: "een lang wachtwoord", Role: models.RoleReviewer}))
			eventID, venueID, roomID = func() uint { return event.ID }, func() uint { return venue.ID }, func() uint { return room.ID }
		)
		keep := func(err error, assign func()) error {
			if err == nil {
				assign()
			}
			return err
		}
		cases := []auditCase{
			{name: "event created", action: models.ActionEventCreated, subject: models.SubjectEvent, id: eventID,
				do: func(ctx context.Context) error {
					e, err := s.CreateEvent(ctx, models.EventInput{Name: "Tweede dag", Date: "2028-03-03"})
					return keep(err, func() { event = e })
				},
				fail: func(ctx context.Context) error {
					_, err := s.CreateEvent(ctx, models.EventInput{Name: "", Date: "2028-03-03"})
					return err
				},
				more: func(t *testing.T, d map[string]any) {
					if n, _ := d["new"].(map[string]any); n["name"] != "Tweede dag" {
						t.Errorf("details new = %v, want the name", d["new"])
					}
				}},
			{name: "event updated", action: models.ActionEventUpdated, subject: models.SubjectEvent, id: eventID,
				// 2028: the fixture's own edition has 2027, and an edition's year is its own.
				old: map[string]any{"name": "Tweede dag", "date": "2028-03-03"}, new: map[string]any{"name": "Derde dag", "date": "2028-03-04"},
				do: func(ctx context.Context) error {
					_, err := s.UpdateEvent(ctx, event.ID, models.EventInput{Name: "Derde dag", Date: "2028-03-04", TravelMinutes: event.TravelMinutes})
					return err
				},
				fail: func(ctx context.Context) error {
					_, err := s.UpdateEvent(ctx, event.ID, models.EventInput{Name: "Derde dag", Date: "3 maart"})
					return err
				}},
			{name: "venue created", action: models.ActionVenueCreated, subject: models.SubjectVenue, id: venueID,
				do: func(ctx context.Context) error {
					v, err := s.CreateVenue(ctx, f.event.ID, models.VenueInput{Slug: "utrecht", Name: "Stadskantoor", City: "Utrecht", Address: "Stadsplateau 1", Capacity: 100})
					return keep(err, func() { venue = v })
				},
				fail: func(ctx context.Context) error {
					_, err := s.CreateVenue(ctx, f.event.ID, models.VenueInput{Slug: "zwolle", Name: "Ander", City: "Zwolle", Address: "Straat 1", Capacity: 100})
					return err
				}},
			{name: "venue updated", action: models.ActionVenueUpdated, subject: models.SubjectVenue, id: venueID,
				old: map[string]any{"capacity": 100, "city": "Utrecht"}, new: map[string]any{"capacity": 120, "city": "Utrecht-Centrum"},
				do: func(ctx context.Context) error {
					_, err := s.UpdateVenue(ctx, venue.ID, models.VenueInput{Slug: "utrecht", Name: "Stadskantoor", City: "Utrecht-Centrum", Address: "Stadsplateau 1", Capacity: 120})
					return err
				},
				fail: func(ctx context.Context) error { // the slug of another venue: refused inside the transaction
					_, err := s.UpdateVenue(ctx, venue.ID, models.VenueInput{Slug: "rotterdam", Name: "Stadskantoor", City: "Utrecht", Address: "Stadsplateau 1", Capacity: 100})
					return err
				}},
			{name: "room created", action: models.ActionRoomCreated, subject: models.SubjectRoom, id: roomID,
				do: func(ctx context.Context) error {
					r, err := s.CreateRoom(ctx, f.venue.ID, models.RoomInput{Name: "Kamer 2", Capacity: 30})
					return keep(err, func() { room = r })
				},
				fail: func(ctx context.Context) error { // a name the venue has: a unique violation
					_, err := s.CreateRoom(ctx, f.venue.ID, models.RoomInput{Name: "Statenzaal", Capacity: 30})
					return err
				}},
			{name: "room updated", action: models.ActionRoomUpdated, subject: models.SubjectRoom, id: roomID,
				old: map[string]any{"capacity": 30}, new: map[string]any{"capacity": 35},
				do: func(ctx context.Context) error {
					_, err := s.UpdateRoom(ctx, room.ID, models.RoomInput{Name: "Kamer 2", Capacity: 35})
					return err
				},
				fail: func(ctx context.Context) error {
					_, err := s.UpdateRoom(ctx, room.ID, models.RoomInput{Name: "Kamer 1", Capacity: 35})
					return err
				}},
			{name: "slot created", action: models.ActionSlotCreated, subject: models.SubjectSlot, id: slotID(&slot),
				do: func(ctx context.Context) error {
					sl, err := s.CreateSlot(ctx, f.venue.ID, models.SlotInput{Start: "15:00", End: "16:00"})
					return keep(err, func() { slot = sl })
				},
				fail: func(ctx context.Context) error {
					_, err := s.CreateSlot(ctx, f.venue.ID, models.SlotInput{Start: "25:00", End: "16:00"})
					return err
				}},
			{name: "slot updated", action: models.ActionSlotUpdated, subject: models.SubjectSlot, id: slotID(&slot),
				more: func(t *testing.T, d map[string]any) {
					if fields, _ := d["fields"].([]any); len(fields) != 2 {
						t.Errorf("details fields = %v, want starts_at and ends_at", d["fields"])
					}
				},
				do: func(ctx context.Context) error {
					_, err := s.UpdateSlot(ctx, slot.ID, models.SlotInput{Start: "15:30", End: "16:30"})
					return err
				},
				fail: func(ctx context.Context) error {
					_, err := s.UpdateSlot(ctx, slot.ID, models.SlotInput{Start: "16:30", End: "15:30"})
					return err
				}},
			{name: "session created", action: models.ActionSessionCreated, subject: models.SubjectSession, id: func() uint { return session.ID },
				do: func(ctx context.Context) error {
					se, err := s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Open data", Format: models.Formats[0], VenueID: f.venue.ID,
						RoomID: f.small.ID, FirstSlotID: f.s1.ID, SlotCount: 1, Speakers: []models.SpeakerInput{{Name: "Anna"}}})
					return keep(err, func() { session = se })
				},
				fail: func(ctx context.Context) error { // a room of another venue
					_, err := s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Open data", Format: models.Formats[0], VenueID: f.venue.ID,
						RoomID: f.otherRoom.ID, FirstSlotID: f.s1.ID, SlotCount: 1})
					return err
				},
				more: func(t *testing.T, d map[string]any) {
					n, _ := d["new"].(map[string]any)
					if n["title"] != "Open data" || !reflect.DeepEqual(n["slots"], []any{float64(f.s1.ID)}) || !reflect.DeepEqual(n["speakers"], []any{"Anna"}) {
						t.Errorf("details new = %v, want the title, slot and speaker", n)
					}
				}},
			{name: "session updated", action: models.ActionSessionUpdated, subject: models.SubjectSession, id: func() uint { return session.ID },
				old: map[string]any{"title": "Open data", "slots": []any{float64(f.s1.ID)}, "speakers": []any{"Anna"}},
				new: map[string]any{"title": "Open data in de praktijk", "slots": []any{float64(f.s2.ID)}, "speakers": []any{"Anna", "Bram"}},
				do: func(ctx context.Context) error {
					_, err := s.UpdateSession(ctx, session.ID, models.SessionInput{Title: "Open data in de praktijk", Format: models.Formats[0], VenueID: f.venue.ID,
						RoomID: f.small.ID, FirstSlotID: f.s2.ID, SlotCount: 1, Speakers: []models.SpeakerInput{{Name: "Anna"}, {Name: "Bram"}}})
					return err
				},
				fail: func(ctx context.Context) error { // a slot of another venue
					_, err := s.UpdateSession(ctx, session.ID, models.SessionInput{Title: "Open data", Format: models.Formats[0], VenueID: f.venue.ID,
						RoomID: f.small.ID, FirstSlotID: f.otherSlot.ID, SlotCount: 1})
					return err
				}},
			{name: "session moved on the board", action: models.ActionSessionMoved, subject: models.SubjectSession, id: func() uint { return session.ID },
				do: func(ctx context.Context) error {
					return s.ApplyPlacements(ctx, f.event.ID, []models.Placement{{SessionID: session.ID, VenueID: f.venue.ID, RoomID: f.big.ID, FirstSlotID: f.s3.ID}})
				},
				fail: func(ctx context.Context) error {
					return s.ApplyPlacements(ctx, f.event.ID, []models.Placement{{SessionID: 999999, VenueID: f.venue.ID, RoomID: f.big.ID, FirstSlotID: f.s3.ID}})
				},
				more: func(t *testing.T, d map[string]any) {
					moves, _ := d["moves"].([]any)
					m, _ := func() (map[string]any, bool) {
						if len(moves) != 1 {
							return nil, false
						}
						m, ok := moves[0].(map[string]any)
						return m, ok
					}()
					if !sameJSON(t, m["old"], map[string]any{"venue": f.venue.ID, "room": f.small.ID, "slots": []any{float64(f.s2.ID)}}) ||
						!sameJSON(t, m["new"], map[string]any{"venue": f.venue.ID, "room": f.big.ID, "slots": []any{float64(f.s3.ID)}}) {
						t.Errorf("details moves = %v, want the small room at s2 → the big room at s3", moves)
					}
				}},
			{name: "session pinned", action: models.ActionSessionPinned, subject: models.SubjectSession, id: func() uint { return session.ID },
				old: map[string]any{"pinned": false}, new: map[string]any{"pinned": true},
				do:   func(ctx context.Context) error { return s.SetPinned(ctx, session.ID, true) },
				fail: func(ctx context.Context) error { return s.SetPinned(ctx, 999999, true) }},
			{name: "planner run applied", action: models.ActionPlanApplied, subject: models.SubjectSchedule, id: func() uint { return f.event.ID },
				setup: func() {
					second = must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Zonder plek", Format: models.Formats[0], SlotCount: 1}))
				},
				do: func(ctx context.Context) error {
					d, err := s.PlanningData(ctx, f.event.ID)
					if err != nil {
						return err
					}
					revision = d.Event.TimetableRevision
					return s.ApplyPlan(ctx, f.event.ID, revision, []models.Placement{{SessionID: second.ID, VenueID: f.venue.ID, RoomID: f.small.ID, FirstSlotID: f.s1.ID}})
				},
				fail: func(ctx context.Context) error { // a stale revision: someone changed the timetable meanwhile
					return s.ApplyPlan(ctx, f.event.ID, -1, nil)
				},
				more: func(t *testing.T, d map[string]any) {
					if d["count"] != float64(1) || d["revision"] != float64(revision) {
						t.Errorf("details = %v, want one move at revision %d", d, revision)
					}
				}},
			{name: "schedule published", action: models.ActionSchedulePublished, subject: models.SubjectSchedule, id: func() uint { return f.event.ID },
				do: func(ctx context.Context) error {
					_, err := s.PublishScheduleMailing(ctx, f.event.ID, nil, 0)
					return err
				},
				fail: func(ctx context.Context) error { // the recipients changed since the page showed them
					_, err := s.PublishScheduleMailing(ctx, f.event.ID, nil, 5)
					return err
				},
				more: func(t *testing.T, d map[string]any) {
					if d["version"] != float64(1) {
						t.Errorf("details = %v, want version 1", d)
					}
				}},
			{name: "track created", action: models.ActionTrackCreated, subject: models.SubjectTrack, id: func() uint { return track.ID },
				do: func(ctx context.Context) error {
					tr, err := s.CreateTrack(ctx, f.event.ID, models.TrackInput{Name: "Data"})
					return keep(err, func() { track = tr })
				},
				fail: func(ctx context.Context) error {
					_, err := s.CreateTrack(ctx, f.event.ID, models.TrackInput{Name: ""})
					return err
				}},
			{name: "track renamed", action: models.ActionTrackRenamed,
				setup: func() { track2 = must(s.CreateTrack(ctx, f.event.ID, models.TrackInput{Name: "Taal"})) }, subject: models.SubjectTrack, id: func() uint { return track.ID },
				old: map[string]any{"name": "Data"}, new: map[string]any{"name": "Open data"},
				do: func(ctx context.Context) error {
					_, err := s.RenameTrack(ctx, track.ID, models.TrackInput{Name: "Open data"})
					return err
				},
				fail: func(ctx context.Context) error { // another track's name
					_, err := s.RenameTrack(ctx, track.ID, models.TrackInput{Name: "Taal"})
					return err
				}},
			{name: "proposal track", action: models.ActionProposalTrack, subject: models.SubjectProposal, id: func() uint { return props[0].ID },
				old: map[string]any{"track": ""}, new: map[string]any{"track": "Open data"},
				do: func(ctx context.Context) error {
					_, err := s.SetProposalTrack(ctx, props[0].ID, "Open data")
					return err
				},
				fail: func(ctx context.Context) error {
					_, err := s.SetProposalTrack(ctx, props[0].ID, "Bestaat niet")
					return err
				}},
			{name: "track deleted", action: models.ActionTrackDeleted, subject: models.SubjectTrack, id: func() uint { return track2.ID },
				old: map[string]any{"name": "Taal"},
				do:  func(ctx context.Context) error { return s.DeleteTrack(ctx, track2.ID) },
				fail: func(ctx context.Context) error {
					return s.DeleteTrack(ctx, 999999)
				}},
			{name: "review saved", action: models.ActionReviewSaved, subject: models.SubjectProposal, id: func() uint { return props[0].ID },
				do: func(ctx context.Context) error {
					_, err := s.SaveReview(ctx, props[0].ID, reviewer.ID, models.ReviewInput{Score: 4, Comment: "Goed"})
					return err
				},
				fail: func(ctx context.Context) error {
					_, err := s.SaveReview(ctx, 999999, reviewer.ID, models.ReviewInput{Score: 4})
					return err
				},
				more: func(t *testing.T, d map[string]any) {
					if !sameJSON(t, d["new"], map[string]any{"score": 4, "comment": "Goed"}) {
						t.Errorf("details new = %v, want score 4 and the comment", d["new"])
					}
				}},
			{name: "review changed", action: models.ActionReviewSaved, subject: models.SubjectProposal, id: func() uint { return props[0].ID },
				old: map[string]any{"score": 4}, new: map[string]any{"score": 2},
				do: func(ctx context.Context) error {
					_, err := s.SaveReview(ctx, props[0].ID, reviewer.ID, models.ReviewInput{Score: 2, Comment: "Goed"})
					return err
				}},
			{name: "proposal decided", action: models.ActionProposalDecided, subject: models.SubjectProposal, id: func() uint { return props[0].ID },
				old: map[string]any{"status": models.ProposalSubmitted}, new: map[string]any{"status": models.ProposalAccepted},
				do: func(ctx context.Context) error {
					_, err := s.DecideProposal(ctx, props[0].ID, models.ProposalAccepted, reviewer.ID)
					return err
				},
				fail: func(ctx context.Context) error {
					_, err := s.DecideProposal(ctx, props[0].ID, "misschien", reviewer.ID)
					return err
				}},
			{name: "decision template saved", action: models.ActionDecisionTemplateSaved, subject: models.SubjectDecisionTemplate, id: func() uint { return templateID },
				do: func(ctx context.Context) error {
					tm, err := s.SaveDecisionTemplate(ctx, f.event.ID, models.DecisionTemplateInput{Decision: models.ProposalAccepted, Lang: "nl",
						Subject: "Aangenomen", Body: goodAccepted}, mail.CheckDecisionTemplate)
					return keep(err, func() { templateID = tm.ID })
				},
				fail: func(ctx context.Context) error {
					_, err := s.SaveDecisionTemplate(ctx, f.event.ID, models.DecisionTemplateInput{Decision: models.ProposalAccepted, Lang: "nl", Subject: "", Body: ""}, mail.CheckDecisionTemplate)
					return err
				},
				more: func(t *testing.T, d map[string]any) {
					if d["decision"] != models.ProposalAccepted || d["lang"] != "nl" {
						t.Errorf("details = %v, want the decision and language", d)
					}
				}},
			{name: "decision template reset", action: models.ActionDecisionTemplateReset, subject: models.SubjectDecisionTemplate, id: func() uint { return templateID },
				do: func(ctx context.Context) error {
					return s.ResetDecisionTemplate(ctx, f.event.ID, models.ProposalAccepted, "nl")
				}},
			{name: "decision mails prepared", action: models.ActionDecisionMailsPrepared, subject: models.SubjectEvent, id: func() uint { return f.event.ID },
				do: func(ctx context.Context) error {
					_, err := s.PrepareDecisionMails(ctx, f.event.ID, testComposer)
					if err == nil {
						draft = draftIDs(must(s.DecisionOutbox(ctx, f.event.ID)))[0]
					}
					return err
				},
				fail: func(ctx context.Context) error {
					_, err := s.PrepareDecisionMails(ctx, f.event.ID, func(models.Proposal) (string, string, error) { return "", "", errors.New("no template") })
					return err
				},
				more: func(t *testing.T, d map[string]any) {
					if d["drafts"] != float64(1) {
						t.Errorf("details = %v, want one draft", d)
					}
				}},
			{name: "decision draft discarded", action: models.ActionDecisionMailsDiscarded, subject: models.SubjectDecisionMail, id: func() uint { return draft },
				do:   func(ctx context.Context) error { return s.DiscardDecisionDraft(ctx, f.event.ID, draft) },
				fail: func(ctx context.Context) error { return s.DiscardDecisionDraft(ctx, f.event.ID, 999999) }},
			{name: "decision drafts discarded", action: models.ActionDecisionMailsDiscarded, subject: models.SubjectEvent, id: func() uint { return f.event.ID },
				setup: func() { must(s.PrepareDecisionMails(ctx, f.event.ID, testComposer)) },
				do: func(ctx context.Context) error {
					_, err := s.DiscardDecisionDrafts(ctx, f.event.ID)
					return err
				}},
			{name: "decision mails sent", action: models.ActionDecisionMailsSent, subject: models.SubjectEvent, id: func() uint { return f.event.ID },
				setup: func() {
					must(s.PrepareDecisionMails(ctx, f.event.ID, testComposer))
					drafts = draftIDs(must(s.DecisionOutbox(ctx, f.event.ID)))
				},
				do: func(ctx context.Context) error {
					_, err := s.SendDecisionMails(ctx, f.event.ID, drafts)
					return err
				},
				fail: func(ctx context.Context) error {
					_, err := s.SendDecisionMails(ctx, f.event.ID, []uint{999999})
					return err
				}},
			{name: "message created", action: models.ActionMessageCreated, subject: models.SubjectMessage, id: func() uint { return message.ID },
				do: func(ctx context.Context) error {
					m, err := s.CreateMessage(ctx, f.event.ID, modelstest.Actor, messageInput(models.Audience{Kind: models.AudienceSpeakers}))
					return keep(err, func() { message = m })
				},
				fail: func(ctx context.Context) error {
					in := messageInput(models.Audience{Kind: models.AudienceSpeakers})
					in.SubjectNL = ""
					_, err := s.CreateMessage(ctx, f.event.ID, modelstest.Actor, in)
					return err
				}},
			{name: "message updated", action: models.ActionMessageUpdated, subject: models.SubjectMessage, id: func() uint { return message.ID },
				old: map[string]any{"subject_nl": "Nieuws over {evenement}"}, new: map[string]any{"subject_nl": "Meer nieuws over {evenement}"},
				do: func(ctx context.Context) error {
					in := messageInput(models.Audience{Kind: models.AudienceSpeakers})
					in.SubjectNL = "Meer nieuws over {evenement}"
					_, err := s.UpdateMessage(ctx, message.ID, in)
					return err
				},
				fail: func(ctx context.Context) error {
					_, err := s.UpdateMessage(ctx, 999999, messageInput(models.Audience{Kind: models.AudienceSpeakers}))
					return err
				}},
			{name: "message tested", action: models.ActionMessageTested, subject: models.SubjectMessage, id: func() uint { return message.ID },
				do: func(ctx context.Context) error {
					return s.SendTestMessage(ctx, modelstest.Actor, message.ID, "ik@example.nl", models.Recipient{Kind: models.AudienceSpeakers, Lang: "nl"})
				},
				fail: func(ctx context.Context) error {
					return s.SendTestMessage(ctx, modelstest.Actor, message.ID, "geen adres", models.Recipient{Kind: models.AudienceSpeakers, Lang: "nl"})
				},
				more: func(t *testing.T, d map[string]any) {
					if strings.Contains(lastDetails(t, s), "ik@example.nl") {
						t.Errorf("details %v name the test address", d)
					}
				}},
			{name: "reminders sent", action: models.ActionRemindersSent, subject: models.SubjectEvent, id: func() uint { return f.event.ID },
				do: func(ctx context.Context) error { _, err := s.SendReminders(ctx, f.event.ID, 0); return err },
				fail: func(ctx context.Context) error { // the recipients changed since the page showed them
					_, err := s.SendReminders(ctx, f.event.ID, 7)
					return err
				}},
			{name: "device token created", action: models.ActionDeviceTokenCreated, subject: models.SubjectDeviceToken, id: func() uint { return device.ID },
				do: func(ctx context.Context) error {
					d, token, err := s.CreateDeviceToken(ctx, models.DeviceTokenInput{Name: "Deur 1", Role: models.RoleDoor, VenueSlug: "zwolle"})
					return keep(err, func() {
						device = d
						if strings.Contains(lastDetails(t, s), token) {
							t.Error("the device token is in the audit details")
						}
					})
				},
				fail: func(ctx context.Context) error {
					_, _, err := s.CreateDeviceToken(ctx, models.DeviceTokenInput{Name: "Deur 1", Role: models.RoleDoor, VenueSlug: "nergens"})
					return err
				}},
			{name: "device token revoked", action: models.ActionDeviceTokenRevoked, subject: models.SubjectDeviceToken, id: func() uint { return device.ID },
				do:   func(ctx context.Context) error { return s.RevokeDeviceToken(ctx, device.ID) },
				fail: func(ctx context.Context) error { return s.RevokeDeviceToken(ctx, 999999) }},
			{name: "API token created", action: models.ActionAPITokenCreated, subject: models.SubjectAPIToken, id: func() uint { return api.ID },
				do: func(ctx context.Context) error {
					a, token, err := s.CreateAPIToken(ctx, models.APITokenInput{Name: "Koppeling", Role: models.RoleOrganiser})
					return keep(err, func() {
						api = a
						if strings.Contains(lastDetails(t, s), token) {
							t.Error("the API token is in the audit details")
						}
					})
				},
				fail: func(ctx context.Context) error {
					_, _, err := s.CreateAPIToken(ctx, models.APITokenInput{Name: "Koppeling", Role: models.RoleDoor})
					return err
				}},
			{name: "API token revoked", action: models.ActionAPITokenRevoked, subject: models.SubjectAPIToken, id: func() uint { return api.ID },
				do:   func(ctx context.Context) error { return s.RevokeAPIToken(ctx, api.ID) },
				fail: func(ctx context.Context) error { return s.RevokeAPIToken(ctx, 999999) }},
			{name: "personal data exported", action: models.ActionPersonalDataExported, subject: models.SubjectExport, id: func() uint { return f.venue.ID },
				do: func(ctx context.Context) error {
					return s.RecordExport(ctx, models.ExportRecord{Kind: models.ExportPeopleCSV, VenueID: f.venue.ID, Rows: 3})
				},
				fail: func(ctx context.Context) error { return s.RecordExport(ctx, models.ExportRecord{VenueID: f.venue.ID}) },
				more: func(t *testing.T, d map[string]any) {
					if d["kind"] != models.ExportPeopleCSV || d["rows"] != float64(3) {
						t.Errorf("details = %v, want the kind and the rows", d)
					}
				}},
			{name: "badges printed", action: models.ActionPersonalDataExported, subject: models.SubjectExport, id: func() uint { return f.venue.ID },
				do: func(ctx context.Context) error { return s.MarkBadgesPrinted(ctx, f.venue.ID, time.Now(), 2) },
				more: func(t *testing.T, d map[string]any) {
					if d["kind"] != models.ExportBadges {
						t.Errorf("details = %v, want the badges", d)
					}
				}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				if tc.setup != nil {
					tc.setup()
				}
				before := auditCount(t, s)
				if tc.fail != nil {
					if err := tc.fail(ctx); err == nil {
						t.Fatal("the failing version succeeded")
					}
					if n := auditCount(t, s) - before; n != 0 {
						t.Fatalf("the failing version wrote %d entries, want none", n)
					}
				}
				if err := tc.do(context.Background()); err == nil || !strings.Contains(err.Error(), "no actor") {
					t.Fatalf("without an actor: error %v, want a refusal", err)
				}
				if n := auditCount(t, s) - before; n != 0 {
					t.Fatalf("without an actor: %d entries, want none", n)
				}
				if err := tc.do(ctx); err != nil {
					t.Fatalf("with an actor: %v", err)
				}
				if n := auditCount(t, s) - before; n != 1 {
					t.Fatalf("%d entries, want exactly 1", n)
				}
				e := lastAudit(t, s)
				if e.Action != tc.action || e.SubjectKind != tc.subject || e.SubjectID != tc.id() {
					t.Errorf("entry %s %s %d, want %s %s %d", e.Action, e.SubjectKind, e.SubjectID, tc.action, tc.subject, tc.id())
				}
				if e.ActorKind != modelstest.Actor.Kind || e.ActorName != modelstest.Actor.Name {
					t.Errorf("actor %s %q, want %s %q", e.ActorKind, e.ActorName, modelstest.Actor.Kind, modelstest.Actor.Name)
				}
				d := e.DetailMap()
				if tc.old != nil && !sameJSON(t, d["old"], tc.old) {
					t.Errorf("details old = %v, want %v", d["old"], tc.old)
				}
				if tc.new != nil && !sameJSON(t, d["new"], tc.new) {
					t.Errorf("details new = %v, want %v", d["new"], tc.new)
				}
				if tc.more != nil {
					tc.more(t, d)
				}
			})
		}
	})
}

func slotID(sl *models.Slot) func() uint { return func() uint { return sl.ID } }

func lastDetails(t *testing.T, s *models.Store) string {
	t.Helper()
	return lastAudit(t, s).Details
}
