package models

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// Subjects of the organisers' actions in the audit trail (issue #16 point 7). The registration
// and message subjects live with their aggregates.
const (
	SubjectEvent            = "event"
	SubjectVenue            = "venue"
	SubjectRoom             = "room"
	SubjectSlot             = "slot"
	SubjectSession          = "session"
	SubjectSchedule         = "schedule" // the event's timetable: planner runs and published versions
	SubjectProposal         = "proposal"
	SubjectTrack            = "track"
	SubjectDecisionTemplate = "decision_template"
	SubjectDecisionMail     = "decision_mail"
	SubjectDeviceToken      = "device_token"
	SubjectAPIToken         = "api_token"
	SubjectExport           = "export" // an export of personal data; its subject id is the venue's, or 0
)

// Actions on those subjects.
const (
	ActionEventCreated           = "event.created"
	ActionEventUpdated           = "event.updated"
	ActionVenueCreated           = "venue.created"
	ActionVenueUpdated           = "venue.updated"
	ActionRoomCreated            = "room.created"
	ActionRoomUpdated            = "room.updated"
	ActionSlotCreated            = "slot.created"
	ActionSlotUpdated            = "slot.updated"
	ActionSessionCreated         = "session.created"
	ActionSessionUpdated         = "session.updated"
	ActionSessionMoved           = "session.moved"  // on the board: one placement
	ActionSessionPinned          = "session.pinned" // or unpinned: see the details
	ActionPlanApplied            = "schedule.plan_applied"
	ActionSchedulePublished      = "schedule.published"
	ActionProposalDecided        = "proposal.decided"
	ActionProposalTrack          = "proposal.track"
	ActionReviewSaved            = "review.saved"
	ActionTrackCreated           = "track.created"
	ActionTrackRenamed           = "track.renamed"
	ActionTrackDeleted           = "track.deleted"
	ActionDecisionTemplateSaved  = "decision_template.saved"
	ActionDecisionTemplateReset  = "decision_template.reset"
	ActionDecisionMailsPrepared  = "decision_mail.prepared"
	ActionDecisionMailsSent      = "decision_mail.sent"
	ActionDecisionMailsDiscarded = "decision_mail.discarded"
	ActionDeviceTokenCreated     = "device_token.created"
	ActionDeviceTokenRevoked     = "device_token.revoked"
	ActionAPITokenCreated        = "api_token.created"
	ActionAPITokenRevoked        = "api_token.revoked"
	ActionMessageCreated         = "message.created"
	ActionMessageUpdated         = "message.updated"
	ActionMessageTested          = "message.tested"
	ActionRemindersSent          = "registration.reminders_sent"
	ActionPersonalDataExported   = "export.personal_data"
)

// Kinds of personal-data export, for RecordExport.
const (
	ExportPeopleCSV     = "people.csv"
	ExportPeopleXLSX    = "people.xlsx"
	ExportDoorList      = "door_list.pdf"
	ExportBadges        = "badges.pdf"
	ExportNeeds         = "needs"
	ExportParticipants  = "participants"
	ExportRegistrations = "registrations.api"
)

// ExportRecord describes one export of personal data: what was exported, for which venue
// (0 for every venue), how many people it held when known, and the filter used.
type ExportRecord struct {
	Kind    string
	VenueID uint
	Rows    int
	Filter  map[string]any
}

// RecordExport writes the audit entry of an export of personal data by the actor in ctx.
// Exports change nothing else, so the entry is the transaction's only write.
func (s *Store) RecordExport(ctx context.Context, rec ExportRecord) error {
	if strings.TrimSpace(rec.Kind) == "" {
		return invalid(Problems{"kind": {Key: "form.required"}})
	}
	err := s.writeFor(ctx, rec.VenueID, func(tx *gorm.DB) error {
		return s.audit(ctx, tx, exportAudit(rec))
	})
	if err != nil {
		return fmt.Errorf("record export %s: %w", rec.Kind, err)
	}
	return nil
}

