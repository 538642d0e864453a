package handlers

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// deviceTTL is how long a device token, once looked up, is trusted without asking the
// database again. A token revoked in this process stops at once; one revoked through another
// process (several servers on one PostgreSQL) stops within deviceTTL: half the 10 seconds
// promised, so that the promise holds with room to spare.
const deviceTTL = 5 * time.Second

// deviceCache remembers recently seen device tokens, so a busy door's scans do not each look
// their token up. Keys are the tokens' SHA-256, so the map holds no usable secret.
type deviceCache struct {
	mu      sync.Mutex
	entries map[[32]byte]deviceEntry
	// forgets counts revocations, so a lookup that read a token before it was revoked does
	// not put it back in the cache after.
	forgets uint64
}

type deviceEntry struct {
	token models.DeviceToken
	until time.Time
}

func newDeviceCache() *deviceCache {
	return &deviceCache{entries: map[[32]byte]deviceEntry{}}
}

// lookup returns the device of a token, from the cache or else from the store.
func (d *deviceCache) lookup(ctx context.Context, store *models.Store, secret string) (models.DeviceToken, error) {
	key := sha256.Sum256([]byte(secret))
	now := time.Now()
	d.mu.Lock()
	e, ok := d.entries[key]
	forgets := d.forgets
	d.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.token, nil
	}
	t, err := store.DeviceTokenBySecret(ctx, secret)
	if err != nil {
		return models.DeviceToken{}, err
	}
	// Record the device as seen when its entry is made, at most once per deviceTTL.
	if err := store.TouchDeviceToken(ctx, t); err != nil {
		return models.DeviceToken{}, err
	}
	d.mu.Lock()
	if len(d.entries) >= maxTrackedKeys {
		d.entries = map[[32]byte]deviceEntry{}
	}
	if d.forgets == forgets {
		d.entries[key] = deviceEntry{token: t, until: now.Add(deviceTTL)}
	}
	d.mu.Unlock()
	return t, nil
}

// forget drops every cached token of a device, after it was revoked.
func (d *deviceCache) forget(id uint) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.forgets++
	for k, e := range d.entries {
		if e.token.ID == id {
			delete(d.entries, k)
		}
	}
}
