package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// actorKey is the context key under which the actor of a request travels.
type actorKey struct{}

// WithActor returns a context that names a as the one who acts. The organiser routes put the
// signed-in account (or the API token) there, and the command line puts ActorCLI, so that a
// Store method that changes something can write its audit entry without every signature
// carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor that ctx names, if any.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok && a.Kind != ""
}

// audit adds rec to the trail inside tx, naming the actor that ctx carries. A change made
// without an actor is refused rather than written anonymously: an organiser action the trail
// cannot attribute is a bug in the caller.
func (s *Store) audit(ctx context.Context, tx *gorm.DB, rec AuditRecord) error {
	a, ok := ActorFrom(ctx)
	if !ok {
		return fmt.Errorf("audit %s: no actor in the context", rec.Action)
	}
	return writeAudit(tx, s.now(), a, rec)
}

// clientAddressKey is the context key under which the address a request came from travels.
type clientAddressKey struct{}

// WithClientAddress returns a context that names addr (an IP address) as where the request
// came from; the audit entries written with it record it, as a personal field.
func WithClientAddress(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddressKey{}, addr)
}

// clientAddressFrom returns the address ctx names, or "".
func clientAddressFrom(ctx context.Context) string {
	if ctx == nil {
		return ""
	}
	a, _ := ctx.Value(clientAddressKey{}).(string)
	return a
}
