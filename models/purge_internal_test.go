package models

import "testing"

// TestAnonymisedOrganisationKeepsItsType: the name an anonymised registration's organisation
// gets is of the type it stands for, in Go as in SQL, so the counts per type stay true.
func TestAnonymisedOrganisationKeepsItsType(t *testing.T) {
	t.Parallel()
	for _, kind := range OrganisationTypes {
		name, ok := anonymisedOrganisation[kind]
		if !ok || OrganisationType(name) != kind {
			t.Errorf("type %s becomes %q, of type %s", kind, name, OrganisationType(name))
		}
	}
}
