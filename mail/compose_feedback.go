package mail

import (
	"context"
	"fmt"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// feedbackData fills what the feedback e-mail (issue #18) says beyond the greeting: the
// sessions the person attended, a fresh link to rate them, and the link to the certificate
// of attendance beside their booking. A person whose check-in was undone since the e-mail was
// queued attended nothing: the e-mail is superseded.
func (c *Composer) feedbackData(ctx context.Context, lang string, r models.Registration, e models.Event, d *templateData) error {
	att, err := c.Store.AttendedSessions(ctx, r.ID)
	if err != nil {
		return err
	}
	if !att.CheckedIn {
		return fmt.Errorf("not checked in: %w", ErrSuperseded)
	}
	cat, err := catalog()
	if err != nil {
		return err
	}
	tr := cat.Translator(locale.Lang(lang)).In(e.Location())
	d.Programme = nil
	for _, s := range att.Sessions {
		d.Programme = append(d.Programme, programmeItem{Time: tr.TimeRange(s.StartsAt, s.EndsAt),
			Title: models.InLang(lang, s.Title, s.TitleEn), Room: s.Room})
	}
	token, err := c.Store.NewFeedbackToken(ctx, r.ID)
	if err != nil {
		return err
	}
	d.FeedbackLink = c.base() + "/feedback/" + token
	d.CertificateLink = d.Link + "/certificaat.pdf"
	return nil
}
