package mail

import "github.com/ambtenaar20/dagplanner/models"

// ErasureKinds lists the kinds of outbox message that confirm an erasure (issue #17); each has
// a template in every language. It is composed like a registration's e-mail, from the
// registration as the erasure left it: its templates use no name, for there is none left.
//
// A speaker's and a voter's confirmations (compose_speaker_erasure.go) are composed from the
// event alone.
var ErasureKinds = []string{models.MailErased, models.MailSpeakerErased, models.MailVoterErased}
