package models

import (
	"slices"
	"strings"
	"time"
)

// Retention defaults (issue #17): what a privacy officer would expect of a one-day event.
const (
	// DefaultNeedsRetentionDays: dietary and accessibility needs go a week after the day.
	DefaultNeedsRetentionDays = 7
	// DefaultPersonalRetentionDays: registrations, check-ins and e-mail logs are anonymised
	// three months after the day, once questions and the evaluation are done.
	DefaultPersonalRetentionDays = 90
	// DefaultProposalRetentionDays: proposals that were not accepted go a month after the day.
	DefaultProposalRetentionDays = 30

	maxNeedsRetentionDays    = 365
	maxRetentionDays         = 3650
	maxRegistrationDomains   = MaxVotingDomains
	maxRegistrationDomainTxt = maxVotingDomainsText
)

// Accessibility statement statuses, as the Dutch model statement (toegankelijkheidsverklaring.nl)
// names them: A meets the standard fully, B partly, C first measures taken, D none taken, E
// the statement is not yet there.
var AccessibilityStatuses = []string{"A", "B", "C", "D", "E"}

// The event's privacy, retention and adoption settings live on Event (see event.go); this file
// reads, checks and applies them. They are:
//
//	Organisation            the controller ("verwerkingsverantwoordelijke"), named in the
//	                        privacy and accessibility statements
//	PrivacyOfficerEmail     the data protection officer (FG), optional
//	NeedsRetentionDays      days after the event that dietary and accessibility needs are deleted
//	PersonalRetentionDays   days after the event that registrations, check-ins and e-mail logs
//	                        are anonymised
//	ProposalRetentionDays   days after the event that proposals not accepted are deleted
//	RegistrationDomains     e-mail domains registration is limited to (newline-separated;
//	                        empty means anyone)
//	AccessibilityStatus     A–E, see AccessibilityStatuses
//	AccessibilityDate       the statement's date, "YYYY-MM-DD"
//	AccessibilityContact    where to report an accessibility problem (e-mail)

// NeedsRetention is how many days after the event dietary and accessibility needs are kept.
func (e Event) NeedsRetention() int {
	return orDefault(e.NeedsRetentionDays, DefaultNeedsRetentionDays)
}

// PersonalRetention is how many days after the event registrations, check-ins and e-mail logs
// keep the people's details.
func (e Event) PersonalRetention() int {
	return orDefault(e.PersonalRetentionDays, DefaultPersonalRetentionDays)
}

// ProposalRetention is how many days after the event proposals that were not accepted are kept.
func (e Event) ProposalRetention() int {
	return orDefault(e.ProposalRetentionDays, DefaultProposalRetentionDays)
}

// RetentionEnds is the instant a retention period of days after the event day ends: midnight
// at the end of the day, plus days, in the event's time zone.
func (e Event) RetentionEnds(days int) time.Time {
	return e.Day().AddDate(0, 0, 1+days)
}

func orDefault(v, def int) int {
	if v < 1 {
		return def
	}
	return v
}

// RegistrationDomainList lists the e-mail domains registration is limited to; none means anyone.
func (e Event) RegistrationDomainList() []string { return strings.Fields(e.RegistrationDomains) }

// AllowsRegistrant reports whether an address may register: its domain is one of the
// listed domains or a subdomain of one, or no domains are listed.
func (e Event) AllowsRegistrant(email string) bool {
	return domainAllowed(e.RegistrationDomainList(), email)
}

// domainAllowed reports whether email's domain is one of domains or below one; no domains
// allow every address.
func domainAllowed(domains []string, email string) bool {
	if len(domains) == 0 {
		return true
	}
	at := strings.LastIndex(email, "@")
	if at < 0 {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(email[at+1:])), ".")
	for _, d := range domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// validatePrivacy checks the privacy, retention and adoption settings.
func (in EventInput) validatePrivacy(p Problems) {
	p.checkLine("organisation", in.Organisation, false, 200)
	p.checkEmail("privacy_officer_email", in.PrivacyOfficerEmail, false)
	checkDays := func(field string, v, max int) {
		if v < 0 || v > max {
			p.Add(field, "form.between", "Min", 1, "Max", max)
		}
	}
	checkDays("needs_retention_days", in.NeedsRetentionDays, maxNeedsRetentionDays)
	checkDays("personal_retention_days", in.PersonalRetentionDays, maxRetentionDays)
	checkDays("proposal_retention_days", in.ProposalRetentionDays, maxRetentionDays)
	if in.NeedsRetentionDays > 0 && in.PersonalRetentionDays > 0 && in.NeedsRetentionDays > in.PersonalRetentionDays {
		p.Add("needs_retention_days", "privacy.needs_after_personal")
	}
	domains := splitDomains(in.RegistrationDomains)
	if len(domains) > maxRegistrationDomains {
		p.Add("registration_domains", "form.too_many", "Max", maxRegistrationDomains)
	}
	for _, d := range domains {
		if !validDomain(d) {
			p.Add("registration_domains", "vote.invalid_domain", "Domain", d)
		}
	}
	if len(strings.Join(domains, "\n")) > maxRegistrationDomainTxt {
		p.Add("registration_domains", "form.too_long", "Max", maxRegistrationDomainTxt)
	}
	if in.AccessibilityStatus != "" && !slices.Contains(AccessibilityStatuses, in.AccessibilityStatus) {
		p.Add("accessibility_status", "form.invalid_choice")
	}
	if in.AccessibilityDate != "" {
		if _, err := time.Parse(time.DateOnly, in.AccessibilityDate); err != nil {
			p.Add("accessibility_date", "form.invalid_date")
		}
	}
	p.checkEmail("accessibility_contact", in.AccessibilityContact, false)
}

// applyPrivacy copies the privacy, retention and adoption settings onto e.
func (in EventInput) applyPrivacy(e *Event) {
	e.Organisation = strings.TrimSpace(in.Organisation)
	e.PrivacyOfficerEmail = strings.TrimSpace(in.PrivacyOfficerEmail)
	e.NeedsRetentionDays = orDefault(in.NeedsRetentionDays, DefaultNeedsRetentionDays)
	e.PersonalRetentionDays = orDefault(in.PersonalRetentionDays, DefaultPersonalRetentionDays)
	e.ProposalRetentionDays = orDefault(in.ProposalRetentionDays, DefaultProposalRetentionDays)
	e.RegistrationDomains = strings.Join(splitDomains(in.RegistrationDomains), "\n")
	e.AccessibilityStatus = in.AccessibilityStatus
	e.AccessibilityDate = in.AccessibilityDate
	e.AccessibilityContact = strings.TrimSpace(in.AccessibilityContact)
}

// privacyColumns are the event's columns that applyPrivacy sets.
var privacyColumns = []string{"organisation", "privacy_officer_email", "needs_retention_days", "personal_retention_days",
	"proposal_retention_days", "registration_domains", "accessibility_status", "accessibility_date", "accessibility_contact"}
