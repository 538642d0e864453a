package models

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestIsUnavailable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{ErrNotFound, false},
		{ErrVenueFull, false},
		{&pgconn.PgError{Code: "23505"}, false}, // a unique violation is the request's fault
		{&pgconn.PgError{Code: "40P01"}, false}, // a deadlock is retried by the writer, not the client
		{fmt.Errorf("register: %w", &pgconn.PgError{Code: "53300"}), true}, // too many connections
		{fmt.Errorf("register: %w", &pgconn.PgError{Code: "57P01"}), true}, // the server is shutting down
		{fmt.Errorf("register: %w", &pgconn.PgError{Code: "08006"}), true}, // connection failure
		{fmt.Errorf("register: %w", io.ErrUnexpectedEOF), true},            // the connection broke mid-answer
		{errors.Join(errors.New("venue zwolle"), ErrUnavailable), true},
	} {
		if got := IsUnavailable(c.err); got != c.want {
			t.Errorf("IsUnavailable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
