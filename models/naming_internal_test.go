package models

import (
	"testing"

	"gorm.io/gorm/schema"
)

// The remembered names are gorm's own, the first time and every time after.
func TestRememberedNamesAreGormsNames(t *testing.T) {
	t.Parallel()
	var gorms schema.NamingStrategy
	ours := rememberedNames{}
	for _, name := range []string{"Registration", "Session", "AuditEntry", "Person", "Category", "Status", "Child", "Quiz", "SessionSlot", "APIToken"} {
		for range 2 {
			if got, want := ours.TableName(name), gorms.TableName(name); got != want {
				t.Errorf("TableName(%q) = %q, want gorm's %q", name, got, want)
			}
			if got, want := ours.JoinTableName(name), gorms.JoinTableName(name); got != want {
				t.Errorf("JoinTableName(%q) = %q, want gorm's %q", name, got, want)
			}
			if got, want := ours.SchemaName(gorms.TableName(name)), gorms.SchemaName(gorms.TableName(name)); got != want {
				t.Errorf("SchemaName(%q) = %q, want gorm's %q", gorms.TableName(name), got, want)
			}
		}
	}
	if got := ours.TableName("AuditEntry"); got != "audit_entries" {
		t.Errorf(`TableName("AuditEntry") = %q, want "audit_entries"`, got)
	}
}
