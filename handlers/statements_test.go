package handlers

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// The privacy and accessibility statements and the event form's settings behind them
// (issue #17 points 3, 6 and 11).

// eventFormAsShown reads the event form as the page shows it: what a browser would send back
// when the organiser presses "Opslaan" without changing anything.
func eventFormAsShown(t *testing.T, ts *testServer) url.Values {
	t.Helper()
	resp, body := ts.get(t, "/beheer/evenement")
	wantStatus(t, resp, body, http.StatusOK)
	form := url.Values{}
	for _, field := range eventFields {
		name, _, _ := strings.Cut(field, ":")
		tag := bhFieldTag(body, "veld-"+name)
		if strings.Contains(tag, `type="checkbox"`) {
			if strings.Contains(tag, " checked") {
				form.Set(name, "ja")
			}
			continue
		}
		form.Set(name, bhFieldValue(t, body, name))
	}
	return form
}

// saveEventForm posts the event form with changes on top of what it shows, and wants it saved.
func saveEventForm(t *testing.T, ts *testServer, change url.Values) {
	t.Helper()
	form := eventFormAsShown(t, ts)
	for k, v := range change {
		form[k] = v
	}
	resp, body := ts.postForm(t, "/beheer/evenement", form)
	wantStatus(t, resp, body, http.StatusSeeOther)
}

// nlDate formats a day as the Dutch pages do.
func nlDate(t *testing.T, day time.Time) string {
	t.Helper()
	c, err := nlCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return c.Translator(locale.Dutch).Date(day)
}

