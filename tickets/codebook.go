package tickets

import "sync"

// CodeBook remembers the short code of every ticket it has seen, both ways: ticket to code
// for the doors' offline lists, and code to ticket for a code typed at the door. A code is
// derived from the signed payload, so working one out costs a signature; the book makes
// that once per ticket version instead of once per request. It is safe for concurrent use.
type CodeBook struct {
	signer Signer

	mu     sync.RWMutex
	codes  map[Ticket]string
	byCode map[string]Ticket
}

// NewCodeBook returns an empty book for tickets signed by signer.
func NewCodeBook(signer Signer) *CodeBook {
	return &CodeBook{signer: signer, codes: map[Ticket]string{}, byCode: map[string]Ticket{}}
}

// Code returns the short code of t, working it out the first time.
func (b *CodeBook) Code(t Ticket) string {
	b.mu.RLock()
	code, ok := b.codes[t]
	b.mu.RUnlock()
	if ok {
		return code
	}
	code = ShortCode(b.signer.Payload(t))
	b.mu.Lock()
	b.codes[t] = code
	b.byCode[code] = t
	b.mu.Unlock()
	return code
}

// Lookup returns the ticket whose code is code (as NormalizeCode returns it), if the book
// has seen it. Codes of older versions of a ticket stay in the book, so the door can say
// "superseded" rather than "unknown".
func (b *CodeBook) Lookup(code string) (Ticket, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	t, ok := b.byCode[code]
	return t, ok
}
