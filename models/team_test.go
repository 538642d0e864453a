package models_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// asAdmin is the context the team's changes are made in: an admin acts.
var asAdmin = models.WithActor(ctx, models.Actor{Kind: models.ActorUser, ID: 999, Name: "beheer@example.nl"})

// auditActions counts the audit entries with action about one subject.
func auditActions(t *testing.T, s *models.Store, kind string, id uint, action string) int {
	t.Helper()
	trail, err := s.AuditTrail(ctx, kind, id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range trail {
		if e.Action == action {
			n++
		}
	}
	return n
}

func storedHash(t *testing.T, s *models.Store, id uint) string {
	t.Helper()
	var inv models.Invitation
	if err := s.DB().First(&inv, id).Error; err != nil {
		t.Fatal(err)
	}
	if inv.TokenHash == nil {
		return ""
	}
	return *inv.TokenHash
}

// TestInvitationLifecycle follows invitations through their life: the token stored only as
// its SHA-256, sent again (the old link dies), expired, accepted once, withdrawn; every
// change with exactly one audit entry that never holds a token.
func TestInvitationLifecycle(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		now := time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		must(s.CreateUser(ctx, models.UserInput{Email: "bestaat@example.nl", Password: "een lang wachtwoord", Role: models.RoleAdmin}))

		inv := must(s.Invite(asAdmin, models.InvitationInput{Email: " Nieuw@Example.nl ", Role: models.RoleDoor, VenueSlug: "zwolle", Lang: "en"}))
		if inv.Email != "nieuw@example.nl" || inv.VenueID == nil || *inv.VenueID != f.venue.ID || !inv.ExpiresAt.Equal(now.Add(7*24*time.Hour)) {
			t.Errorf("invitation = %+v, want nieuw@example.nl for zwolle, expiring in 7 days", inv)
		}
		if inv.InvitedByID == nil || *inv.InvitedByID != 999 {
			t.Errorf("InvitedByID = %v, want the acting admin 999", inv.InvitedByID)
		}
		var queued []models.OutboxMessage
		if err := s.DB().Where("kind = ?", models.MailInvitation).Find(&queued).Error; err != nil || len(queued) != 1 ||
			queued[0].Recipient != "nieuw@example.nl" || queued[0].Lang != "en" {
			t.Fatalf("outbox = %+v (%v), want one English invitation to nieuw@example.nl", queued, err)
		}
		if got := auditActions(t, s, models.SubjectInvitation, inv.ID, "invitation.create"); got != 1 {
			t.Errorf("invitation.create entries = %d, want 1", got)
		}

		// Refused: an address with an account, one with an open invitation, bad input, no actor.
		for _, tc := range []struct {
			in   models.InvitationInput
			want error
		}{
			{models.InvitationInput{Email: "BESTAAT@example.nl", Role: models.RoleOrganiser}, models.ErrHasAccount},
			{models.InvitationInput{Email: "nieuw@example.nl", Role: models.RoleOrganiser}, models.ErrAlreadyInvited},
		} {
			if _, err := s.Invite(asAdmin, tc.in); !errors.Is(err, tc.want) || !errors.Is(err, models.ErrConflict) {
				t.Errorf("Invite(%s) = %v, want %v (a conflict)", tc.in.Email, err, tc.want)
			}
		}
		_, err := s.Invite(asAdmin, models.InvitationInput{Email: "deur@example.nl", Role: models.RoleDoor})
		wantProblem(t, err, "venue", "form.door_needs_venue")
		_, err = s.Invite(asAdmin, models.InvitationInput{Email: "x@example.nl", Role: "koning"})
		wantProblem(t, err, "role", "form.invalid_choice")
		if _, err := s.Invite(noActor, models.InvitationInput{Email: "anoniem@example.nl", Role: models.RoleReviewer}); err == nil {
			t.Error("Invite without an actor succeeded, want it refused")
		}
		if n := count(t, s, &models.Invitation{}); n != 1 {
			t.Errorf("invitations = %d after the refusals, want 1", n)
		}

		// The token: 256 bits, only its SHA-256 stored.
		token := must(s.NewInvitationToken(ctx, inv.ID))
		sum := sha256.Sum256([]byte(token))
		if stored := storedHash(t, s, inv.ID); stored == token || stored != hex.EncodeToString(sum[:]) || len(token) != 43 {
			t.Errorf("stored %q for token %q, want its SHA-256 and not the token", stored, token)
		}
		if got := must(s.InvitationByToken(ctx, token)); got.ID != inv.ID || got.Venue == nil || got.Venue.Slug != "zwolle" {
			t.Errorf("InvitationByToken = %+v, want invitation %d with its venue", got, inv.ID)
		}

		// Sent again: the old link dies at once, the new one works for 7 days from now.
		now = now.Add(6 * 24 * time.Hour)
		resent := must(s.ResendInvitation(asAdmin, inv.ID))
		if !resent.ExpiresAt.Equal(now.Add(7 * 24 * time.Hour)) {
			t.Errorf("expires after resend = %v, want %v", resent.ExpiresAt, now.Add(7*24*time.Hour))
		}
		if _, err := s.InvitationByToken(ctx, token); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("old token after resend: %v, want ErrNotFound", err)
		}
		if _, err := s.AcceptInvitation(ctx, token, "een goed wachtwoord"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("accept with the old token: %v, want ErrNotFound", err)
		}
		token = must(s.NewInvitationToken(ctx, inv.ID))

		// Expired: 7 days later the link no longer works, and no new link is made.
		now = now.Add(7 * 24 * time.Hour)
		if _, err := s.InvitationByToken(ctx, token); !errors.Is(err, models.ErrInvitationGone) {
			t.Errorf("expired token: %v, want ErrInvitationGone", err)
		}
		if _, err := s.AcceptInvitation(ctx, token, "een goed wachtwoord"); !errors.Is(err, models.ErrInvitationGone) {
			t.Errorf("accept an expired invitation: %v, want ErrInvitationGone", err)
		}
		if _, err := s.NewInvitationToken(ctx, inv.ID); !errors.Is(err, models.ErrInvitationGone) {
			t.Errorf("a new token for an expired invitation: %v, want ErrInvitationGone", err)
		}
		must(s.ResendInvitation(asAdmin, inv.ID)) // an expired invitation can be sent again
		token = must(s.NewInvitationToken(ctx, inv.ID))

		// Accepted once: a short password first (nothing made), then the account.
		_, err = s.AcceptInvitation(ctx, token, "kort")
		wantProblem(t, err, "password", "form.password_too_short")
		if n := count(t, s, &models.User{}); n != 1 {
			t.Errorf("accounts after a refused password = %d, want 1", n)
		}
		u := must(s.AcceptInvitation(ctx, token, "een goed wachtwoord"))
		if u.Email != "nieuw@example.nl" || u.Role != models.RoleDoor || u.VenueID == nil || *u.VenueID != f.venue.ID {
			t.Errorf("account = %+v, want door staff for zwolle", u)
		}
		if _, err := s.Authenticate(ctx, "nieuw@example.nl", "een goed wachtwoord"); err != nil {
			t.Errorf("sign in with the chosen password: %v", err)
		}
		for _, try := range []func() error{
			func() error { _, err := s.AcceptInvitation(ctx, token, "nog een goed wachtwoord"); return err },
			func() error { _, err := s.InvitationByToken(ctx, token); return err },
			func() error { _, err := s.ResendInvitation(asAdmin, inv.ID); return err },
			func() error { _, err := s.WithdrawInvitation(asAdmin, inv.ID); return err },
		} {
			if err := try(); !errors.Is(err, models.ErrInvitationGone) {
				t.Errorf("after acceptance: %v, want ErrInvitationGone", err)
			}
		}
		trail := must(s.AuditTrail(ctx, models.SubjectInvitation, inv.ID))
		if got := auditActionsOf(trail); got != "invitation.accept,invitation.resend,invitation.resend,invitation.create" {
			t.Errorf("trail = %s, want accept, resend, resend, create", got)
		}
		if a := trail[0]; a.ActorKind != models.ActorUser || a.ActorID == nil || *a.ActorID != u.ID || a.ActorName != u.Email {
			t.Errorf("acceptance's actor = %s %v %s, want the new account", a.ActorKind, a.ActorID, a.ActorName)
		}

		// Withdrawn: its link dies, and withdrawing again is refused without an entry.
		other := must(s.Invite(asAdmin, models.InvitationInput{Email: "ander@example.nl", Role: models.RoleReviewer}))
		otherToken := must(s.NewInvitationToken(ctx, other.ID))
		must(s.WithdrawInvitation(asAdmin, other.ID))
		if _, err := s.InvitationByToken(ctx, otherToken); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("withdrawn invitation's link: %v, want ErrNotFound", err)
		}
		if _, err := s.WithdrawInvitation(asAdmin, other.ID); !errors.Is(err, models.ErrInvitationGone) {
			t.Errorf("withdraw twice: %v, want ErrInvitationGone", err)
		}
		if got := auditActions(t, s, models.SubjectInvitation, other.ID, "invitation.withdraw"); got != 1 {
			t.Errorf("invitation.withdraw entries = %d, want 1", got)
		}
		if open := must(s.OpenInvitations(ctx)); len(open) != 0 {
			t.Errorf("open invitations = %d, want 0", len(open))
		}

		var all []models.AuditEntry
		if err := s.DB().Find(&all).Error; err != nil {
			t.Fatal(err)
		}
		for _, e := range all {
			for _, secret := range []string{token, otherToken, "een goed wachtwoord"} {
				if strings.Contains(e.Details, secret) {
					t.Errorf("audit entry %s holds a secret: %s", e.Action, e.Details)
				}
			}
		}
	})
}