// TestEventFormPrivacySettings: the event form shows the demo's privacy and accessibility
// settings, saving it unchanged keeps every one of them, each can be changed, and bad values
// are refused on their field in the person's language, keeping what was typed.
func TestEventFormPrivacySettings(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	shown := eventFormAsShown(t, ts)
	for field, want := range map[string]string{"organisation": demo.Organisation, "privacy_officer_email": "",
		"needs_retention_days": "7", "personal_retention_days": "90", "proposal_retention_days": "30",
		"registration_domains": "", "accessibility_status": "B", "accessibility_date": "2026-11-22",
		"accessibility_contact": demo.ContactEmail} {
		if got := shown.Get(field); got != want {
			t.Errorf("the event form shows %s = %q, want %q", field, got, want)
		}
	}

	// Saving the form as shown changes nothing of the settings.
	before := testEvent(t, ts)
	saveEventForm(t, ts, nil)
	after := testEvent(t, ts)
	if after.Organisation != before.Organisation || after.AccessibilityStatus != before.AccessibilityStatus ||
		after.AccessibilityDate != before.AccessibilityDate || after.AccessibilityContact != before.AccessibilityContact ||
		after.NeedsRetentionDays != before.NeedsRetentionDays || after.PersonalRetentionDays != before.PersonalRetentionDays ||
		after.ProposalRetentionDays != before.ProposalRetentionDays {
		t.Errorf("saving the form unchanged changed the settings:\nbefore %+v\nafter  %+v", before, after)
	}

	// Every field is saved, and shown again.
	change := url.Values{"organisation": {"Provincie Overijssel"}, "privacy_officer_email": {"fg@overijssel.example"},
		"needs_retention_days": {"3"}, "personal_retention_days": {"60"}, "proposal_retention_days": {"14"},
		"registration_domains": {"overijssel.nl\nzwolle.nl"}, "accessibility_status": {"C"},
		"accessibility_date": {"2027-01-15"}, "accessibility_contact": {"toegankelijk@overijssel.example"}}
	saveEventForm(t, ts, change)
	e := testEvent(t, ts)
	if e.Organisation != "Provincie Overijssel" || e.PrivacyOfficerEmail != "fg@overijssel.example" ||
		e.NeedsRetentionDays != 3 || e.PersonalRetentionDays != 60 || e.ProposalRetentionDays != 14 ||
		e.RegistrationDomains != "overijssel.nl\nzwolle.nl" || e.AccessibilityStatus != "C" ||
		e.AccessibilityDate != "2027-01-15" || e.AccessibilityContact != "toegankelijk@overijssel.example" {
		t.Errorf("after saving the form the event has %+v", e)
	}
	shown = eventFormAsShown(t, ts)
	for field, want := range change {
		if got := shown.Get(field); got != want[0] {
			t.Errorf("after saving, the form shows %s = %q, want %q", field, got, want[0])
		}
	}
	// Empty retention fields mean the defaults.
	saveEventForm(t, ts, url.Values{"needs_retention_days": {""}, "personal_retention_days": {""}, "proposal_retention_days": {""}})
	if e := testEvent(t, ts); e.NeedsRetention() != 7 || e.PersonalRetention() != 90 || e.ProposalRetention() != 30 {
		t.Errorf("empty retention fields saved %d/%d/%d days, want the defaults 7/90/30", e.NeedsRetention(), e.PersonalRetention(), e.ProposalRetention())
	}

	base := func() url.Values { return eventFormAsShown(t, ts) }
	const p = "/beheer/evenement"
	bad := func(name, field, typed, key string, args ...any) bhFormCase {
		return bhFormCase{name: name, path: p, change: url.Values{field: {typed}}, field: field, wantMsg: nlMsg(t, key, args...), kept: typed}
	}
	long := strings.Repeat("o", 201)
	bhRunFormCases(t, ts, base, []bhFormCase{
		bad("organisation too long", "organisation", long, "form.too_long", "Max", 200),
		bad("officer not an address", "privacy_officer_email", "fg@gemeente", "form.invalid_email"),
		bad("needs kept 0 days", "needs_retention_days", "0", "form.between", "Min", 1, "Max", 365),
		bad("needs kept a year and a day", "needs_retention_days", "366", "form.between", "Min", 1, "Max", 365),
		bad("needs kept in words", "needs_retention_days", "een week", "form.not_a_number"),
		bad("needs longer than the rest", "needs_retention_days", "120", "privacy.needs_after_personal"),
		bad("personal kept negative", "personal_retention_days", "-1", "form.between", "Min", 1, "Max", 3650),
		bad("proposals kept too long", "proposal_retention_days", "3651", "form.between", "Min", 1, "Max", 3650),
		{name: "not a domain", path: p, change: url.Values{"registration_domains": {"overijssel"}}, field: "registration_domains",
			wantMsg: nlText(t, "vote.invalid_domain", "Domain", "overijssel"), kept: "overijssel"},
		bad("date in Dutch order", "accessibility_date", "15-01-2027", "form.invalid_date"),
		bad("contact not an address", "accessibility_contact", "toegankelijk@", "form.invalid_email"),
		{name: "unknown status", path: p, change: url.Values{"accessibility_status": {"F"}}, field: "accessibility_status",
			wantMsg: nlMsg(t, "form.invalid_choice")},
		{name: "english: needs kept 0 days", path: p, change: url.Values{"needs_retention_days": {"0"}}, headers: []string{"Accept-Language", "en"},
			field: "needs_retention_days", wantMsg: "Enter a number from 1 to 365.", kept: "0"},
	})
}

