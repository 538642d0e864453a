package models

import "strings"

// registrantProblems reports an address outside the domains the event limits registration
// to, as a problem on the "email" field naming the domains; none when the address may
// register. Registering oneself (the form and the API) is bound by it; an organiser
// registering someone by hand, an import and a walk-in at the door are not: the organisers
// chose those people themselves.
func (e Event) registrantProblems(email string) Problems {
	p := Problems{}
	if !e.AllowsRegistrant(email) {
		p.Add("email", "register.domain_not_allowed", "Domains", strings.Join(e.RegistrationDomainList(), ", "))
	}
	return p
}
