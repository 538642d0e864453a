package models

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed" // the breached-password list
	"fmt"
	"slices"
	"strings"
	"sync"
)

// breachedGzip is the 100,000 most common passwords from breaches, one a line, most common
// first (see breached/NOTICE.md for where it comes from and its licence).
//
//go:embed breached/top-100000.txt.gz
var breachedGzip []byte

// breachedList is the list lower-cased, sorted and without repeats, read once on first use:
// a binary search in it takes microseconds, and it costs no start-up time when nobody sets a
// password.
var breachedList = sync.OnceValues(func() ([]string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(breachedGzip))
	if err != nil {
		return nil, fmt.Errorf("breached-password list: %w", err)
	}
	defer zr.Close()
	list := make([]string, 0, 100000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if line := strings.ToLower(sc.Text()); line != "" {
			list = append(list, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("breached-password list: %w", err)
	}
	slices.Sort(list)
	return slices.Compact(list), nil
})

// IsBreached reports whether password, in any mix of upper and lower case, is among the
// 100,000 most common passwords found in breaches.
func IsBreached(password string) bool {
	list, err := breachedList()
	if err != nil {
		// The list is embedded: it cannot fail to read unless the binary is broken, which
		// its tests catch. Refusing every password then would lock everyone out.
		return false
	}
	_, found := slices.BinarySearch(list, strings.ToLower(password))
	return found
}

// BreachedListSize is how many distinct (lower-cased) passwords the list holds.
func BreachedListSize() int {
	list, _ := breachedList()
	return len(list)
}
