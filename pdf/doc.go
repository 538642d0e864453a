// Package pdf draws the A4 documents Dagplanner prints: the tickets, badges and door lists
// of package tickets, and the programmes and door signs of package schedule. It holds what
// they share: the embedded font (Go Regular, parsed once per process, slimmed and embedded
// as a tagged subset), text cleaning so that any text prints, the calm palette, and drawing
// in millimetres from the top left of the page — Doc for documents with their own layout,
// PageOps for pages of many rows, Sheet for plain printouts. gofpdf, the PDF library, stays
// behind this package, so it can move to its maintained successor in one place.
package pdf
