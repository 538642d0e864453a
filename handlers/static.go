package handlers

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// serveStatic answers /static/…: a fingerprinted URL may be kept for a year, a plain name
// ("/static/site.css") must be checked with its ETag on every use. Both come gzipped to
// clients that accept it. Directories are not listed: they are not found.
func (h *Handler) serveStatic(c *gin.Context) {
	as, immutable, ok := h.assets.Lookup(c.Request.URL.Path)
	if !ok {
		h.notFound(c)
		return
	}
	hdr := c.Writer.Header()
	hdr.Set("Content-Type", as.ContentType)
	// Static files do not depend on the language or the session, only on the encoding.
	hdr.Set("Vary", "Accept-Encoding")
	hdr.Del("Content-Language")
	if immutable {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	body, etag := as.Body, `"`+as.Hash[:32]+`"`
	if as.Gzip != nil && acceptsGzip(c.GetHeader("Accept-Encoding")) {
		body, etag = as.Gzip, `"`+as.Hash[:32]+`-gzip"`
		hdr.Set("Content-Encoding", "gzip")
	}
	hdr.Set("ETag", etag)
	http.ServeContent(c.Writer, c.Request, "", time.Time{}, bytes.NewReader(body))
}

// showFavicon answers browsers that ask for /favicon.ico before reading the page's icon link.
func (h *Handler) showFavicon(c *gin.Context) {
	c.Request.URL.Path = "/static/favicon.ico"
	h.serveStatic(c)
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip (and does not refuse it
// with q=0).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// gzipWriters are reused: each holds a compressor's tables, too big to make per page.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// writeCompressed answers with body, gzipped when the client accepts it and the page is
// big enough for it to pay (a programme page shrinks from 27 KB to 4 KB).
func writeCompressed(c *gin.Context, status int, body []byte) {
	c.Writer.Header().Add("Vary", "Accept-Encoding")
	if len(body) < 1024 || !acceptsGzip(c.GetHeader("Accept-Encoding")) {
		c.Status(status)
		c.Writer.Write(body)
		return
	}
	var out bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&out)
	if _, err := zw.Write(body); err != nil || zw.Close() != nil {
		c.Status(status)
		c.Writer.Write(body)
		return
	}
	c.Header("Content-Encoding", "gzip")
	c.Status(status)
	c.Writer.Write(out.Bytes())
}