// TestPrivacyStatementPeriods: the privacy statement names the controller and the data
// protection officer from the event form, and gives the retention periods as the settings
// make them, with the last day each kind of data is kept; changing the settings changes it.
func TestPrivacyStatementPeriods(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	day := testEvent(t, ts).Day() // Wednesday 3 February 2027
	keep := func(key string, days int) string {
		return nlMsg(t, key, "Count", days, "Date", nlDate(t, day.AddDate(0, 0, days)))
	}
	resp, body := ts.get(t, "/privacy")
	wantStatus(t, resp, body, http.StatusOK)
	main := mainOf(t, body)
	wantContains(t, "privacy statement", main,
		nlMsg(t, "privacy.who.organisation", "Organisation", demo.Organisation, "Event", testEvent(t, ts).Name),
		keep("privacy.keep.needs", 7), keep("privacy.keep.personal", 90), keep("privacy.keep.proposals", 30),
		"10 februari 2027", "4 mei 2027", // 7 and 90 days after 3 February, counted here by hand
		`href="/boeking/link"`, `href="https://autoriteitpersoonsgegevens.nl"`, nlMsg(t, "privacy.version", "Version", testEvent(t, ts).PrivacyVersion))
	if strings.Contains(main, nlMsg(t, "privacy.officer")) {
		t.Error("the statement names a data protection officer while none is set")
	}
	for _, id := range []string{"wie", "welke-gegevens", "waarvoor", "grondslag", "ontvangers", "bewaartermijnen", "rechten", "klacht"} {
		wantContains(t, "privacy statement's contents", main, `href="#`+id+`"`, `id="`+id+`"`)
	}

	ts.loginAs(t, models.RoleOrganiser, "")
	saveEventForm(t, ts, url.Values{"needs_retention_days": {"1"}, "personal_retention_days": {"30"}, "proposal_retention_days": {"60"},
		"privacy_officer_email": {"fg@ambtenaar20.example"}, "organisation": {""}})
	_, body = ts.get(t, "/privacy")
	main = mainOf(t, body)
	wantContains(t, "privacy statement after the change", main,
		nlMsg(t, "privacy.who.organisers", "Event", testEvent(t, ts).Name),
		keep("privacy.keep.needs", 1), keep("privacy.keep.personal", 30), keep("privacy.keep.proposals", 60),
		"4 februari 2027", "5 maart 2027", "4 april 2027",
		nlMsg(t, "privacy.officer")+` <a class="utrecht-link" href="mailto:fg@ambtenaar20.example">`, nlMsg(t, "privacy.rights.ask_officer"))
	if strings.Contains(main, keep("privacy.keep.needs", 7)) {
		t.Error("the statement still gives the old period for needs")
	}

	_, body = ts.get(t, "/privacy", "Accept-Language", "en")
	wantContains(t, "English privacy statement", body, `<html lang="en"`,
		html.EscapeString("until 30 days after the event, up to and including"), "Article 9(2)(a) GDPR")
}

// TestAccessibilityStatement: /toegankelijkheid gives the status, date and contact from the
// event form, in Dutch and English, with the software's own part; without a status, or with
// E, it says the statement is not complete; without its own contact it gives the organisers'.
func TestAccessibilityStatement(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	resp, body := ts.get(t, "/toegankelijkheid")
	wantStatus(t, resp, body, http.StatusOK)
	main := mainOf(t, body)
	wantContains(t, "accessibility statement", body, "<title>"+nlMsg(t, "a11ystatement.title")+" — ")
	wantContains(t, "accessibility statement", main,
		nlMsg(t, "a11ystatement.intro", "Organisation", demo.Organisation, "Event", testEvent(t, ts).Name),
		`data-status="B"`, nlMsg(t, "a11ystatement.status.B"), nlMsg(t, "a11ystatement.explain.B"),
		`<time datetime="2026-11-22">`+nlDate(t, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))+`</time>`,
		`href="mailto:`+demo.ContactEmail+`" id="a11y-contact"`,
		nlMsg(t, "a11ystatement.tested.axe"), nlMsg(t, "a11ystatement.known.pdf"), `href="/programma"`)
	if strings.Contains(main, nlMsg(t, "a11ystatement.incomplete")) {
		t.Error("a statement with status B says it is not complete")
	}
	_, body = ts.get(t, "/toegankelijkheid", "Accept-Language", "en")
	wantContains(t, "English accessibility statement", mainOf(t, body), "B – partially compliant", "<h1 class=\"utrecht-heading-1\">Accessibility statement</h1>")

	ts.loginAs(t, models.RoleOrganiser, "")
	saveEventForm(t, ts, url.Values{"accessibility_status": {"A"}, "accessibility_date": {"2027-01-15"},
		"accessibility_contact": {"toegankelijk@overijssel.example"}})
	_, body = ts.get(t, "/toegankelijkheid")
	wantContains(t, "statement after the change", mainOf(t, body), `data-status="A"`, nlMsg(t, "a11ystatement.status.A"),
		`<time datetime="2027-01-15">`, `href="mailto:toegankelijk@overijssel.example" id="a11y-contact"`)

	for _, status := range []string{"E", ""} {
		saveEventForm(t, ts, url.Values{"accessibility_status": {status}, "accessibility_date": {""}, "accessibility_contact": {""}})
		_, body = ts.get(t, "/toegankelijkheid")
		main = mainOf(t, body)
		wantContains(t, "statement with status "+status, main, nlMsg(t, "a11ystatement.incomplete"), `data-status="E"`,
			`href="mailto:`+demo.ContactEmail+`" id="a11y-contact"`, nlMsg(t, "a11ystatement.software_heading"))
		if strings.Contains(main, "<time") {
			t.Errorf("statement with status %q shows a date while none is set", status)
		}
	}
}

