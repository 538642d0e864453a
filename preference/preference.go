// Package preference runs signing up by preference (issue #19) on the store: it reads a
// venue's rankings, allocates them with package allocation, and writes the seats, the
// waiting lists, the report and the result e-mails back in one transaction.
package preference
