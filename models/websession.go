package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// WebSession is a signed-in browser session, stored server-side so that logging out or
// revoking an account ends it at once. The cookie holds only the random token.
type WebSession struct {
	Token  string    `gorm:"size:64;primaryKey"`
	Data   []byte    `gorm:"not null"`
	Expiry time.Time `gorm:"not null;index"`
}

// SessionStore keeps web sessions in the database; it satisfies scs.CtxStore.
type SessionStore struct{ s *Store }

// WebSessions returns the database-backed store for the session manager.
func (s *Store) WebSessions() SessionStore { return SessionStore{s} }

// FindCtx returns the data of an unexpired session.
func (w SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var ws WebSession
	// Expiry times come from scs, which reads the wall clock, so compare with the wall clock
	// too and not with the store's (which tests may move to the event day).
	err := w.s.db.WithContext(ctx).Where("token = ? AND expiry > ?", token, time.Now().UTC()).First(&ws).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return ws.Data, true, nil
}

// CommitCtx stores or replaces a session.
func (w SessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	return w.s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "token"}},
		DoUpdates: clause.AssignmentColumns([]string{"data", "expiry"}),
	}).Create(&WebSession{Token: token, Data: data, Expiry: expiry.UTC()}).Error
}

// DeleteCtx removes a session.
func (w SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return w.s.db.WithContext(ctx).Where("token = ?", token).Delete(&WebSession{}).Error
}

// Find, Commit and Delete satisfy scs.Store; the session manager prefers the Ctx variants.
func (w SessionStore) Find(token string) ([]byte, bool, error) {
	return w.FindCtx(context.Background(), token)
}

// Commit stores or replaces a session.
func (w SessionStore) Commit(token string, data []byte, expiry time.Time) error {
	return w.CommitCtx(context.Background(), token, data, expiry)
}

// Delete removes a session.
func (w SessionStore) Delete(token string) error {
	return w.DeleteCtx(context.Background(), token)
}

// DeleteExpiredSessions removes sessions past their expiry; run it now and then.
func (s *Store) DeleteExpiredSessions(ctx context.Context) error {
	return s.db.WithContext(ctx).Where("expiry <= ?", time.Now().UTC()).Delete(&WebSession{}).Error
}
