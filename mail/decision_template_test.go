package mail

import (
	"slices"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
)

const goodAccepted = "Hallo {{.Name}},\r\n\r\n\"{{.Title}}\" staat op {{.Event}} ({{.Date}}).\r\n{{if .ConfirmLink}}Bevestig: {{.ConfirmLink}}{{end}}\r\nAfzeggen: {{.DeclineLink}}\r\n{{/* commentaar */}}Je pagina: {{.EditLink}}\r\n"

func TestCheckDecisionTemplate(t *testing.T) {
	ok := models.DecisionTemplateInput{Decision: "accepted", Lang: "nl", Subject: "Welkom, {{.Name}}", Body: goodAccepted}
	if p := CheckDecisionTemplate(ok); len(p) != 0 {
		t.Fatalf("a good template: problems %v, want none", p)
	}
	for _, tc := range []struct {
		name, decision, subject, body string
		field, key                    string
		args                          []any
	}{
		{"unclosed action", "rejected", "Hallo", "Regel 1\nRegel 2 {{.Title", "body", "decision.syntax", []any{"Line", "2"}},
		{"unclosed if", "rejected", "Hallo", "{{if .Name}}x", "body", "decision.syntax", nil},
		{"unknown placeholder", "rejected", "Hallo", "a\nb\n{{.Naam}}", "body", "decision.unknown_field", []any{"Line", "3", "Text", "{{.Naam}}"}},
		{"range", "rejected", "Hallo", "{{range 100000000}}x{{end}}", "body", "decision.construct", nil},
		{"function call", "rejected", "Hallo", `{{printf "%s" .Name}}`, "body", "decision.construct", nil},
		{"variable", "rejected", "Hallo", `{{$x := .Name}}{{$x}}`, "body", "decision.construct", nil},
		{"define", "rejected", "Hallo", `{{define "x"}}y{{end}}z`, "body", "decision.construct", nil},
		{"nested field", "rejected", "Hallo", `{{.Name.Foo}}`, "body", "decision.construct", nil},
		{"subject syntax", "rejected", "Hallo {{.Name", "Body", "subject", "decision.syntax", nil},
		{"subject two lines", "rejected", "Hallo\ndaar", "Body", "subject", "form.control_chars", nil},
		{"empty body", "rejected", "Hallo", "  ", "body", "form.required", nil},
		{"accepted without confirm link", "accepted", "Hallo", "Afzeggen: {{.DeclineLink}}\n{{if .ConfirmLink}}ja{{end}}", "body", "decision.needs_confirm_link", nil},
		{"output too long", "rejected", "Hallo", strings.Repeat("{{.Title}}", 1000), "body", "decision.output_too_long", nil},
		{"unknown decision", "maybe", "Hallo", "Body", "decision", "form.invalid_choice", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := models.DecisionTemplateInput{Decision: tc.decision, Lang: "nl", Subject: tc.subject, Body: tc.body}
			p := CheckDecisionTemplate(in)
			got, has := p[tc.field]
			if !has || got.Key != tc.key {
				t.Fatalf("CheckDecisionTemplate() = %v, want %q on %q", p, tc.key, tc.field)
			}
			for i := 0; i+1 < len(tc.args); i += 2 {
				j := slices.Index(got.Args, tc.args[i])
				if j < 0 || j+1 >= len(got.Args) || got.Args[j+1] != tc.args[i+1] {
					t.Errorf("problem args %v, want %v=%v", got.Args, tc.args[i], tc.args[i+1])
				}
			}
		})
	}
}

func TestRenderDecision(t *testing.T) {
	confirm, decline, edit := DecisionLinks()
	d := DecisionData{Name: "Zoë" + models.DecisionLink, Title: "<b>Open</b> data", Event: "Dag", Date: "woensdag 3 februari 2027",
		ConfirmLink: confirm, DeclineLink: decline, EditLink: edit}
	subject, body, err := RenderDecision("Over {{.Title}}", goodAccepted, d)
	if err != nil {
		t.Fatal(err)
	}
	m := models.DecisionMail{Subject: subject, Body: body}
	subject, body = m.Text("https://x.example/voorstel/TOKEN")
	if subject != "Over <b>Open</b> data" {
		t.Errorf("subject %q", subject)
	}
	for _, want := range []string{"Hallo Zoë,\n\n\"<b>Open</b> data\" staat op Dag (woensdag 3 februari 2027).\n",
		"Bevestig: https://x.example/voorstel/TOKEN/bevestigen\n", "Afzeggen: https://x.example/voorstel/TOKEN/afzeggen\n",
		"Je pagina: https://x.example/voorstel/TOKEN\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	if strings.Count(body, "TOKEN") != 3 || strings.Contains(body, "\r") {
		t.Errorf("want the link exactly where the template puts it, LF line ends:\n%q", body)
	}
}
