package models

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// ErrUnavailable marks an error that says the database could not be reached or is
// overloaded, not that the request was wrong: the client may try again shortly.
var ErrUnavailable = errors.New("database unavailable")

// IsUnavailable reports whether err means the database is out of reach for a moment: the
// connection failed or broke, the server is starting, stopping or full, or SQLite stayed
// busy past its timeout. Such a request may be repeated: its transaction rolled back, or
// (a connection lost during the commit itself) it committed, and the repeat finds it done.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrUnavailable) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case strings.HasPrefix(pg.Code, "08"): // connection exception
			return true
		case pg.Code == "53300", pg.Code == "53400": // too many connections, configuration limit exceeded
			return true
		case pg.Code == "57P01", pg.Code == "57P02", pg.Code == "57P03": // shutdown, crash, cannot connect now
			return true
		}
		return false
	}
	var connect *pgconn.ConnectError
	if errors.As(err, &connect) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var lite sqlite3.Error
	if errors.As(err, &lite) {
		return lite.Code == sqlite3.ErrBusy || lite.Code == sqlite3.ErrLocked
	}
	return pgconn.SafeToRetry(err)
}

// isRetryableConflict reports whether a PostgreSQL transaction failed only because it lost
// a race with another one (a deadlock, or a serialisation failure): running it again from
// the start is the prescribed answer.
func isRetryableConflict(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40P01" || pg.Code == "40001")
}
