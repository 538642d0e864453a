package models_test

import (
	"sync"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// Several processes starting at once on a new PostgreSQL database (a deploy restarting them
// all) each migrate it: they take turns, and every one of them opens.
func TestProcessesStartingTogetherMigrateOnce(t *testing.T) {
	t.Parallel()
	dsn := modelstest.PostgresDSN(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			s, err := models.OpenWith(modelstest.Ctx(), dsn, models.Options{MaxConns: 2})
			if err == nil {
				err = s.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("open while others migrate: %v", err)
		}
	}
}
