// Package certificate makes the certificates of attendance (bewijs van deelname, issue #18):
// their codes, signed with the event's Ed25519 key so that nobody can make or change one, and
// their PDF, one A4 page per attendee, drawn with package pdf. It knows no HTTP and no
// database: the handlers find who attended what, and check a code on the public check page.
//
// The code is its own format, not a ticket payload: a ticket is checked offline at the door,
// in the QR alphanumeric character set, and changes version with the booking; a certificate
// is checked online, later, by someone who never saw the event, and names the registration
// for good.
package certificate
