package modelstest

import (
	"fmt"
	"testing"

	"gorm.io/gorm"

	"github.com/ambtenaar20/dagplanner/models"
)

// This file gives the handler tests what they read and write behind the site's back — a
// proposal's status set as if reviewed, the rows a request wrote, a snapshot to compare —
// so that they need not reach into the store's database themselves (Store.DB()).

// Q selects rows: a condition with ? placeholders and its arguments, an order and a limit.
// The zero Q selects every row in the database's order.
type Q struct {
	where string
	args  []any
	order string
	limit int
}

// Where returns the Q of the rows matching cond, a SQL condition with ? placeholders for args.
func Where(cond string, args ...any) Q { return Q{where: cond, args: args} }

// OrderBy returns q with its rows in the order of the SQL order clause by ("id DESC").
func (q Q) OrderBy(by string) Q { q.order = by; return q }

// Limit returns q limited to its first n rows.
func (q Q) Limit(n int) Q { q.limit = n; return q }

// All is the Q of every row.
var All = Q{}

// apply narrows db to q's rows.
func (q Q) apply(db *gorm.DB) *gorm.DB {
	if q.where != "" {
		db = db.Where(q.where, q.args...)
	}
	if q.order != "" {
		db = db.Order(q.order)
	}
	if q.limit > 0 {
		db = db.Limit(q.limit)
	}
	return db
}

// String describes q for failure messages.
func (q Q) String() string {
	return fmt.Sprintf("where %q %v order %q limit %d", q.where, q.args, q.order, q.limit)
}

// table returns db on model: a model (a pointer to a struct) or a table's name.
func table(db *gorm.DB, model any) *gorm.DB {
	if name, ok := model.(string); ok {
		return db.Table(name)
	}
	return db.Model(model)
}

// Count returns the number of rows of model (a model or a table's name) that q selects.
func Count(t testing.TB, s *models.Store, model any, q Q) int64 {
	t.Helper()
	var n int64
	if err := q.apply(table(s.DB(), model)).Count(&n).Error; err != nil {
		t.Fatalf("count %T %s: %v", model, q, err)
	}
	return n
}

// Find loads the rows q selects into dst, a pointer to a slice of a model.
func Find(t testing.TB, s *models.Store, dst any, q Q) {
	t.Helper()
	if err := q.apply(s.DB()).Find(dst).Error; err != nil {
		t.Fatalf("find %T %s: %v", dst, q, err)
	}
}

// First loads the first row q selects (by primary key unless q orders) into dst, a pointer
// to a model; the error is gorm.ErrRecordNotFound when there is none.
func First(s *models.Store, dst any, q Q) error {
	return q.apply(s.DB()).First(dst).Error
}

// Rows returns the columns (a SQL select list) of the rows of the table that q selects, as
// maps, for snapshots to compare.
func Rows(t testing.TB, s *models.Store, table, columns string, q Q) []map[string]any {
	t.Helper()
	var rows []map[string]any
	if err := q.apply(s.DB().Table(table).Select(columns)).Find(&rows).Error; err != nil {
		t.Fatalf("rows of %s %s: %v", table, q, err)
	}
	return rows
}

// Insert stores rows (pointers to models) as they are, without the checks of the Store.
func Insert(t testing.TB, s *models.Store, rows ...any) {
	t.Helper()
	for _, row := range rows {
		if err := s.DB().Create(row).Error; err != nil {
			t.Fatalf("insert %T: %v", row, err)
		}
	}
}

// Update sets values (column → value; a gorm.Expr for a column's own SQL) on the rows of
// model that q selects, without the checks of the Store. A q without a condition updates
// every row.
func Update(t testing.TB, s *models.Store, model any, q Q, values map[string]any) {
	t.Helper()
	db := s.DB().Model(model)
	if q.where == "" {
		db = db.Where("1 = 1")
	}
	if err := q.apply(db).Updates(values).Error; err != nil {
		t.Fatalf("update %T %s: %v", model, q, err)
	}
}

// Set sets one column of the row of model with the given id, without the checks of the Store.
func Set(t testing.TB, s *models.Store, model any, id uint, column string, value any) {
	t.Helper()
	Update(t, s, model, Where("id = ?", id), map[string]any{column: value})
}

// Delete removes the rows of model that q selects, without the checks of the Store. A q
// without a condition removes every row.
func Delete(t testing.TB, s *models.Store, model any, q Q) {
	t.Helper()
	db := s.DB()
	if q.where == "" {
		db = db.Where("1 = 1")
	}
	if err := q.apply(db).Delete(model).Error; err != nil {
		t.Fatalf("delete %T %s: %v", model, q, err)
	}
}

// Analyze has PostgreSQL gather its table statistics now, as its autovacuum would soon
// after a bulk load; on SQLite it does nothing.
func Analyze(t testing.TB, s *models.Store) {
	t.Helper()
	if s.DB().Dialector.Name() != "postgres" {
		return
	}
	if err := s.DB().Exec("ANALYZE").Error; err != nil {
		t.Fatalf("analyze: %v", err)
	}
}