// TestStatementLinksInFooter: every page's footer links both statements, in the page's
// language, the organisers' pages too.
func TestStatementLinksInFooter(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	link := func(path, text string) string { return `<a class="utrecht-link" href="` + path + `">` + text + `</a>` }
	paths := []string{"/", "/programma/zwolle", "/aanmelden", "/aanmelden/zwolle", "/privacy", "/toegankelijkheid", "/hulp", "/bestaat-niet", "/beheer/inloggen"}
	for _, path := range paths {
		_, body := ts.get(t, path)
		wantContains(t, path+" footer", footerOf(t, body), link("/privacy", nlMsg(t, "privacy.title")), link("/toegankelijkheid", nlMsg(t, "a11ystatement.title")))
		_, body = ts.get(t, path, "Accept-Language", "en")
		wantContains(t, path+" footer (en)", footerOf(t, body), link("/privacy", "Privacy statement"), link("/toegankelijkheid", "Accessibility statement"))
	}
	ts.loginAs(t, models.RoleOrganiser, "")
	_, body := ts.get(t, "/beheer/evenement")
	wantContains(t, "organisers' page footer", footerOf(t, body), link("/toegankelijkheid", nlMsg(t, "a11ystatement.title")))
}

// TestRegistrationDomainsOnTheWeb: with registration limited to some domains, the venue list
// and the form's e-mail hint say so before anything is typed; the form and the API refuse
// another address on the e-mail field, naming the domains, keeping what was typed and
// writing nothing; an address of a listed domain (or below one) registers. An organiser
// adding a person by hand is not bound by it.
func TestRegistrationDomainsOnTheWeb(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	saveEventForm(t, ts, url.Values{"registration_domains": {"Rijksoverheid.nl, zwolle.nl"}})
	const domains = "rijksoverheid.nl, zwolle.nl"
	visitor := ts.withNewClient(t)

	_, body := visitor.get(t, "/aanmelden")
	wantContains(t, "venue list", mainOf(t, body), nlMsg(t, "register.domains_only", "Domains", domains))
	_, body = visitor.get(t, "/aanmelden/zwolle")
	if hint := bhFieldTag(body, "veld-email"); !strings.Contains(hint, `aria-describedby="veld-email-hint"`) {
		t.Errorf("the e-mail field is not described by its hint: %s", hint)
	}
	wantContains(t, "e-mail hint", body, `<div class="utrecht-form-field-description" id="veld-email-hint">`+
		nlMsg(t, "register.domains_only", "Domains", domains)+" "+nlMsg(t, "register.email_hint")+`</div>`)

	regs := registrationCount(t, ts)
	form := registrationValues("Iemand Anders", "iemand@gemeente-elders.nl", nil)
	resp, body := visitor.postForm(t, "/aanmelden/zwolle", form)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	bhCheckProblem(t, body, "email", nlMsg(t, "register.domain_not_allowed", "Domains", domains))
	for field, want := range map[string]string{"email": "iemand@gemeente-elders.nl", "name": "Iemand Anders", "dietary": "Vegetarisch, geen noten"} {
		if got := bhFieldValue(t, body, field); got != want {
			t.Errorf("refused form: %s = %q, want the typed %q", field, got, want)
		}
	}
	_, en := visitor.postForm(t, "/aanmelden/zwolle", form, "Accept-Language", "en")
	wantContains(t, "refused form (en)", en, html.EscapeString("You cannot register with this e-mail address. Only addresses from these domains can register: "+domains+"."))

	apiBody := registrationBody(t, nil, func(m map[string]any) { m["email"] = "api@gemeente-elders.nl" })
	apiResp, b := visitor.apiCall(t, http.MethodPost, "/api/v1/registrations", apiBody, "", "Accept-Language", "nl")
	wantAPIStatus(t, apiResp, b, http.StatusUnprocessableEntity)
	if e := wantAPIError(t, b, "invalid", "email"); e.Fields["email"] != nlText(t, "register.domain_not_allowed", "Domains", domains) {
		t.Errorf("API: the e-mail's message is %q, want %q", e.Fields["email"], nlText(t, "register.domain_not_allowed", "Domains", domains))
	}
	if got := registrationCount(t, ts); got != regs {
		t.Errorf("refused registrations wrote rows: %d registrations, want %d", got, regs)
	}

	registerByForm(t, visitor, "zwolle", registrationValues("Rijksambtenaar", "iemand@minbzk.rijksoverheid.nl", nil))
	apiRegister(t, visitor, registrationBody(t, nil, func(m map[string]any) { m["email"] = "api@zwolle.nl" }))

	// An organiser registers someone from elsewhere by hand.
	resp, body = ts.postForm(t, "/beheer/deelnemers/nieuw", url.Values{"venue": {"zwolle"}, "name": {"Gast Van Elders"},
		"email": {"gast@gemeente-elders.nl"}, "organisation": {"Gemeente Elders"}, "consent": {"ja"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	if got := registrationCount(t, ts); got != regs+3 {
		t.Errorf("after two registrations within the domains and one by hand: %d registrations, want %d", got, regs+3)
	}
}

// TestEventFormNewEventDefaults: the form for a new event shows the default retention periods
// and no accessibility status, and creating the event with them stores them.
func TestEventFormNewEventDefaults(t *testing.T) {
	t.Parallel()
	ts := newTestServerWith(t, modelstest.SQLite(t), false)
	ts.loginAs(t, models.RoleOrganiser, "")
	form := eventFormAsShown(t, ts)
	for field, want := range map[string]string{"needs_retention_days": "7", "personal_retention_days": "90",
		"proposal_retention_days": "30", "accessibility_status": "", "organisation": ""} {
		if got := form.Get(field); got != want {
			t.Errorf("the new event's form shows %s = %q, want %q", field, got, want)
		}
	}
	form.Set("name", "Dag van de Test")
	form.Set("date", "2027-02-03")
	form.Set("organisation", "Gemeente Testdorp")
	resp, body := ts.postForm(t, "/beheer/evenement", form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	if e := testEvent(t, ts); e.NeedsRetentionDays != 7 || e.PersonalRetentionDays != 90 || e.ProposalRetentionDays != 30 ||
		e.Organisation != "Gemeente Testdorp" {
		t.Errorf("the new event has needs %d, personal %d, proposals %d days and organisation %q; want 7, 90, 30 and the typed one",
			e.NeedsRetentionDays, e.PersonalRetentionDays, e.ProposalRetentionDays, e.Organisation)
	}
}
