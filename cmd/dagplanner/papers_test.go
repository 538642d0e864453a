package main

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
)

// personalModels are the types whose fields the processing register must account for, with the
// fields that are not about a person (keys, states, derived search text) left out.
var personalModels = map[string]struct {
	typ      reflect.Type
	notAbout []string
}{
	"Registration": {reflect.TypeFor[models.Registration](), []string{"Status", "Lang", "ConsentVersion", "SearchText", "SortName"}},
	"Proposal":     {reflect.TypeFor[models.Proposal](), nil},
	"CoSpeaker":    {reflect.TypeFor[models.CoSpeaker](), []string{"EmailKey"}},
	"Speaker":      {reflect.TypeFor[models.Speaker](), []string{"Lang"}},
	"User":         {reflect.TypeFor[models.User](), []string{"Role"}},
	"VoteContact":  {reflect.TypeFor[models.VoteContact](), []string{"EmailKey", "Lang"}},
}

// personalWords mark a string field as about a person, for the models above.
var personalWords = regexp.MustCompile(`(?i)name|email|organisation|job|bio|dietary|accessibility|phone|address`)

// TestPrivacyPapersMatchTheCode reads the processing register (docs/privacy): every model field
// it names exists, every personal field of the models that hold people is named in it, and its
// default retention periods are the code's.
func TestPrivacyPapersMatchTheCode(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "privacy", "verwerkingsregister.md"))
	if err != nil {
		t.Fatal(err)
	}
	register := string(b)
	for _, problem := range registerProblems(register) {
		t.Error(problem)
	}
	for what, days := range map[string]int{
		"Dieet- en toegankelijkheidswensen":    models.DefaultNeedsRetentionDays,
		"Aanmeldingen, binnenkomst, e-maillog": models.DefaultPersonalRetentionDays,
		"Niet-geaccepteerde voorstellen":       models.DefaultProposalRetentionDays,
	} {
		row := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(what) + ` \| (\d+) dagen na de dag \|`).FindStringSubmatch(register)
		if row == nil {
			t.Errorf("the register's retention table has no row %q with a number of days", what)
			continue
		}
		if n, _ := strconv.Atoi(row[1]); n != days {
			t.Errorf("the register says %q are kept %d days after the day; the code's default is %d", what, n, days)
		}
	}
}

// registerProblems lists the fields a register names that do not exist, and the personal
// fields it does not name.
func registerProblems(register string) []string {
	var problems []string
	named := map[string]bool{}
	for _, m := range regexp.MustCompile("`([A-Z][A-Za-z]+)\\.([A-Z][A-Za-z]+)`").FindAllStringSubmatch(register, -1) {
		model, ok := personalModels[m[1]]
		if !ok {
			if !strings.Contains("AuditEntry OutboxMessage", m[1]) {
				problems = append(problems, "the register names "+m[0]+": not a model it knows")
			}
			continue
		}
		if _, ok := model.typ.FieldByName(m[2]); !ok {
			problems = append(problems, "the register names "+m[0]+", which models."+m[1]+" does not have")
		}
		named[m[1]+"."+m[2]] = true
	}
	for name, model := range personalModels {
		for i := range model.typ.NumField() {
			f := model.typ.Field(i)
			if f.Type.Kind() != reflect.String || !personalWords.MatchString(f.Name) {
				continue
			}
			skip := false
			for _, n := range model.notAbout {
				skip = skip || n == f.Name
			}
			if !skip && !named[name+"."+f.Name] {
				problems = append(problems, "models."+name+"."+f.Name+" holds personal data but the processing register does not name it")
			}
		}
	}
	return problems
}

// TestRegisterCheckCanFail shows the register check finds a field that is not there and a
// personal field that is not named.
func TestRegisterCheckCanFail(t *testing.T) {
	t.Parallel()
	problems := strings.Join(registerProblems("| `Registration.Shoesize` | `Registration.Name` |"), "\n")
	for _, want := range []string{"Registration.Shoesize", "models.Registration.Email holds personal data", "models.Proposal.SpeakerName"} {
		if !strings.Contains(problems, want) {
			t.Errorf("registerProblems did not report %s; it reported:\n%s", want, problems)
		}
	}
}