func auditActionsOf(trail []models.AuditEntry) string {
	var out []string
	for _, e := range trail {
		out = append(out, e.Action)
	}
	return strings.Join(out, ",")
}

// TestLastAdmin checks that the last active admin can be neither demoted nor deactivated,
// that a refused change writes nothing (no audit entry either), and that role, scope and
// activation changes each write one entry with what changed.
func TestLastAdmin(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		newFixture(t, s)
		pw := "een lang wachtwoord"
		a := must(s.CreateUser(ctx, models.UserInput{Email: "a@example.nl", Password: pw, Role: models.RoleAdmin}))
		b := must(s.CreateUser(ctx, models.UserInput{Email: "b@example.nl", Password: pw, Role: models.RoleAdmin}))
		o := must(s.CreateUser(ctx, models.UserInput{Email: "o@example.nl", Password: pw, Role: models.RoleOrganiser}))

		changed := must(s.ChangeAccount(asAdmin, a.ID, models.AccountInput{Role: models.RoleOrganiser, VenueSlug: "zwolle"}))
		if changed.Role != models.RoleOrganiser || changed.VenueID == nil {
			t.Errorf("demoted = %+v, want an organiser for zwolle", changed)
		}
		trail := must(s.AuditTrail(ctx, models.SubjectUser, a.ID))
		if len(trail) != 1 || trail[0].Action != "user.change" {
			t.Fatalf("trail of a = %s, want one user.change", auditActionsOf(trail))
		}
		d := trail[0].DetailMap()
		if r, _ := d["role"].(map[string]any); r["from"] != "admin" || r["to"] != "organiser" {
			t.Errorf("details = %s, want role from admin to organiser", trail[0].Details)
		}
		if v, _ := d["venue"].(map[string]any); v["from"] != "" || v["to"] != "zwolle" {
			t.Errorf("details = %s, want venue from all to zwolle", trail[0].Details)
		}

		// b is now the last active admin.
		if _, err := s.ChangeAccount(asAdmin, b.ID, models.AccountInput{Role: models.RoleReviewer}); !errors.Is(err, models.ErrLastAdmin) {
			t.Errorf("demote the last admin: %v, want ErrLastAdmin", err)
		}
		if _, err := s.DeactivateUser(asAdmin, b.ID); !errors.Is(err, models.ErrLastAdmin) {
			t.Errorf("deactivate the last admin: %v, want ErrLastAdmin", err)
		}
		must(s.ChangeAccount(asAdmin, b.ID, models.AccountInput{Role: models.RoleAdmin})) // no change
		if n := len(must(s.AuditTrail(ctx, models.SubjectUser, b.ID))); n != 0 {
			t.Errorf("b's trail after refused and empty changes = %d entries, want 0", n)
		}
		if got := must(s.User(ctx, b.ID)); got.Role != models.RoleAdmin || !got.Active() {
			t.Errorf("b = %+v, want still an active admin", got)
		}

		// A deactivated admin does not count: with o promoted, b may go, then o may not.
		must(s.ChangeAccount(asAdmin, o.ID, models.AccountInput{Role: models.RoleAdmin}))
		off := must(s.DeactivateUser(asAdmin, b.ID))
		if off.Active() {
			t.Error("b still active after DeactivateUser")
		}
		if users := must(s.Users(ctx)); len(users) != 3 || users[0].Email != "a@example.nl" || users[0].Venue == nil || users[2].Email != "b@example.nl" {
			t.Errorf("Users() = %+v, want a (with its venue) first and the switched-off b last", users)
		}
		if _, err := s.Authenticate(ctx, "b@example.nl", pw); !errors.Is(err, models.ErrInvalidCredentials) {
			t.Errorf("sign in as a deactivated account: %v, want ErrInvalidCredentials", err)
		}
		must(s.DeactivateUser(asAdmin, b.ID)) // twice: no change, no entry
		if _, err := s.DeactivateUser(asAdmin, o.ID); !errors.Is(err, models.ErrLastAdmin) {
			t.Errorf("deactivate the last active admin: %v, want ErrLastAdmin", err)
		}
		must(s.ReactivateUser(asAdmin, b.ID))
		if _, err := s.Authenticate(ctx, "b@example.nl", pw); err != nil {
			t.Errorf("sign in after reactivation: %v", err)
		}
		if got := auditActionsOf(must(s.AuditTrail(ctx, models.SubjectUser, b.ID))); got != "user.reactivate,signin.failed,user.deactivate" {
			t.Errorf("b's trail = %s, want reactivate, the refused sign-in while deactivated, deactivate", got)
		}
		if _, err := s.ChangeAccount(asAdmin, 12345, models.AccountInput{Role: models.RoleAdmin}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("change an unknown account: %v, want ErrNotFound", err)
		}
		_, err := s.ChangeAccount(asAdmin, o.ID, models.AccountInput{Role: models.RoleDoor})
		wantProblem(t, err, "venue", "form.door_needs_venue")
	})
}

