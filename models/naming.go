package models

import (
	"sync"

	"gorm.io/gorm/schema"
)

// rememberedNames is gorm's default naming strategy with the names that need a plural or a
// singular remembered for the life of the process. gorm parses every model again for each
// *gorm.DB it opens, and each time it pluralises the model's name, which runs about a hundred
// regular expressions (jinzhu/inflection). A server opens one database and does not notice;
// the tests open hundreds, and under the race detector those expressions took an eighth of
// the store tests' CPU. The strategy has no prefix or options, so a name maps to one answer.
type rememberedNames struct {
	schema.NamingStrategy
}

var tableNames, joinTableNames, schemaNames sync.Map // string → string

func (n rememberedNames) TableName(name string) string {
	return remembered(&tableNames, name, n.NamingStrategy.TableName)
}

func (n rememberedNames) JoinTableName(name string) string {
	return remembered(&joinTableNames, name, n.NamingStrategy.JoinTableName)
}

func (n rememberedNames) SchemaName(table string) string {
	return remembered(&schemaNames, table, n.NamingStrategy.SchemaName)
}

// remembered returns derive(name), derived once per name.
func remembered(memo *sync.Map, name string, derive func(string) string) string {
	if v, ok := memo.Load(name); ok {
		return v.(string)
	}
	v := derive(name)
	memo.Store(name, v)
	return v
}
