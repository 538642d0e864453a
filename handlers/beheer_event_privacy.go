package handlers

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/ambtenaar20/dagplanner/models"
)

// privacyFields are the event form's privacy, retention and accessibility-statement fields
// (issue #17), in the order the page shows them.
var privacyFields = []string{"organisation:beheer.event.organisation", "privacy_officer_email:beheer.event.privacy_officer_email",
	"registration_domains:beheer.event.registration_domains",
	"needs_retention_days:beheer.event.needs_retention_days", "personal_retention_days:beheer.event.personal_retention_days",
	"proposal_retention_days:beheer.event.proposal_retention_days",
	"accessibility_status:beheer.event.accessibility_status", "accessibility_date:beheer.event.accessibility_date",
	"accessibility_contact:beheer.event.accessibility_contact"}

// setPrivacyValues fills the event form's privacy fields from e; a new event (zero) shows the
// default retention periods.
func setPrivacyValues(v url.Values, e models.Event) {
	v.Set("organisation", e.Organisation)
	v.Set("privacy_officer_email", e.PrivacyOfficerEmail)
	v.Set("needs_retention_days", strconv.Itoa(e.NeedsRetention()))
	v.Set("personal_retention_days", strconv.Itoa(e.PersonalRetention()))
	v.Set("proposal_retention_days", strconv.Itoa(e.ProposalRetention()))
	v.Set("registration_domains", e.RegistrationDomains)
	v.Set("accessibility_status", e.AccessibilityStatus)
	v.Set("accessibility_date", e.AccessibilityDate)
	v.Set("accessibility_contact", e.AccessibilityContact)
}

// privacyFromForm reads the event form's privacy fields into in.
func privacyFromForm(form *Form, in *models.EventInput) {
	in.Organisation = form.String("organisation")
	in.PrivacyOfficerEmail = form.String("privacy_officer_email")
	in.NeedsRetentionDays = retentionDays(form, "needs_retention_days")
	in.PersonalRetentionDays = retentionDays(form, "personal_retention_days")
	in.ProposalRetentionDays = retentionDays(form, "proposal_retention_days")
	in.RegistrationDomains = form.String("registration_domains")
	in.AccessibilityStatus = strings.TrimSpace(form.String("accessibility_status"))
	in.AccessibilityDate = strings.TrimSpace(form.String("accessibility_date"))
	in.AccessibilityContact = form.String("accessibility_contact")
}

// retentionDays reads a retention period: empty is 0 (the default), a typed 0 is out of range.
func retentionDays(form *Form, name string) int {
	n := form.Int(name, false)
	if n == 0 && strings.TrimSpace(form.String(name)) == "0" {
		return -1
	}
	return n
}

// AccessibilityStatusOptions are the accessibility statement's statuses for the event form's
// drop-down, with "not filled in yet" first.
func (p Page) AccessibilityStatusOptions() []Option {
	opts := []Option{{Value: "", Label: p.T("a11ystatement.status_none")}}
	for _, s := range models.AccessibilityStatuses {
		opts = append(opts, Option{Value: s, Label: p.T("a11ystatement.status." + s)})
	}
	return opts
}
