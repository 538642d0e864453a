package main

import (
	"io"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
)

func TestServeFlagsDatabasePool(t *testing.T) {
	cfg, err := parseServeFlags(nil, envMap(nil), io.Discard)
	if err != nil || cfg.DBMaxConns != models.DefaultMaxConns {
		t.Errorf("default max connections = %d (%v), want %d", cfg.DBMaxConns, err, models.DefaultMaxConns)
	}
	cfg, err = parseServeFlags(nil, envMap(map[string]string{"DAGPLANNER_DB_MAX_CONNS": "12"}), io.Discard)
	if err != nil || cfg.DBMaxConns != 12 {
		t.Errorf("from the environment = %d (%v), want 12", cfg.DBMaxConns, err)
	}
	cfg, err = parseServeFlags([]string{"--db-max-conns", "30"}, envMap(map[string]string{"DAGPLANNER_DB_MAX_CONNS": "12"}), io.Discard)
	if err != nil || cfg.DBMaxConns != 30 {
		t.Errorf("the flag over the environment = %d (%v), want 30", cfg.DBMaxConns, err)
	}
	_, err = parseServeFlags([]string{"--db-max-conns", "1"}, envMap(nil), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--db-max-conns") {
		t.Errorf("one connection got %v, want an error naming the flag", err)
	}
}
