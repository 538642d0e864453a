// Package architecture holds no code, only a test: it reads the imports of every package
// of the module and fails on an arrow between our own packages that the house does not
// allow, on HTTP in a package that must know none, and on Store.DB() outside models. The
// allowed arrows are the table in architecture_test.go; DEVELOPERS.md ("Architecture")
// explains them.
package architecture
