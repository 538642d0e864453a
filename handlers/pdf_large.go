package handlers

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

// sendLargePDF answers with a PDF whose pages are not compressed inside (the paper door list:
// see tickets.Renderer.DoorList), gzipped on the way out when the client accepts it. It
// renders into a buffer first, like sendPDF, so an error never leaves half a PDF on the
// wire; the gzip stream then goes straight to the client without a second copy.
func (h *Handler) sendLargePDF(c *gin.Context, filename string, render func(io.Writer) error) {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		h.serverError(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "application/pdf")
	c.Writer.Header().Add("Vary", "Accept-Encoding")
	if !acceptsGzip(c.GetHeader("Accept-Encoding")) {
		c.Data(http.StatusOK, "application/pdf", buf.Bytes())
		return
	}
	c.Header("Content-Encoding", "gzip")
	c.Status(http.StatusOK)
	zw, _ := gzip.NewWriterLevel(c.Writer, gzip.BestSpeed) // the level is valid
	if _, err := zw.Write(buf.Bytes()); err != nil {
		return // the client went away
	}
	zw.Close()
}
