package templates

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"sync"
)

// Asset is one static file, read, fingerprinted and compressed once at start-up.
type Asset struct {
	// Name is the file's path under static/ ("vendor/utrecht/index.css").
	Name string
	// URL is the fingerprinted address, the content hash before the extension
	// ("/static/vendor/utrecht/index.3a7ecff64aed.css"); it never serves other bytes.
	URL         string
	ContentType string
	// Hash is the hex sha256 of Body.
	Hash string
	Body []byte
	// Gzip is Body gzip-compressed, or nil where compression does not pay (images).
	Gzip []byte
}

// Assets are the static files by name and by fingerprinted URL.
type Assets struct {
	byName map[string]*Asset
	byURL  map[string]*Asset
}

var loadAssets = sync.OnceValues(func() (*Assets, error) { return newAssets(Static()) })

// StaticAssets returns the embedded static files, prepared on the first call: the embedded
// files never change while the process runs.
func StaticAssets() (*Assets, error) { return loadAssets() }

// newAssets reads, hashes and compresses every file of fsys.
func newAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{byName: map[string]*Asset{}, byURL: map[string]*Asset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		as := &Asset{Name: p, Body: body, Hash: hex.EncodeToString(sum[:]), ContentType: contentType(p)}
		ext := path.Ext(p)
		as.URL = "/static/" + strings.TrimSuffix(p, ext) + "." + as.Hash[:12] + ext
		if compressible(as.ContentType) {
			if as.Gzip, err = gzipped(body); err != nil {
				return fmt.Errorf("compress %s: %w", p, err)
			}
		}
		a.byName[p] = as
		a.byURL[as.URL] = as
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("prepare static files: %w", err)
	}
	return a, nil
}

// URL gives the fingerprinted address of the static file name ("site.css").
func (a *Assets) URL(name string) (string, error) {
	as, ok := a.byName[strings.TrimPrefix(name, "/static/")]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return as.URL, nil
}

// Lookup finds the file a request path under /static/ names: a fingerprinted URL (immutable
// is then true) or the plain name ("/static/site.css"), which old pages and offline copies
// may still ask for. Directories and unknown names are not found.
func (a *Assets) Lookup(urlPath string) (as *Asset, immutable, ok bool) {
	if as, ok = a.byURL[urlPath]; ok {
		return as, true, true
	}
	as, ok = a.byName[strings.TrimPrefix(urlPath, "/static/")]
	return as, false, ok
}

var staticRef = regexp.MustCompile(`"/static/([^"?#]+)"`)

// Rewrite replaces every quoted plain static address in text ("/static/site.css") with its
// fingerprinted URL, for files the server fills in when it serves them (the door's service
// worker and manifest). Unknown names stay as they are.
func (a *Assets) Rewrite(text []byte) []byte {
	return staticRef.ReplaceAllFunc(text, func(m []byte) []byte {
		if as, ok := a.byName[string(m[len(`"/static/`):len(m)-1])]; ok {
			return []byte(`"` + as.URL + `"`)
		}
		return m
	})
}

// staticURL is the templates' {{static "site.css"}}.
func staticURL(name string) (string, error) {
	a, err := StaticAssets()
	if err != nil {
		return "", err
	}
	return a.URL(name)
}

// contentTypes names the types of the files we ship; anything else is served as bytes.
var contentTypes = map[string]string{
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".wasm":        "application/wasm",
	".png":         "image/png",
	".svg":         "image/svg+xml",
	".ico":         "image/x-icon",
	".md":          "text/markdown; charset=utf-8",
	".LICENSE":     "text/plain; charset=utf-8",
}

func contentType(name string) string {
	if ct, ok := contentTypes[path.Ext(name)]; ok {
		return ct
	}
	return "application/octet-stream"
}

// compressible reports whether gzip shrinks files of this type: text and WebAssembly do,
// PNG images are compressed already.
func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || ct == "application/wasm" ||
		ct == "image/svg+xml" || ct == "image/x-icon"
}

func gzipped(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if buf.Len() >= len(b) {
		return nil, nil
	}
	return buf.Bytes(), nil
}
