package tickets

import "github.com/ambtenaar20/dagplanner/models"

// splitName splits a full name into its last name, the given names and the particles
// before the last name (see models.SplitName).
func splitName(name string) (last, given, parts string) { return models.SplitName(name) }

// LastNameKey returns name as it is listed by last name, the Dutch way:
// "Jan van den Berg" becomes "Berg, Jan van den", "de Vries" becomes "Vries, de".
func LastNameKey(name string) string { return models.LastNameFirst(name) }

// SortByLastName sorts names in place by last name, then given names, then
// particles, with Dutch collation (accents, case and "ij" as Dutch readers expect).
func SortByLastName(names []string) {
	sortByLastName(len(names), func(i int) string { return names[i] }, func(i, j int) {
		names[i], names[j] = names[j], names[i]
	})
}

// sortByLastName sorts n items, whose names name returns, with swap.
func sortByLastName(n int, name func(int) string, swap func(i, j int)) {
	models.SortByLastName(n, name, swap)
}
