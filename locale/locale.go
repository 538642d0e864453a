// Package locale holds Dagplanner's message catalogues (Dutch first, English
// second), language negotiation and date formatting in an event's time zone
// (Europe/Amsterdam by default).
package locale

import (
	"embed"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Lang is a supported interface language, identified by its ISO 639-1 code.
type Lang string

// The supported interface languages.
const (
	// Dutch is the default interface language.
	Dutch Lang = "nl"
	// English is the second interface language.
	English Lang = "en"
)

// Supported lists the interface languages in order of preference, Dutch first.
var Supported = []Lang{Dutch, English}

// tags maps each supported language to its language tag, in the same order as Supported.
var tags = []language.Tag{language.Dutch, language.English}

// Parse reports the supported language named by s ("nl", "EN", "en-GB", "nl_NL"), or false if there is none.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	for _, l := range Supported {
		if s == string(l) {
			return l, true
		}
	}
	return "", false
}

//go:embed nl.toml en.toml
var files embed.FS

// parsed is the result of parsing the embedded catalogues; it is computed once
// and shared (read-only) by every Catalog.
type parsed struct {
	bundle *goi18n.Bundle
	keys   map[Lang][]string
	has    map[Lang]map[string]bool
}

var parseOnce = sync.OnceValues(parseFiles)

func parseFiles() (*parsed, error) {
	b := goi18n.NewBundle(language.Dutch)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	p := &parsed{
		bundle: b,
		keys:   make(map[Lang][]string, len(Supported)),
		has:    make(map[Lang]map[string]bool, len(Supported)),
	}
	for _, l := range Supported {
		name := string(l) + ".toml"
		buf, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("locale: read %s: %w", name, err)
		}
		mf, err := b.ParseMessageFileBytes(buf, name)
		if err != nil {
			return nil, fmt.Errorf("locale: parse %s: %w", name, err)
		}
		keys := make([]string, 0, len(mf.Messages))
		has := make(map[string]bool, len(mf.Messages))
		for _, m := range mf.Messages {
			keys = append(keys, m.ID)
			has[m.ID] = true
		}
		sort.Strings(keys)
		p.keys[l] = keys
		p.has[l] = has
	}
	return p, nil
}

// Catalog holds the parsed message catalogues for all supported languages and records missing keys.
type Catalog struct {
	p           *parsed
	matcher     language.Matcher
	translators map[Lang]*Translator

	mu      sync.Mutex
	missing map[string]struct{}
}

// Load returns a Catalog built from the embedded nl.toml and en.toml, which are parsed only once per process.
func Load() (*Catalog, error) {
	p, err := parseOnce()
	if err != nil {
		return nil, err
	}
	c := &Catalog{
		p:           p,
		matcher:     language.NewMatcher(tags),
		translators: make(map[Lang]*Translator, len(Supported)),
		missing:     make(map[string]struct{}),
	}
	for _, l := range Supported {
		c.translators[l] = &Translator{
			c:         c,
			lang:      l,
			localizer: goi18n.NewLocalizer(p.bundle, string(l)),
		}
	}
	return c, nil
}

// Negotiate picks the interface language: the cookie if it names a supported
// language, else the best match for the Accept-Language header, else Dutch.
func (c *Catalog) Negotiate(cookie, acceptLanguage string) Lang {
	if l, ok := Parse(cookie); ok {
		return l
	}
	if strings.TrimSpace(acceptLanguage) == "" {
		return Dutch
	}
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return Dutch
	}
	_, i, conf := c.matcher.Match(prefs...)
	if conf == language.No || i < 0 || i >= len(Supported) {
		return Dutch
	}
	return Supported[i]
}

// Translator returns the translator for l, falling back to Dutch for an unsupported language.
func (c *Catalog) Translator(l Lang) *Translator {
	if t, ok := c.translators[l]; ok {
		return t
	}
	return c.translators[Dutch]
}

// Keys returns the sorted message keys defined for l (nil for an unsupported language).
func (c *Catalog) Keys(l Lang) []string {
	return append([]string(nil), c.p.keys[l]...)
}

// Missing returns the sorted, de-duplicated keys that were requested through T but not found, as "lang:key".
func (c *Catalog) Missing() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.missing))
	for k := range c.missing {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (c *Catalog) recordMissing(l Lang, key string) {
	c.mu.Lock()
	c.missing[string(l)+":"+key] = struct{}{}
	c.mu.Unlock()
}

// Translator renders messages and dates in one language; it is safe for concurrent use.
type Translator struct {
	c         *Catalog
	lang      Lang
	localizer *goi18n.Localizer
	// zone is where dates and times are shown; nil is DefaultZone (see In).
	zone *time.Location
}

// Lang returns the translator's language.
func (t *Translator) Lang() Lang { return t.lang }

// T renders the message key with args given as alternating name/value pairs
// (an argument named "Count" also selects the plural form); a missing key
// renders as "[key]" and is recorded in the Catalog's Missing list.
func (t *Translator) T(key string, args ...any) string {
	s, err := t.render(key, args...)
	if err != nil {
		var nf *goi18n.MessageNotFoundErr
		if errors.As(err, &nf) || s == "" {
			return "[" + key + "]"
		}
	}
	return s
}

// errNoValue reports that a template referred to data that was not supplied.
var errNoValue = errors.New("template data missing a value")

// render is T with the error exposed; tests use it to check every message renders.
func (t *Translator) render(key string, args ...any) (string, error) {
	if !t.c.p.has[t.lang][key] {
		t.c.recordMissing(t.lang, key)
		return "", &goi18n.MessageNotFoundErr{Tag: language.Make(string(t.lang)), MessageID: key}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: key}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			name, ok := args[i].(string)
			if !ok {
				name = fmt.Sprint(args[i])
			}
			data[name] = args[i+1]
			if name == "Count" {
				cfg.PluralCount = pluralCount(args[i+1])
			}
		}
		cfg.TemplateData = data
	}
	s, err := t.localizer.Localize(cfg)
	if err == nil && strings.Contains(s, "<no value>") {
		err = fmt.Errorf("locale: %s/%s: %w", t.lang, key, errNoValue)
	}
	return s, err
}

// pluralCount converts v to a type go-i18n accepts as a plural count.
func pluralCount(v any) any {
	switch n := v.(type) {
	case uint:
		return fmt.Sprint(n)
	case uint8:
		return int(n)
	case uint16:
		return int(n)
	case uint32:
		return int64(n)
	case uint64:
		return fmt.Sprint(n)
	case float32, float64:
		return fmt.Sprint(n)
	}
	return v
}

// Has reports whether the catalogue holds key in the translator's language: for a label made
// from data (an audit log's action), which falls back to the data itself when it has none.
func (t *Translator) Has(key string) bool { return t.c.p.has[t.lang][key] }
