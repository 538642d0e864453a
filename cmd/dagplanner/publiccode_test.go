package main

import (
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// publicCode is publiccode.yml as the Standard for Public Code's publiccode.yml 0.5 defines
// it (https://yml.publiccode.tools), with the keys Dagplanner uses and those it may add. It
// is decoded strictly: a key the standard does not have fails the test, as the official
// validator (italia/publiccode-parser-go, which the Go module proxy here refuses) would.
type publicCode struct {
	PubliccodeYmlVersion string   `yaml:"publiccodeYmlVersion"`
	Name                 string   `yaml:"name"`
	URL                  string   `yaml:"url"`
	LandingURL           string   `yaml:"landingURL"`
	SoftwareVersion      string   `yaml:"softwareVersion"`
	ReleaseDate          string   `yaml:"releaseDate"`
	Logo                 string   `yaml:"logo"`
	Platforms            []string `yaml:"platforms"`
	Categories           []string `yaml:"categories"`
	UsedBy               []string `yaml:"usedBy"`
	Roadmap              string   `yaml:"roadmap"`
	DevelopmentStatus    string   `yaml:"developmentStatus"`
	SoftwareType         string   `yaml:"softwareType"`
	IntendedAudience     struct {
		Countries            []string `yaml:"countries"`
		UnsupportedCountries []string `yaml:"unsupportedCountries"`
		Scope                []string `yaml:"scope"`
	} `yaml:"intendedAudience"`
	Description map[string]struct {
		LocalisedName    string   `yaml:"localisedName"`
		ShortDescription string   `yaml:"shortDescription"`
		LongDescription  string   `yaml:"longDescription"`
		Documentation    string   `yaml:"documentation"`
		APIDocumentation string   `yaml:"apiDocumentation"`
		Features         []string `yaml:"features"`
		Screenshots      []string `yaml:"screenshots"`
		Videos           []string `yaml:"videos"`
		Awards           []string `yaml:"awards"`
	} `yaml:"description"`
	Legal struct {
		License            string `yaml:"license"`
		MainCopyrightOwner string `yaml:"mainCopyrightOwner"`
		RepoOwner          string `yaml:"repoOwner"`
	} `yaml:"legal"`
	Maintenance struct {
		Type     string `yaml:"type"`
		Contacts []struct {
			Name        string `yaml:"name"`
			Email       string `yaml:"email"`
			Phone       string `yaml:"phone"`
			Affiliation string `yaml:"affiliation"`
		} `yaml:"contacts"`
	} `yaml:"maintenance"`
	Localisation struct {
		LocalisationReady  *bool    `yaml:"localisationReady"`
		AvailableLanguages []string `yaml:"availableLanguages"`
	} `yaml:"localisation"`
	DependsOn struct {
		Open []struct {
			Name       string `yaml:"name"`
			VersionMin string `yaml:"versionMin"`
			VersionMax string `yaml:"versionMax"`
			Version    string `yaml:"version"`
			Optional   bool   `yaml:"optional"`
		} `yaml:"open"`
	} `yaml:"dependsOn"`
}

// The standard's vocabularies (publiccode.yml 0.5).
var (
	pcCategories = strings.Fields(`accounting agile-project-management applicant-tracking application-development
		appointment-scheduling backup billing-and-invoicing blog budgeting business-intelligence
		business-process-management cad call-center-management cloud-management collaboration communications
		compliance-management contact-management content-management crm customer-service-and-support
		data-analytics data-collection data-visualization design design-system digital-asset-management
		digital-citizenship document-management donor-management e-commerce e-signature educational-content
		email-management email-marketing employee-management enterprise-project-management
		enterprise-social-networking erp event-management facility-management feedback-and-reviews-management
		financial-reporting fleet-management fundraising gamification geographic-information-systems
		grant-management graphic-design help-desk hr ide identity-management instant-messaging
		integrated-library-system inventory-management it-asset-management it-development it-management
		it-security it-service-management knowledge-management learning-management-system marketing
		mind-mapping mobile-marketing mobile-payment network-management office online-booking
		online-community payment-gateway payroll predictive-analysis procurement productivity-suite
		project-collaboration project-management property-management real-estate-management
		regulations-and-directives remote-support resource-management sales-management seo service-desk
		social-media-management survey talent-management task-management taxes-management test-management
		time-management time-tracking translation video-conferencing video-editing visitor-management voip
		warehouse-management web-collaboration web-conferencing website-builder whistleblowing
		workflow-management other`)
	pcScopes = strings.Fields(`agriculture culture defence education emergency-services employment energy
		environment finance-and-economic-development foreign-affairs government healthcare infrastructures
		justice local-authorities manufacturing research science-and-technology security society sport
		tourism transportation welfare`)
	pcStatuses      = []string{"concept", "development", "beta", "stable", "obsolete"}
	pcSoftwareTypes = []string{"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
		"standalone/backend", "standalone/other", "addon", "library", "configurationFiles"}
	pcMaintenance = []string{"internal", "contract", "community", "none"}
	pcVersions    = []string{"0.4", "0.4.0", "0.5", "0.5.0"}
	pcCountry     = regexp.MustCompile(`^[A-Z]{2}$`)
	pcDate        = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// repoRoot is the repository's root, two levels above this package.
func repoRoot() string { return filepath.Join("..", "..") }

func readPublicCode(t *testing.T) publicCode {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(), "publiccode.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var pc publicCode
	if err := yaml.UnmarshalWithOptions(b, &pc, yaml.Strict()); err != nil {
		t.Fatalf("publiccode.yml: %v", err)
	}
	return pc
}

// TestPublicCodeYML checks publiccode.yml against the standard's rules (required keys,
// vocabularies, lengths, formats, files that must exist in the repository) and against the
// repository itself: its module path, licence, languages and documentation.
func TestPublicCodeYML(t *testing.T) {
	t.Parallel()
	pc := readPublicCode(t)
	for _, p := range publicCodeProblems(pc, repoRoot()) {
		t.Error("publiccode.yml: " + p)
	}
	// The repository's own facts.
	mod, err := os.ReadFile(filepath.Join(repoRoot(), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if path := strings.TrimPrefix(strings.TrimPrefix(pc.URL, "https://"), "http://"); !strings.Contains(string(mod), "module "+path+"\n") {
		t.Errorf("url %q is not the module path in go.mod", pc.URL)
	}
	licence, err := os.ReadFile(filepath.Join(repoRoot(), "LICENSE.md"))
	if pc.Legal.License != "EUPL-1.2" || err != nil || !strings.Contains(string(licence), "EUROPEAN UNION PUBLIC LICENCE v. 1.2") {
		t.Errorf("licence %q with LICENSE.md (%v), want EUPL-1.2 and its text", pc.Legal.License, err)
	}
	for _, lang := range pc.Localisation.AvailableLanguages {
		if _, err := os.Stat(filepath.Join(repoRoot(), "locale", lang+".toml")); err != nil {
			t.Errorf("language %q has no message catalogue: %v", lang, err)
		}
	}
	if !slices.Contains(pc.Localisation.AvailableLanguages, "nl") || !slices.Contains(pc.Localisation.AvailableLanguages, "en") {
		t.Errorf("availableLanguages %q, want nl and en", pc.Localisation.AvailableLanguages)
	}
	for _, lang := range []string{"nl", "en"} {
		if _, ok := pc.Description[lang]; !ok {
			t.Errorf("no description in %q", lang)
		}
	}
}

// TestPublicCodeChecksFail shows that the checks can fail: a file with the mistakes people
// make is refused on each of them, and an unknown key stops the strict decoding.
func TestPublicCodeChecksFail(t *testing.T) {
	t.Parallel()
	bad := `publiccodeYmlVersion: "0.3"
name: X
url: "ftp://example.org/x"
platforms: []
categories: [conferences]
developmentStatus: ready
softwareType: webapp
intendedAudience: {countries: [nl], scope: [congress]}
description:
  en:
    shortDescription: "` + strings.Repeat("x", 151) + `"
    longDescription: "too short"
    features: ["` + strings.Repeat("y", 101) + `"]
    screenshots: [docs/img/nothing.png]
legal: {license: "EUPL 1.2"}
maintenance: {type: community}
localisation: {availableLanguages: []}
releaseDate: "7 december 2026"
`
	var pc publicCode
	if err := yaml.UnmarshalWithOptions([]byte(bad), &pc, yaml.Strict()); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(publicCodeProblems(pc, repoRoot()), "\n")
	for _, want := range []string{"publiccodeYmlVersion", "url", "platforms", "category", "developmentStatus",
		"softwareType", "country", "scope", "shortDescription", "longDescription", "feature", "screenshot",
		"license", "contacts", "localisationReady", "availableLanguages", "releaseDate"} {
		if !strings.Contains(got, want) {
			t.Errorf("no problem names %q; got:\n%s", want, got)
		}
	}
	if err := yaml.UnmarshalWithOptions([]byte("name: X\nnaam: Y\n"), &pc, yaml.Strict()); err == nil {
		t.Error("an unknown key decodes without an error")
	}
}

// publicCodeProblems lists what breaks the standard's rules in pc; files are looked up
// under root.
func publicCodeProblems(pc publicCode, root string) []string {
	var ps []string
	add := func(format string, ok bool) {
		if !ok {
			ps = append(ps, format)
		}
	}
	isURL := func(s string) bool {
		u, err := url.Parse(s)
		return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
	}
	exists := func(rel string) bool {
		_, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
		return !filepath.IsAbs(rel) && err == nil
	}
	add("publiccodeYmlVersion "+pc.PubliccodeYmlVersion+" is not 0.4 or 0.5", slices.Contains(pcVersions, pc.PubliccodeYmlVersion))
	add("name is empty", pc.Name != "")
	add("url "+pc.URL+" is not an http(s) URL", isURL(pc.URL))
	add("landingURL "+pc.LandingURL+" is not an http(s) URL", pc.LandingURL == "" || isURL(pc.LandingURL))
	add("platforms is empty", len(pc.Platforms) > 0)
	for _, c := range pc.Categories {
		add("category "+c+" is not in the standard's list", slices.Contains(pcCategories, c))
	}
	add("developmentStatus "+pc.DevelopmentStatus+" is not one of the standard's", slices.Contains(pcStatuses, pc.DevelopmentStatus))
	add("softwareType "+pc.SoftwareType+" is not one of the standard's", slices.Contains(pcSoftwareTypes, pc.SoftwareType))
	for _, c := range append(slices.Clone(pc.IntendedAudience.Countries), pc.IntendedAudience.UnsupportedCountries...) {
		add("country "+c+" is not an upper-case ISO 3166-1 alpha-2 code", pcCountry.MatchString(c))
	}
	for _, s := range pc.IntendedAudience.Scope {
		add("scope "+s+" is not in the standard's list", slices.Contains(pcScopes, s))
	}
	add("releaseDate "+pc.ReleaseDate+" is not YYYY-MM-DD", pc.ReleaseDate == "" || pcDate.MatchString(pc.ReleaseDate))
	add("releaseDate without softwareVersion, or the other way round", (pc.ReleaseDate == "") == (pc.SoftwareVersion == ""))
	add("description is empty", len(pc.Description) > 0)
	for lang, d := range pc.Description {
		n := utf8.RuneCountInString(d.LongDescription)
		add(lang+": shortDescription is empty or longer than 150 characters", d.ShortDescription != "" && utf8.RuneCountInString(d.ShortDescription) <= 150)
		add(lang+": longDescription is not 150 to 10,000 characters", n >= 150 && n <= 10000)
		add(lang+": no feature", len(d.Features) > 0)
		for _, f := range d.Features {
			add(lang+": feature longer than 100 characters: "+f, utf8.RuneCountInString(f) <= 100)
		}
		for _, s := range d.Screenshots {
			add(lang+": screenshot "+s+" is not a file in the repository", exists(s))
		}
		for _, doc := range []string{d.Documentation, d.APIDocumentation} {
			add(lang+": documentation "+doc+" is not an http(s) URL", doc == "" || isURL(doc))
			if _, rel, ok := strings.Cut(doc, "/blob/main/"); ok {
				add(lang+": documentation "+doc+" names no file in the repository", exists(rel))
			}
		}
	}
	add("legal.license "+pc.Legal.License+" is not an SPDX identifier we expect", pc.Legal.License == "EUPL-1.2")
	add("maintenance.type "+pc.Maintenance.Type+" is not one of the standard's", slices.Contains(pcMaintenance, pc.Maintenance.Type))
	if pc.Maintenance.Type == "community" || pc.Maintenance.Type == "internal" {
		add("maintenance.contacts is empty, and "+pc.Maintenance.Type+" maintenance needs them", len(pc.Maintenance.Contacts) > 0)
	}
	for _, c := range pc.Maintenance.Contacts {
		_, err := mail.ParseAddress(c.Email)
		add("contact "+c.Name+" has no name or a bad email", c.Name != "" && (c.Email == "" || err == nil))
	}
	add("localisation.localisationReady is missing", pc.Localisation.LocalisationReady != nil)
	add("localisation.availableLanguages is empty", len(pc.Localisation.AvailableLanguages) > 0)
	for _, d := range pc.DependsOn.Open {
		add("a dependency has no name", d.Name != "")
	}
	return ps
}
