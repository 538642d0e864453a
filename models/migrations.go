package models

import (
	"context"
	"fmt"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migrations is the schema's history, oldest first. Each migration declares the tables as they
// were at that moment, with structs of its own: the model types move on, a migration never does.
// Append new migrations; never edit one that has shipped.
var migrations = []*gormigrate.Migration{
	{ID: "2026112201_initial_schema", Migrate: migrateInitialSchema},
	{ID: "2026112202_registrations", Migrate: migrateRegistrations},
	{ID: "2026112203_event_keys", Migrate: migrateEventKeys},
	{ID: "2026112204_badges_printed", Migrate: migrateBadgesPrinted},
	{ID: "2026112205_door_check_in", Migrate: migrateDoorCheckIn},
	{ID: "2026112206_call_for_proposals", Migrate: migrateCallForProposals},
	{ID: "2026112301_open_voting", Migrate: migrateOpenVoting},
	{ID: "2026112302_review", Migrate: migrateReview},
	{ID: "2026112303_decisions", Migrate: migrateDecisions},
	{ID: "2026112304_schedule_versions", Migrate: migrateScheduleVersions},
	{ID: "2026112305_planning", Migrate: migratePlanning},
	{ID: "2026120602_cospeaker_invites", Migrate: migrateCoSpeakerInvites},
	{ID: "2026120603_venue_ticket_keys", Migrate: migrateVenueTicketKeys},
	{ID: "2026120605_calendar_feeds", Migrate: migrateCalendarFeeds},
	{ID: "2026120607_installation", Migrate: migrateInstallation},
	{ID: "2026120610_people", Migrate: migratePeople},
	{ID: "2026120611_waitlist_order", Migrate: migrateWaitlistOrder},
	{ID: "2026120612_imports", Migrate: migrateImports},
	{ID: "2026120710_leases", Migrate: migrateLeases},
	{ID: "2026120801_waiting_counter", Migrate: migrateWaitingCounter},
	{ID: "2026120802_messages", Migrate: migrateMessages},
	{ID: "2026120803_contact", Migrate: migrateContact},
	{ID: "2026120804_english_content", Migrate: migrateEnglishContent},
	{ID: "2026120805_vote_contacts", Migrate: migrateVoteContacts},
	{ID: "2026121001_team", Migrate: migrateTeam},
	{ID: "2026121002_signins", Migrate: migrateSignIns}, // #16 pass
	{ID: "2026121003_second_factor", Migrate: migrateSecondFactor},
	{ID: "2026121004_passkeys", Migrate: migratePasskeys},
	{ID: "2026121005_audit_chain", Migrate: migrateAuditChain},
	{ID: "2026121101_privacy_settings", Migrate: migratePrivacySettings},
	{ID: "2026121102_erasure", Migrate: migrateErasure},
	{ID: "2026121201_preferences", Migrate: migratePreferences},
	{ID: "2026121301_room_check_ins", Migrate: migrateRoomCheckIns},
	{ID: "2026121302_room_doors", Migrate: migrateRoomDoors},
	{ID: "2026121303_feedback", Migrate: migrateFeedback},
	{ID: "2026121305_editions", Migrate: migrateEditions},
}

func (s *Store) migrate(ctx context.Context) error {
	m := gormigrate.New(s.db.WithContext(ctx), &gormigrate.Options{
		TableName:                 "schema_migrations",
		IDColumnName:              "id",
		IDColumnSize:              255,
		UseTransaction:            true,
		ValidateUnknownMigrations: true,
	}, migrations)
	if err := m.Migrate(); err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	return nil
}

func migrateInitialSchema(tx *gorm.DB) error {
	type Event struct {
		ID          uint
		Name        string `gorm:"size:200;not null"`
		Theme       string `gorm:"size:200;not null;default:''"`
		Description string `gorm:"size:4000;not null;default:''"`
		Date        string `gorm:"size:10;not null"`
		Timezone    string `gorm:"size:64;not null"`
		CreatedAt   time.Time
		UpdatedAt   time.Time
	}
	type Venue struct {
		ID            uint
		EventID       uint   `gorm:"not null;index"`
		Event         Event  `gorm:"constraint:OnDelete:CASCADE"`
		Slug          string `gorm:"size:60;not null;uniqueIndex"`
		Name          string `gorm:"size:200;not null"`
		City          string `gorm:"size:100;not null"`
		Address       string `gorm:"size:200;not null"`
		RouteHint     string `gorm:"size:500;not null;default:''"`
		Accessibility string `gorm:"size:1000;not null;default:''"`
		Capacity      int    `gorm:"not null"`
		CreatedAt     time.Time
		UpdatedAt     time.Time
	}
	type Room struct {
		ID            uint
		VenueID       uint   `gorm:"not null;uniqueIndex:idx_rooms_venue_name"`
		Venue         Venue  `gorm:"constraint:OnDelete:CASCADE"`
		Name          string `gorm:"size:100;not null;uniqueIndex:idx_rooms_venue_name"`
		Capacity      int    `gorm:"not null"`
		Accessibility string `gorm:"size:1000;not null;default:''"`
		CreatedAt     time.Time
		UpdatedAt     time.Time
	}
	type Slot struct {
		ID        uint
		VenueID   uint      `gorm:"not null;index"`
		Venue     Venue     `gorm:"constraint:OnDelete:CASCADE"`
		StartsAt  time.Time `gorm:"not null"`
		EndsAt    time.Time `gorm:"not null"`
		CreatedAt time.Time
		UpdatedAt time.Time
	}
	type Session struct {
		ID            uint
		EventID       uint   `gorm:"not null;index"`
		Event         Event  `gorm:"constraint:OnDelete:CASCADE"`
		VenueID       *uint  `gorm:"index"`
		Venue         *Venue `gorm:"constraint:OnDelete:SET NULL"`
		RoomID        *uint  `gorm:"index"`
		Room          *Room  `gorm:"constraint:OnDelete:SET NULL"`
		Title         string `gorm:"size:200;not null"`
		Format        string `gorm:"size:20;not null"`
		Abstract      string `gorm:"size:4000;not null;default:''"`
		Track         string `gorm:"size:100;not null;default:''"`
		CapacityLimit int    `gorm:"not null;default:0"`
		CreatedAt     time.Time
		UpdatedAt     time.Time
	}
	type SessionSlot struct {
		SessionID uint    `gorm:"primaryKey"`
		Session   Session `gorm:"constraint:OnDelete:CASCADE"`
		SlotID    uint    `gorm:"primaryKey;uniqueIndex:idx_session_slots_room_slot"`
		Slot      Slot    `gorm:"constraint:OnDelete:CASCADE"`
		RoomID    uint    `gorm:"not null;uniqueIndex:idx_session_slots_room_slot"`
		Room      Room    `gorm:"constraint:OnDelete:CASCADE"`
	}
	type Speaker struct {
		ID           uint
		EventID      uint   `gorm:"not null;index"`
		Event        Event  `gorm:"constraint:OnDelete:CASCADE"`
		Name         string `gorm:"size:200;not null"`
		Organisation string `gorm:"size:200;not null;default:''"`
		Email        string `gorm:"size:254;not null;default:''"`
		Bio          string `gorm:"size:2000;not null;default:''"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type SessionSpeaker struct {
		SessionID uint    `gorm:"primaryKey"`
		Session   Session `gorm:"constraint:OnDelete:CASCADE"`
		SpeakerID uint    `gorm:"primaryKey"`
		Speaker   Speaker `gorm:"constraint:OnDelete:CASCADE"`
	}
	type User struct {
		ID           uint
		Email        string `gorm:"size:254;not null;uniqueIndex"`
		PasswordHash string `gorm:"size:200;not null"`
		Role         string `gorm:"size:20;not null"`
		VenueID      *uint  `gorm:"index"`
		Venue        *Venue `gorm:"constraint:OnDelete:CASCADE"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type WebSession struct {
		Token  string    `gorm:"size:64;primaryKey"`
		Data   []byte    `gorm:"not null"`
		Expiry time.Time `gorm:"not null;index"`
	}
	return tx.Migrator().CreateTable(&Event{}, &Venue{}, &Room{}, &Slot{}, &Session{},
		&SessionSlot{}, &Speaker{}, &SessionSpeaker{}, &User{}, &WebSession{})
}

func migrateRegistrations(tx *gorm.DB) error {
	type Event struct {
		ID                   uint
		RegistrationOpensAt  *time.Time
		RegistrationClosesAt *time.Time
		WaitlistAfterClose   bool   `gorm:"not null;default:false"`
		PrivacyVersion       string `gorm:"size:40;not null;default:'1'"`
		StillComingDays      int    `gorm:"not null;default:0"`
		StillComingSentAt    *time.Time
		ReconfirmDeadline    *time.Time
		ReconfirmReleasedAt  *time.Time
	}
	type Venue struct {
		ID         uint
		Registered int `gorm:"not null;default:0"`
	}
	type Session struct {
		ID        uint
		Confirmed int `gorm:"not null;default:0"`
	}
	m := tx.Migrator()
	for _, col := range []string{"RegistrationOpensAt", "RegistrationClosesAt", "WaitlistAfterClose", "PrivacyVersion",
		"StillComingDays", "StillComingSentAt", "ReconfirmDeadline", "ReconfirmReleasedAt"} {
		if err := m.AddColumn(&Event{}, col); err != nil {
			return err
		}
	}
	if err := m.AddColumn(&Venue{}, "Registered"); err != nil {
		return err
	}
	if err := m.AddColumn(&Session{}, "Confirmed"); err != nil {
		return err
	}

	type Registration struct {
		ID             uint
		EventID        uint    `gorm:"not null;uniqueIndex:idx_registrations_active_email"`
		Event          Event   `gorm:"constraint:OnDelete:CASCADE"`
		VenueID        uint    `gorm:"not null;index"`
		Venue          Venue   `gorm:"constraint:OnDelete:RESTRICT"`
		ActiveEmail    *string `gorm:"size:254;uniqueIndex:idx_registrations_active_email"`
		Email          string  `gorm:"size:254;not null"`
		Name           string  `gorm:"size:200;not null"`
		Organisation   string  `gorm:"size:200;not null"`
		JobTitle       string  `gorm:"size:200;not null;default:''"`
		Dietary        string  `gorm:"size:500;not null;default:''"`
		Accessibility  string  `gorm:"size:500;not null;default:''"`
		Lang           string  `gorm:"size:5;not null"`
		ConsentVersion string  `gorm:"size:40;not null"`
		ConsentAt      time.Time
		Status         string `gorm:"size:20;not null;index"`
		TicketVersion  int    `gorm:"not null;default:1"`
		CancelledAt    *time.Time
		ReconfirmedAt  *time.Time
		CreatedAt      time.Time
		UpdatedAt      time.Time
	}
	type Booking struct {
		ID             uint
		RegistrationID uint         `gorm:"not null;uniqueIndex:idx_bookings_registration_session"`
		Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
		SessionID      uint         `gorm:"not null;uniqueIndex:idx_bookings_registration_session;index:idx_bookings_session_status"`
		Session        Session      `gorm:"constraint:OnDelete:CASCADE"`
		Status         string       `gorm:"size:20;not null;index:idx_bookings_session_status"`
		PromotedAt     *time.Time
		CreatedAt      time.Time
	}
	type AccessToken struct {
		Hash           string       `gorm:"size:64;primaryKey"`
		RegistrationID uint         `gorm:"not null;index"`
		Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
		CreatedAt      time.Time
	}
	type OutboxMessage struct {
		ID             uint
		Kind           string    `gorm:"size:40;not null"`
		Recipient      string    `gorm:"size:254;not null"`
		Lang           string    `gorm:"size:5;not null"`
		RegistrationID *uint     `gorm:"index"`
		Payload        string    `gorm:"size:4000;not null;default:''"`
		Attempts       int       `gorm:"not null;default:0"`
		NextAttemptAt  time.Time `gorm:"not null;index:idx_outbox_due"`
		LockedUntil    *time.Time
		SentAt         *time.Time `gorm:"index:idx_outbox_due"`
		LastError      string     `gorm:"size:1000;not null;default:''"`
		CreatedAt      time.Time
	}
	return m.CreateTable(&Registration{}, &Booking{}, &AccessToken{}, &OutboxMessage{})
}

func migrateEventKeys(tx *gorm.DB) error {
	type Event struct{ ID uint }
	type EventKey struct {
		EventID    uint   `gorm:"primaryKey"`
		Event      Event  `gorm:"constraint:OnDelete:CASCADE"`
		PublicKey  []byte `gorm:"not null"`
		PrivateKey []byte `gorm:"not null"`
		CreatedAt  time.Time
	}
	return tx.Migrator().CreateTable(&EventKey{})
}

func migrateBadgesPrinted(tx *gorm.DB) error {
	type Venue struct {
		ID              uint
		BadgesPrintedAt *time.Time
	}
	return tx.Migrator().AddColumn(&Venue{}, "BadgesPrintedAt")
}

func migrateDoorCheckIn(tx *gorm.DB) error {
	type Venue struct{ ID uint }
	type Registration struct{ ID uint }
	type DeviceToken struct {
		ID         uint
		Name       string `gorm:"size:100;not null"`
		Role       string `gorm:"size:20;not null"`
		VenueID    uint   `gorm:"not null;index"`
		Venue      Venue  `gorm:"constraint:OnDelete:CASCADE"`
		Hash       string `gorm:"size:64;not null;uniqueIndex"`
		CreatedAt  time.Time
		RevokedAt  *time.Time
		LastUsedAt *time.Time
	}
	type CheckIn struct {
		ID             uint
		VenueID        uint         `gorm:"not null;index"`
		Venue          Venue        `gorm:"constraint:OnDelete:CASCADE"`
		RegistrationID uint         `gorm:"not null;index"`
		Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
		CheckedInAt    time.Time    `gorm:"not null;index"`
		ReceivedAt     time.Time    `gorm:"not null"`
		Door           string       `gorm:"size:254;not null"`
		DeviceTokenID  *uint
		UserID         *uint
		ScanID         *string `gorm:"size:64;uniqueIndex"`
		Offline        bool    `gorm:"not null;default:false"`
		UndoneAt       *time.Time
		UndoneBy       string `gorm:"size:254;not null;default:''"`
	}
	type CheckInConflict struct {
		ID             uint
		VenueID        uint         `gorm:"not null;index"`
		Venue          Venue        `gorm:"constraint:OnDelete:CASCADE"`
		RegistrationID uint         `gorm:"not null;index"`
		Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
		CheckInID      uint         `gorm:"not null"`
		Door           string       `gorm:"size:254;not null"`
		ScannedAt      time.Time    `gorm:"not null"`
		ScanID         *string      `gorm:"size:64;uniqueIndex"`
		CreatedAt      time.Time
	}
	if err := tx.Migrator().CreateTable(&DeviceToken{}, &CheckIn{}, &CheckInConflict{}); err != nil {
		return err
	}
	// One check-in that counts per registration; undone ones stay as the log. Both SQLite
	// and PostgreSQL have partial indexes.
	return tx.Exec("CREATE UNIQUE INDEX idx_check_ins_one_active ON check_ins (registration_id) WHERE undone_at IS NULL").Error
}

func migrateCallForProposals(tx *gorm.DB) error {
	type Event struct {
		ID               uint
		ProposalsOpenAt  *time.Time
		ProposalsCloseAt *time.Time
	}
	type OutboxMessage struct {
		ID         uint
		ProposalID *uint `gorm:"index"`
	}
	m := tx.Migrator()
	for _, col := range []string{"ProposalsOpenAt", "ProposalsCloseAt"} {
		if err := m.AddColumn(&Event{}, col); err != nil {
			return err
		}
	}
	if err := m.AddColumn(&OutboxMessage{}, "ProposalID"); err != nil {
		return err
	}
	if err := m.CreateIndex(&OutboxMessage{}, "ProposalID"); err != nil {
		return err
	}
	type Venue struct{ ID uint }
	type Slot struct{ ID uint }
	type Proposal struct {
		ID                  uint
		EventID             uint   `gorm:"not null;index"`
		Event               Event  `gorm:"constraint:OnDelete:CASCADE"`
		Status              string `gorm:"size:20;not null;index"`
		Title               string `gorm:"size:200;not null"`
		Summary             string `gorm:"size:500;not null"`
		Description         string `gorm:"size:4000;not null"`
		Format              string `gorm:"size:20;not null"`
		SlotCount           int    `gorm:"not null"`
		MaxParticipants     int    `gorm:"not null"`
		Audience            string `gorm:"size:200;not null;default:''"`
		Level               string `gorm:"size:20;not null;default:''"`
		Needs               string `gorm:"size:4000;not null;default:'[]'"`
		SpeakerName         string `gorm:"size:200;not null"`
		SpeakerEmail        string `gorm:"size:254;not null"`
		SpeakerOrganisation string `gorm:"size:200;not null"`
		SpeakerBio          string `gorm:"size:1000;not null;default:''"`
		HasPhoto            bool   `gorm:"not null;default:false"`
		Lang                string `gorm:"size:5;not null"`
		ConsentAt           time.Time
		WithdrawnAt         *time.Time
		CreatedAt           time.Time
		UpdatedAt           time.Time
	}
	type ProposalVenue struct {
		ProposalID uint     `gorm:"primaryKey"`
		Proposal   Proposal `gorm:"constraint:OnDelete:CASCADE"`
		VenueID    uint     `gorm:"primaryKey;index"`
		Venue      Venue    `gorm:"constraint:OnDelete:CASCADE"`
	}
	type ProposalSlot struct {
		ProposalID uint     `gorm:"primaryKey"`
		Proposal   Proposal `gorm:"constraint:OnDelete:CASCADE"`
		SlotID     uint     `gorm:"primaryKey;index"`
		Slot       Slot     `gorm:"constraint:OnDelete:CASCADE"`
	}
	type CoSpeaker struct {
		ID           uint
		ProposalID   uint     `gorm:"not null;uniqueIndex:idx_co_speakers_proposal_email"`
		Proposal     Proposal `gorm:"constraint:OnDelete:CASCADE"`
		EmailKey     string   `gorm:"size:254;not null;uniqueIndex:idx_co_speakers_proposal_email"`
		Email        string   `gorm:"size:254;not null"`
		Name         string   `gorm:"size:200;not null;default:''"`
		Organisation string   `gorm:"size:200;not null;default:''"`
		Bio          string   `gorm:"size:1000;not null;default:''"`
		ConfirmedAt  *time.Time
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type ProposalPhoto struct {
		ProposalID  uint     `gorm:"primaryKey"`
		Proposal    Proposal `gorm:"constraint:OnDelete:CASCADE"`
		ContentType string   `gorm:"size:20;not null"`
		Data        []byte   `gorm:"not null"`
		CreatedAt   time.Time
	}
	type ProposalToken struct {
		Hash        string     `gorm:"size:64;primaryKey"`
		ProposalID  uint       `gorm:"not null;index"`
		Proposal    Proposal   `gorm:"constraint:OnDelete:CASCADE"`
		CoSpeakerID *uint      `gorm:"index"`
		CoSpeaker   *CoSpeaker `gorm:"constraint:OnDelete:CASCADE"`
		CreatedAt   time.Time
	}
	return m.CreateTable(&Proposal{}, &ProposalVenue{}, &ProposalSlot{}, &CoSpeaker{}, &ProposalPhoto{}, &ProposalToken{})
}

func migrateScheduleVersions(tx *gorm.DB) error {
	type Event struct{ ID uint }
	type User struct{ ID uint }
	type ScheduleVersion struct {
		ID          uint
		EventID     uint  `gorm:"not null;uniqueIndex:idx_schedule_versions_event_number"`
		Event       Event `gorm:"constraint:OnDelete:CASCADE"`
		Number      int   `gorm:"not null;uniqueIndex:idx_schedule_versions_event_number"`
		PublishedAt time.Time
		PublishedBy *uint
		User        *User  `gorm:"foreignKey:PublishedBy;constraint:OnDelete:SET NULL"`
		Sessions    string `gorm:"not null"`
		Changes     string `gorm:"not null"`
	}
	return tx.Migrator().CreateTable(&ScheduleVersion{})
}

// migrateOpenVoting adds open voting on proposals: the event's voting settings, the voters
// (pseudonymous: a keyed hash of the address, never the address), their personal links and
// their votes.
func migrateOpenVoting(tx *gorm.DB) error {
	type Event struct {
		ID                 uint
		VotingEnabled      bool `gorm:"not null;default:false"`
		VotingOpensAt      *time.Time
		VotingClosesAt     *time.Time
		VotesPerVoter      int    `gorm:"not null;default:5"`
		VotingDomains      string `gorm:"size:2000;not null;default:''"`
		VotingCountsPublic bool   `gorm:"not null;default:false"`
	}
	m := tx.Migrator()
	for _, col := range []string{"VotingEnabled", "VotingOpensAt", "VotingClosesAt", "VotesPerVoter", "VotingDomains", "VotingCountsPublic"} {
		if err := m.AddColumn(&Event{}, col); err != nil {
			return err
		}
	}
	type Proposal struct{ ID uint }
	type Voter struct {
		ID         uint
		EventID    uint   `gorm:"not null;uniqueIndex:idx_voters_event_email"`
		Event      Event  `gorm:"constraint:OnDelete:CASCADE"`
		EmailHash  string `gorm:"size:64;not null;uniqueIndex:idx_voters_event_email"`
		Lang       string `gorm:"size:5;not null"`
		VerifiedAt *time.Time
		VotedAt    *time.Time
		CreatedAt  time.Time
	}
	type VoterToken struct {
		Hash      string `gorm:"size:64;primaryKey"`
		VoterID   uint   `gorm:"not null;index"`
		Voter     Voter  `gorm:"constraint:OnDelete:CASCADE"`
		CreatedAt time.Time
	}
	type Vote struct {
		VoterID    uint     `gorm:"primaryKey"`
		Voter      Voter    `gorm:"constraint:OnDelete:CASCADE"`
		ProposalID uint     `gorm:"primaryKey;index"`
		Proposal   Proposal `gorm:"constraint:OnDelete:CASCADE"`
		CreatedAt  time.Time
	}
	return m.CreateTable(&Voter{}, &VoterToken{}, &Vote{})
}

// migrateReview adds reviews of proposals, the event's tracks, and the organisers' decision.
// A proposal's track is the track's name, as a session's is, so it can be copied to the
// session once the proposal is confirmed.
func migrateReview(tx *gorm.DB) error {
	type Event struct{ ID uint }
	type User struct{ ID uint }
	type Proposal struct {
		ID        uint
		Track     string `gorm:"size:100;not null;default:''"`
		DecidedAt *time.Time
		DecidedBy *uint
	}
	m := tx.Migrator()
	for _, col := range []string{"Track", "DecidedAt", "DecidedBy"} {
		if err := m.AddColumn(&Proposal{}, col); err != nil {
			return err
		}
	}
	type Review struct {
		ID         uint
		ProposalID uint     `gorm:"not null;uniqueIndex:idx_reviews_proposal_user"`
		Proposal   Proposal `gorm:"constraint:OnDelete:CASCADE"`
		UserID     uint     `gorm:"not null;uniqueIndex:idx_reviews_proposal_user;index"`
		User       User     `gorm:"constraint:OnDelete:CASCADE"`
		Score      int      `gorm:"not null;check:chk_reviews_score,score BETWEEN 1 AND 5"`
		Comment    string   `gorm:"size:2000;not null;default:''"`
		CreatedAt  time.Time
		UpdatedAt  time.Time
	}
	type Track struct {
		ID        uint
		EventID   uint   `gorm:"not null;uniqueIndex:idx_tracks_event_name"`
		Event     Event  `gorm:"constraint:OnDelete:CASCADE"`
		Name      string `gorm:"size:100;not null;uniqueIndex:idx_tracks_event_name"`
		CreatedAt time.Time
		UpdatedAt time.Time
	}
	return m.CreateTable(&Review{}, &Track{})
}

// --- Decisions (issue #6 points 4 and 5) ---

// migrateDecisions adds the decision e-mails' templates and drafts, and what a confirmed
// proposal hands its session: the length in slots, the proposal it came from, the venue
// wishes and the speakers' availability.
func migrateDecisions(tx *gorm.DB) error {
	type Event struct{ ID uint }
	type Venue struct{ ID uint }
	type Slot struct{ ID uint }
	type Proposal struct{ ID uint }
	type Session struct {
		ID        uint
		SlotCount int `gorm:"not null;default:1"`
	}
	m := tx.Migrator()
	if err := m.AddColumn(&Session{}, "SlotCount"); err != nil {
		return err
	}
	// Written out, because gorm's SQLite migrator cannot add a column with a foreign key.
	if err := tx.Exec("ALTER TABLE sessions ADD COLUMN proposal_id bigint REFERENCES proposals(id) ON DELETE SET NULL").Error; err != nil {
		return err
	}
	if err := tx.Exec("CREATE UNIQUE INDEX idx_sessions_proposal_id ON sessions (proposal_id)").Error; err != nil {
		return err
	}
	// A placed session's length is the number of slots it fills.
	if err := tx.Exec(`UPDATE sessions SET slot_count = (SELECT COUNT(*) FROM session_slots WHERE session_slots.session_id = sessions.id)
		WHERE EXISTS (SELECT 1 FROM session_slots WHERE session_slots.session_id = sessions.id)`).Error; err != nil {
		return err
	}
	type SessionVenue struct {
		SessionID uint    `gorm:"primaryKey"`
		Session   Session `gorm:"constraint:OnDelete:CASCADE"`
		VenueID   uint    `gorm:"primaryKey;index"`
		Venue     Venue   `gorm:"constraint:OnDelete:CASCADE"`
	}
	type SessionAvailability struct {
		SessionID uint    `gorm:"primaryKey"`
		Session   Session `gorm:"constraint:OnDelete:CASCADE"`
		SlotID    uint    `gorm:"primaryKey;index"`
		Slot      Slot    `gorm:"constraint:OnDelete:CASCADE"`
	}
	type DecisionTemplate struct {
		ID        uint
		EventID   uint   `gorm:"not null;uniqueIndex:idx_decision_templates_key"`
		Event     Event  `gorm:"constraint:OnDelete:CASCADE"`
		Decision  string `gorm:"size:20;not null;uniqueIndex:idx_decision_templates_key"`
		Lang      string `gorm:"size:5;not null;uniqueIndex:idx_decision_templates_key"`
		Subject   string `gorm:"size:400;not null"`
		Body      string `gorm:"size:10000;not null"`
		CreatedAt time.Time
		UpdatedAt time.Time
	}
	type DecisionMail struct {
		ID         uint
		ProposalID uint     `gorm:"not null;index"`
		Proposal   Proposal `gorm:"constraint:OnDelete:CASCADE"`
		Decision   string   `gorm:"size:20;not null"`
		Lang       string   `gorm:"size:5;not null"`
		Recipient  string   `gorm:"size:254;not null"`
		Subject    string   `gorm:"size:1000;not null"`
		Body       string   `gorm:"size:40000;not null"`
		CreatedAt  time.Time
		QueuedAt   *time.Time `gorm:"index"`
	}
	if err := m.CreateTable(&SessionVenue{}, &DecisionTemplate{}, &DecisionMail{}); err != nil {
		return err
	}
	if err := tx.Table("session_availability").Migrator().CreateTable(&SessionAvailability{}); err != nil {
		return err
	}
	// At most one draft per proposal waits for review: two organisers preparing at once
	// cannot leave two.
	return tx.Exec("CREATE UNIQUE INDEX idx_decision_mails_one_draft ON decision_mails (proposal_id) WHERE queued_at IS NULL").Error
}

// migratePlanning adds what the timetabler needs beyond the sessions' wishes: pinned sessions,
// the travel time between cities, and a revision of the timetable that every change raises.
func migratePlanning(tx *gorm.DB) error {
	type Session struct {
		ID     uint
		Pinned bool `gorm:"not null;default:false"`
	}
	type Event struct {
		ID                uint
		TravelMinutes     int `gorm:"not null;default:90"`
		TimetableRevision int `gorm:"not null;default:0"`
	}
	if err := tx.Migrator().AddColumn(&Session{}, "Pinned"); err != nil {
		return err
	}
	if err := tx.Migrator().AddColumn(&Event{}, "TravelMinutes"); err != nil {
		return err
	}
	return tx.Migrator().AddColumn(&Event{}, "TimetableRevision")
}

// migrateVenueTicketKeys gives every venue a ticket key that never changes, its slug of today
// (the name its tickets already carry), and a table of the slugs venues had before.
func migrateVenueTicketKeys(tx *gorm.DB) error {
	type Venue struct {
		ID        uint
		TicketKey string `gorm:"size:20;not null;default:''"`
	}
	type VenueSlug struct {
		Slug      string `gorm:"size:60;primaryKey"`
		VenueID   uint   `gorm:"not null;index"`
		Venue     Venue  `gorm:"constraint:OnDelete:CASCADE"`
		CreatedAt time.Time
	}
	if err := tx.Migrator().AddColumn(&Venue{}, "TicketKey"); err != nil {
		return err
	}
	if err := tx.Exec("UPDATE venues SET ticket_key = slug").Error; err != nil {
		return err
	}
	if err := tx.Exec("CREATE UNIQUE INDEX idx_venues_ticket_key ON venues (ticket_key)").Error; err != nil {
		return err
	}
	return tx.Migrator().CreateTable(&VenueSlug{})
}

// migrateWaitlistOrder gives bookings an explicit place in their waiting list, for organisers
// who move a person up or down. Waiting lists are served by (wait_order, id): every booking
// starts at 0, so the order is first come, first served until an organiser reorders a list,
// which renumbers that list below 0 (see MoveInWaitlist); later arrivals, at 0, stay behind.
func migrateWaitlistOrder(tx *gorm.DB) error {
	type Booking struct {
		ID        uint
		WaitOrder int64 `gorm:"not null;default:0"`
	}
	if err := tx.Migrator().AddColumn(&Booking{}, "WaitOrder"); err != nil {
		return err
	}
	// The index a waiting list is read through gains the order, so a place in line is
	// counted from the index alone; it replaces the old one rather than adding a second,
	// which would cost every booking of the registration rush another write.
	if err := tx.Exec("DROP INDEX idx_bookings_session_status").Error; err != nil {
		return err
	}
	return tx.Exec("CREATE INDEX idx_bookings_session_status ON bookings (session_id, status, wait_order)").Error
}

// migrateLeases adds what several processes on one database need to share (#14): the
// outbox's claim token, so that only the worker holding a lease renews or releases it; a row
// per periodic job with the last due time it ran for, so that each due run is claimed by one
// process; and windowed counters for the rate limits per target (an e-mail address, an
// account), so that they hold whichever process answers. Times are Unix seconds: one
// integer compares alike on SQLite and PostgreSQL.
func migrateLeases(tx *gorm.DB) error {
	type OutboxMessage struct {
		ID       uint
		LockedBy string `gorm:"size:32;not null;default:''"`
	}
	type JobRun struct {
		Name    string `gorm:"size:60;primaryKey"`
		LastDue int64  `gorm:"not null;default:0"`
	}
	type RateCounter struct {
		Name        string `gorm:"size:300;primaryKey"`
		WindowStart int64  `gorm:"not null;index"`
		Hits        int    `gorm:"not null;default:0"`
	}
	if err := tx.Migrator().AddColumn(&OutboxMessage{}, "LockedBy"); err != nil {
		return err
	}
	if err := tx.Migrator().CreateTable(&JobRun{}); err != nil {
		return err
	}
	return tx.Migrator().CreateTable(&RateCounter{})
}

// migrateWaitingCounter gives every session a count of its waiting list, so that a new place
// in line is known at once instead of counted from the index: at 50,000 registrations, with
// lists of thousands, counting was a fifth of the rush's processor time, and on PostgreSQL it
// ran while the venue's row was locked. Triggers keep the count, rather than the code, because
// a booking's status changes in a dozen places (registration, promotion, cancellation, the
// organisers' moves, erasure, deletions by cascade) and a count that one of them forgot would
// give wrong places in line without anyone noticing.
func migrateWaitingCounter(tx *gorm.DB) error {
	type Session struct {
		ID      uint
		Waiting int `gorm:"not null;default:0"`
	}
	if err := tx.Migrator().AddColumn(&Session{}, "Waiting"); err != nil {
		return err
	}
	err := tx.Exec(`UPDATE sessions SET waiting =
		(SELECT COUNT(*) FROM bookings b WHERE b.session_id = sessions.id AND b.status = 'waitlisted')`).Error
	if err != nil {
		return err
	}
	statements := waitingTriggersSQLite
	if tx.Dialector.Name() == "postgres" {
		statements = waitingTriggersPostgres
	}
	for _, stmt := range statements {
		if err := tx.Exec(stmt).Error; err != nil {
			return err
		}
	}
	return nil
}

// waitingTriggersSQLite keep sessions.waiting equal to the session's waitlisted bookings.
// They also fire for bookings deleted by a foreign key's cascade.
var waitingTriggersSQLite = []string{
	`CREATE TRIGGER bookings_waiting_insert AFTER INSERT ON bookings
	WHEN NEW.status = 'waitlisted' BEGIN
		UPDATE sessions SET waiting = waiting + 1 WHERE id = NEW.session_id;
	END`,
	`CREATE TRIGGER bookings_waiting_delete AFTER DELETE ON bookings
	WHEN OLD.status = 'waitlisted' BEGIN
		UPDATE sessions SET waiting = waiting - 1 WHERE id = OLD.session_id;
	END`,
	`CREATE TRIGGER bookings_waiting_update AFTER UPDATE OF status, session_id ON bookings
	WHEN OLD.status IS NOT NEW.status OR OLD.session_id IS NOT NEW.session_id BEGIN
		UPDATE sessions SET waiting = waiting - 1 WHERE id = OLD.session_id AND OLD.status = 'waitlisted';
		UPDATE sessions SET waiting = waiting + 1 WHERE id = NEW.session_id AND NEW.status = 'waitlisted';
	END`,
}

// waitingTriggersPostgres are waitingTriggersSQLite in PostgreSQL's dialect: one function,
// three triggers, each only for the rows that change a count.
var waitingTriggersPostgres = []string{
	`CREATE FUNCTION bookings_count_waiting() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF TG_OP <> 'INSERT' AND OLD.status = 'waitlisted' THEN
			UPDATE sessions SET waiting = waiting - 1 WHERE id = OLD.session_id;
		END IF;
		IF TG_OP <> 'DELETE' AND NEW.status = 'waitlisted' THEN
			UPDATE sessions SET waiting = waiting + 1 WHERE id = NEW.session_id;
		END IF;
		RETURN NULL;
	END $$`,
	`CREATE TRIGGER bookings_waiting_insert AFTER INSERT ON bookings
	FOR EACH ROW WHEN (NEW.status = 'waitlisted') EXECUTE FUNCTION bookings_count_waiting()`,
	`CREATE TRIGGER bookings_waiting_delete AFTER DELETE ON bookings
	FOR EACH ROW WHEN (OLD.status = 'waitlisted') EXECUTE FUNCTION bookings_count_waiting()`,
	`CREATE TRIGGER bookings_waiting_update AFTER UPDATE OF status, session_id ON bookings
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.session_id IS DISTINCT FROM NEW.session_id)
	EXECUTE FUNCTION bookings_count_waiting()`,
}

// migrateContact gives the event the organisers' contact address, shown in the site's footer,
// the privacy statement and every e-mail.
func migrateContact(tx *gorm.DB) error {
	type Event struct {
		ID           uint
		ContactEmail string `gorm:"size:254;not null;default:''"`
	}
	return tx.Migrator().AddColumn(&Event{}, "ContactEmail")
}

// migrateEnglishContent adds the optional English versions of the event's texts, the venues'
// names and route texts and the sessions' titles and abstracts, and the language speakers are
// written to. Speakers who came through the call for proposals get the language of their
// latest proposal, or of the latest proposal they were invited to as a co-speaker; the others
// keep Dutch.
func migrateEnglishContent(tx *gorm.DB) error {
	type Event struct {
		ThemeEn       string `gorm:"size:200;not null;default:''"`
		DescriptionEn string `gorm:"size:4000;not null;default:''"`
	}
	type Venue struct {
		NameEn          string `gorm:"size:200;not null;default:''"`
		RouteHintEn     string `gorm:"size:500;not null;default:''"`
		AccessibilityEn string `gorm:"size:1000;not null;default:''"`
	}
	type Session struct {
		TitleEn    string `gorm:"size:200;not null;default:''"`
		AbstractEn string `gorm:"size:4000;not null;default:''"`
	}
	type Speaker struct {
		Lang string `gorm:"size:5;not null;default:''"`
	}
	type CoSpeaker struct {
		Lang string `gorm:"size:5;not null;default:''"`
	}
	columns := []struct {
		model  any
		fields []string
	}{
		{&Event{}, []string{"ThemeEn", "DescriptionEn"}},
		{&Venue{}, []string{"NameEn", "RouteHintEn", "AccessibilityEn"}},
		{&Session{}, []string{"TitleEn", "AbstractEn"}},
		{&Speaker{}, []string{"Lang"}},
		{&CoSpeaker{}, []string{"Lang"}},
	}
	for _, c := range columns {
		for _, f := range c.fields {
			if err := tx.Migrator().AddColumn(c.model, f); err != nil {
				return err
			}
		}
	}
	return tx.Exec(`UPDATE speakers SET lang = COALESCE(
		(SELECT p.lang FROM proposals p WHERE p.event_id = speakers.event_id
			AND LOWER(p.speaker_email) = LOWER(speakers.email) ORDER BY p.id DESC LIMIT 1),
		(SELECT p.lang FROM co_speakers c JOIN proposals p ON p.id = c.proposal_id WHERE p.event_id = speakers.event_id
			AND LOWER(c.email) = LOWER(speakers.email) ORDER BY p.id DESC LIMIT 1),
		'') WHERE email <> ''`).Error
}

// migrateVoteContacts adds the addresses of voters who chose to hear about the vote, kept
// apart from the voters (see VoteContact).
func migrateVoteContacts(tx *gorm.DB) error {
	type VoteContact struct {
		ID       uint   `gorm:"primaryKey;autoIncrement:false"`
		EventID  uint   `gorm:"not null;uniqueIndex:idx_vote_contacts_event_email"`
		EmailKey string `gorm:"size:254;not null;uniqueIndex:idx_vote_contacts_event_email"`
		Email    string `gorm:"size:254;not null"`
		Lang     string `gorm:"size:5;not null"`
	}
	return tx.AutoMigrate(&VoteContact{})
}

// migrateTeam lets admins switch accounts off and invite people by e-mail (issue #16): an
// invitation keeps only the SHA-256 of its link's token.
func migrateTeam(tx *gorm.DB) error {
	type User struct {
		DeactivatedAt *time.Time
	}
	if err := tx.Migrator().AddColumn(&User{}, "DeactivatedAt"); err != nil {
		return err
	}
	type Venue struct {
		ID uint
	}
	type Invitation struct {
		ID          uint
		Email       string    `gorm:"size:254;not null;index"`
		Role        string    `gorm:"size:20;not null"`
		VenueID     *uint     `gorm:"index"`
		Venue       *Venue    `gorm:"constraint:OnDelete:CASCADE"`
		Lang        string    `gorm:"size:5;not null;default:'nl'"`
		TokenHash   *string   `gorm:"size:64;uniqueIndex"`
		ExpiresAt   time.Time `gorm:"not null"`
		InvitedByID *uint
		AcceptedAt  *time.Time
		UserID      *uint
		WithdrawnAt *time.Time
		CreatedAt   time.Time
		UpdatedAt   time.Time
	}
	return tx.Migrator().CreateTable(&Invitation{})
}

// migrateSecondFactor adds the TOTP second factor (issue #16): the accounts' sealed secrets and
// the last time step each accepted, their hashed recovery codes, the key the secrets are sealed
// with, and per role whether a second factor is required (admins and organisers: yes).
func migrateSecondFactor(tx *gorm.DB) error {
	type User struct{ ID uint }
	type SecondFactor struct {
		UserID    uint   `gorm:"primaryKey;autoIncrement:false"`
		User      User   `gorm:"constraint:OnDelete:CASCADE"`
		Secret    []byte `gorm:"not null"`
		LastStep  int64  `gorm:"not null;default:0"`
		CreatedAt time.Time
	}
	type RecoveryCode struct {
		ID     uint
		UserID uint   `gorm:"not null;index"`
		User   User   `gorm:"constraint:OnDelete:CASCADE"`
		Hash   string `gorm:"size:64;not null;uniqueIndex"`
		UsedAt *time.Time
	}
	type SecondFactorRule struct {
		Role      string `gorm:"size:20;primaryKey"`
		Required  bool   `gorm:"not null"`
		UpdatedAt time.Time
	}
	type SecondFactorKey struct {
		ID  uint   `gorm:"primaryKey;autoIncrement:false"`
		Key []byte `gorm:"not null"`
	}
	if err := tx.Migrator().CreateTable(&SecondFactor{}, &RecoveryCode{}, &SecondFactorRule{}, &SecondFactorKey{}); err != nil {
		return err
	}
	now := time.Now().UTC()
	return tx.Create([]SecondFactorRule{{"admin", true, now}, {"organiser", true, now}, {"reviewer", false, now}, {"door", false, now}}).Error
}

// migratePrivacySettings gives the event its privacy, retention and adoption settings (issue
// #17): the controller, the data protection officer, retention periods, the domains
// registration may be limited to and the accessibility statement's details.
func migratePrivacySettings(tx *gorm.DB) error {
	type Event struct {
		ID                    uint
		Organisation          string `gorm:"size:200;not null;default:''"`
		PrivacyOfficerEmail   string `gorm:"size:254;not null;default:''"`
		NeedsRetentionDays    int    `gorm:"not null;default:7"`
		PersonalRetentionDays int    `gorm:"not null;default:90"`
		ProposalRetentionDays int    `gorm:"not null;default:30"`
		RegistrationDomains   string `gorm:"size:2000;not null;default:''"`
		AccessibilityStatus   string `gorm:"size:1;not null;default:''"`
		AccessibilityDate     string `gorm:"size:10;not null;default:''"`
		AccessibilityContact  string `gorm:"size:254;not null;default:''"`
	}
	for _, col := range []string{"Organisation", "PrivacyOfficerEmail", "NeedsRetentionDays", "PersonalRetentionDays",
		"ProposalRetentionDays", "RegistrationDomains", "AccessibilityStatus", "AccessibilityDate", "AccessibilityContact"} {
		if err := tx.Migrator().AddColumn(&Event{}, col); err != nil {
			return err
		}
	}
	return nil
}

// migrateErasure records when a registration was erased at the person's request (issue #17).
func migrateErasure(tx *gorm.DB) error {
	type Registration struct {
		ErasedAt *time.Time
	}
	return tx.Migrator().AddColumn(&Registration{}, "ErasedAt")
}

// migratePreferences adds signing up by preference (issue #19): the event's mode and window,
// each attendee's ranking per slot, and each venue's allocation.
func migratePreferences(tx *gorm.DB) error {
	type Event struct {
		ID                 uint
		SignupMode         string `gorm:"size:12;not null;default:'fcfs'"`
		PreferencesOpenAt  *time.Time
		PreferencesCloseAt *time.Time
		AllocationAt       *time.Time
		AllocationSeed     string `gorm:"size:200;not null;default:''"`
		PreferenceRanks    int    `gorm:"not null;default:3"`
	}
	for _, col := range []string{"SignupMode", "PreferencesOpenAt", "PreferencesCloseAt", "AllocationAt",
		"AllocationSeed", "PreferenceRanks"} {
		if err := tx.Migrator().AddColumn(&Event{}, col); err != nil {
			return err
		}
	}
	type Registration struct{ ID uint }
	type Slot struct{ ID uint }
	type Session struct{ ID uint }
	type Venue struct{ ID uint }
	type Preference struct {
		ID             uint
		RegistrationID uint         `gorm:"not null;uniqueIndex:idx_preferences_slot_rank;uniqueIndex:idx_preferences_session"`
		Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
		SlotID         uint         `gorm:"not null;uniqueIndex:idx_preferences_slot_rank"`
		Slot           Slot         `gorm:"constraint:OnDelete:CASCADE"`
		Rank           int          `gorm:"not null;uniqueIndex:idx_preferences_slot_rank"`
		SessionID      uint         `gorm:"not null;uniqueIndex:idx_preferences_session;index"`
		Session        Session      `gorm:"constraint:OnDelete:CASCADE"`
	}
	type Allocation struct {
		ID      uint
		EventID uint   `gorm:"not null;index"`
		VenueID uint   `gorm:"not null;uniqueIndex"`
		Venue   Venue  `gorm:"constraint:OnDelete:CASCADE"`
		Seed    string `gorm:"size:200;not null"`
		RanAt   time.Time
		People  int    `gorm:"not null"`
		First   int    `gorm:"not null"`
		Second  int    `gorm:"not null"`
		Third   int    `gorm:"not null"`
		None    int    `gorm:"not null"`
		Cost    int64  `gorm:"not null"`
		Report  string `gorm:"type:text;not null"`
	}
	return tx.Migrator().CreateTable(&Preference{}, &Allocation{})
}