func exportAudit(rec ExportRecord) AuditRecord {
	details := map[string]any{"kind": rec.Kind}
	if rec.Rows > 0 {
		details["rows"] = rec.Rows
	}
	if len(rec.Filter) > 0 {
		details["filter"] = rec.Filter
	}
	return AuditRecord{Action: ActionPersonalDataExported, SubjectKind: SubjectExport, SubjectID: rec.VenueID,
		VenueID: rec.VenueID, Details: details}
}

// notAudited names stored fields an edit's details never carry: bookkeeping, and values that
// are secret or about a person's needs (the trail says only that such a field changed).
var notAudited = map[string]bool{"id": true, "created_at": true, "updated_at": true}

// secretField reports whether a field's value must stay out of the trail.
func secretField(column string) bool {
	for _, word := range []string{"password", "token", "secret", "hash", "dietary", "needs"} {
		if strings.Contains(column, word) {
			return true
		}
	}
	return false
}

var auditNames = schema.NamingStrategy{}

// maxAuditText is how much of a text field an entry's details keep.
const maxAuditText = 200

// changes compares two values of one struct type field by field and returns the audit
// details of an edit: "fields" (the changed columns, sorted as declared), "old" and "new"
// (their values, except secret ones). Only plain fields count: numbers, text, flags, times
// and pointers to them; associations do not. It returns nil when nothing changed.
func changes(before, after any) map[string]any {
	b, a := reflect.Indirect(reflect.ValueOf(before)), reflect.Indirect(reflect.ValueOf(after))
	if b.Type() != a.Type() || b.Kind() != reflect.Struct {
		panic(fmt.Sprintf("changes: %T and %T", before, after))
	}
	var fields []string
	was, became := map[string]any{}, map[string]any{}
	for i := range b.NumField() {
		f := b.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		column := auditNames.ColumnName("", f.Name)
		if notAudited[column] {
			continue
		}
		old, ok := plainValue(b.Field(i))
		if !ok {
			continue
		}
		now, _ := plainValue(a.Field(i))
		if reflect.DeepEqual(old, now) {
			continue
		}
		fields = append(fields, column)
		if !secretField(column) {
			was[column], became[column] = old, now
		}
	}
	if len(fields) == 0 {
		return nil
	}
	out := map[string]any{"fields": fields}
	if len(was) > 0 {
		out["old"], out["new"] = was, became
	}
	return out
}

// plainValue is v as the trail shows it (times in UTC, RFC 3339; nil pointers as nil), and
// whether v is a plain field at all.
func plainValue(v reflect.Value) (any, bool) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			_, ok := plainValue(reflect.New(v.Type().Elem()).Elem())
			return nil, ok
		}
		return plainValue(v.Elem())
	}
	if t, ok := v.Interface().(time.Time); ok {
		return t.UTC().Format(time.RFC3339), true
	}
	switch v.Kind() {
	case reflect.String:
		// A long text is cut short: the details column holds 4000 bytes in all.
		if s := v.String(); len(s) > maxAuditText {
			return truncate(s, maxAuditText) + "…", true
		}
		return v.String(), true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint(), true
	case reflect.Float32, reflect.Float64:
		return v.Float(), true
	}
	return nil, false
}

// created is the details of a new object: its plain fields, except secret ones.
func created(v any) map[string]any {
	zero := reflect.New(reflect.Indirect(reflect.ValueOf(v)).Type()).Interface()
	d := changes(zero, v)
	if d == nil {
		return nil
	}
	return map[string]any{"new": d["new"]}
}

// sessionShape is what of a session lives outside its row: its slots and its speakers.
type sessionShape struct {
	Slots    []uint
	Speakers []string
}

func shapeOfSession(tx *gorm.DB, id uint) (sessionShape, error) {
	var sh sessionShape
	if err := tx.Model(&SessionSlot{}).Where("session_id = ?", id).Order("slot_id").
		Pluck("slot_id", &sh.Slots).Error; err != nil {
		return sh, err
	}
	err := tx.Table("speakers").Joins("JOIN session_speakers ON session_speakers.speaker_id = speakers.id").
		Where("session_speakers.session_id = ?", id).Order("speakers.name").Pluck("speakers.name", &sh.Speakers).Error
	return sh, err
}

