package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Trace is a place where a piece of text was found: a column of a table, and how many rows
// hold it.
type Trace struct {
	Table  string
	Column string
	Rows   int64
}

func (t Trace) String() string { return fmt.Sprintf("%s.%s (%d rows)", t.Table, t.Column, t.Rows) }

// FindTraces looks in every text column of every table for each needle, case-insensitively,
// and reports where one occurs. It is how erasure and the retention job are checked (issue
// #17): after them, a person's name, address and needs are nowhere. Needles shorter than
// three characters are ignored (they would match everything).
func (s *Store) FindTraces(ctx context.Context, needles ...string) ([]Trace, error) {
	db := s.db.WithContext(ctx)
	tables, err := db.Migrator().GetTables()
	if err != nil {
		return nil, fmt.Errorf("find traces: list tables: %w", err)
	}
	slices.Sort(tables)
	var out []Trace
	for _, table := range tables {
		if table == "schema_migrations" || strings.HasPrefix(table, "sqlite_") {
			continue
		}
		cols, err := db.Migrator().ColumnTypes(table)
		if err != nil {
			return nil, fmt.Errorf("find traces: columns of %s: %w", table, err)
		}
		for _, col := range cols {
			if !textType(col.DatabaseTypeName()) {
				continue
			}
			for _, needle := range needles {
				if len(strings.TrimSpace(needle)) < 3 {
					continue
				}
				var n int64
				// SQLite's LOWER and LIKE fold ASCII letters only, PostgreSQL's LIKE none: the
				// second pattern finds the needle as typed ("Öztürk"), the first in any case.
				c := "CAST(" + quoteIdent(col.Name()) + " AS TEXT)"
				q := fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE LOWER(%s) LIKE ? OR %s LIKE ?", quoteIdent(table), c, c)
				if err := db.Raw(q, "%"+strings.ToLower(needle)+"%", "%"+needle+"%").Scan(&n).Error; err != nil {
					return nil, fmt.Errorf("find traces in %s.%s: %w", table, col.Name(), err)
				}
				if n > 0 {
					out = append(out, Trace{Table: table, Column: col.Name(), Rows: n})
				}
			}
		}
	}
	return out, nil
}

// textType reports whether a column of this database type can hold text.
func textType(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "char") || strings.Contains(n, "text") || strings.Contains(n, "json") || n == "clob"
}

// quoteIdent quotes a table or column name; the names come from the database itself.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