// TestLastAdminConcurrent has two admins demote each other at the same moment, from two
// stores on one database as two processes would: exactly one succeeds, every round. On
// PostgreSQL the admins' rows are locked; on SQLite the writers take turns.
func TestLastAdminConcurrent(t *testing.T) {
	t.Parallel()
	modelstest.EachShared(t, func(t *testing.T, s1, s2 *models.Store) {
		pw := "een lang wachtwoord"
		a := must(s1.CreateUser(ctx, models.UserInput{Email: "a@example.nl", Password: pw, Role: models.RoleAdmin}))
		b := must(s1.CreateUser(ctx, models.UserInput{Email: "b@example.nl", Password: pw, Role: models.RoleAdmin}))
		for round := range 10 {
			start := make(chan struct{})
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, step := range []func() error{
				func() error {
					_, err := s1.ChangeAccount(asAdmin, b.ID, models.AccountInput{Role: models.RoleOrganiser})
					return err
				},
				func() error { _, err := s2.DeactivateUser(asAdmin, a.ID); return err },
			} {
				wg.Go(func() {
					<-start
					errs[i] = step()
				})
			}
			close(start)
			wg.Wait()
			ok := 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case !errors.Is(err, models.ErrLastAdmin):
					t.Fatalf("round %d: %v, want nil or ErrLastAdmin", round, err)
				}
			}
			var admins int64
			if err := s1.DB().Model(&models.User{}).Where("role = ? AND deactivated_at IS NULL", models.RoleAdmin).Count(&admins).Error; err != nil {
				t.Fatal(err)
			}
			if ok != 1 || admins != 1 {
				t.Fatalf("round %d: %d changes succeeded (%v), %d active admins left; want 1 and 1", round, ok, errs, admins)
			}
			// Both admins again for the next round.
			must(s1.ReactivateUser(asAdmin, a.ID))
			must(s1.ChangeAccount(asAdmin, b.ID, models.AccountInput{Role: models.RoleAdmin}))
		}
	})
}