// sessionChanges is the details of a session's edit (or creation, from a zero Session):
// its changed fields, and its slots and speakers before and after when they changed.
func sessionChanges(tx *gorm.DB, old Session, oldShape sessionShape, se Session) (map[string]any, error) {
	shape, err := shapeOfSession(tx, se.ID)
	if err != nil {
		return nil, err
	}
	d := changes(old, se)
	if old.ID == 0 {
		d = created(se)
	}
	if d == nil {
		d = map[string]any{}
	}
	add := func(field string, was, now any) {
		if reflect.DeepEqual(was, now) {
			return
		}
		for _, k := range []string{"old", "new"} {
			if d[k] == nil {
				d[k] = map[string]any{}
			}
		}
		fields, _ := d["fields"].([]string)
		d["fields"] = append(fields, field)
		d["old"].(map[string]any)[field], d["new"].(map[string]any)[field] = was, now
	}
	add("slots", orEmpty(oldShape.Slots), orEmpty(shape.Slots))
	add("speakers", orEmptyText(oldShape.Speakers), orEmptyText(shape.Speakers))
	if old.ID == 0 {
		delete(d, "old")
		delete(d, "fields")
	}
	if len(d) == 0 {
		return nil, nil
	}
	return d, nil
}

func orEmptyText(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// place is where a session is, as the trail shows it.
type place struct {
	Venue uint   `json:"venue"`
	Room  uint   `json:"room"`
	Slots []uint `json:"slots"`
}

// placesOf is where the sessions ids are now.
func placesOf(tx *gorm.DB, ids []uint) (map[uint]place, error) {
	var sessions []Session
	if err := tx.Select("id", "venue_id", "room_id").Where("id IN ?", ids).Find(&sessions).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]place, len(sessions))
	for _, se := range sessions {
		out[se.ID] = place{Venue: derefVenue(se.VenueID), Room: derefVenue(se.RoomID), Slots: []uint{}}
	}
	var slots []SessionSlot
	if err := tx.Where("session_id IN ?", ids).Order("slot_id").Find(&slots).Error; err != nil {
		return nil, err
	}
	for _, ss := range slots {
		p := out[ss.SessionID]
		p.Slots = append(p.Slots, ss.SlotID)
		out[ss.SessionID] = p
	}
	return out, nil
}

// maxAuditMoves is how many of a planner run's moves its entry lists one by one.
const maxAuditMoves = 30

// placementsAudit is the entry of a move on the board (revision nil: one session, or a few
// swapping places) or of a planner run applied: each session's place before and after.
func placementsAudit(eventID uint, revision *int, moves []Placement, was map[uint]place, places []placement) AuditRecord {
	list := make([]map[string]any, 0, min(len(moves), maxAuditMoves))
	for i, m := range moves {
		if i == maxAuditMoves {
			break
		}
		pl := places[i]
		now := place{Venue: derefVenue(pl.venueID), Room: derefVenue(pl.roomID), Slots: orEmpty(pl.slotIDs)}
		list = append(list, map[string]any{"session": m.SessionID, "old": was[m.SessionID], "new": now})
	}
	details := map[string]any{"moves": list, "count": len(moves)}
	if revision != nil {
		details["revision"] = *revision
		return AuditRecord{Action: ActionPlanApplied, SubjectKind: SubjectSchedule, SubjectID: eventID, Details: details}
	}
	rec := AuditRecord{Action: ActionSessionMoved, SubjectKind: SubjectSession, Details: details}
	if len(moves) > 0 {
		rec.SubjectID = moves[0].SessionID
		rec.VenueID = derefVenue(places[0].venueID)
	}
	return rec
}

// fieldChange is the details of an edit of one field.
func fieldChange(field string, was, now any) map[string]any {
	return map[string]any{"fields": []string{field}, "old": map[string]any{field: was}, "new": map[string]any{field: now}}
}

// messageText is what of a message its entries show: the audience as chosen, and the text.
type messageText struct {
	AudienceQuery, SubjectNL, BodyNL, SubjectEN, BodyEN string
}

func textOf(m Message) messageText {
	return messageText{AudienceQuery: m.AudienceQuery, SubjectNL: m.SubjectNL, BodyNL: m.BodyNL, SubjectEN: m.SubjectEN, BodyEN: m.BodyEN}
}
