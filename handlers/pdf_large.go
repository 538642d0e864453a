package handlers

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// sendLargePDF answers with a PDF whose pages are not compressed inside (the paper door list:
// see tickets.Renderer.DoorList), gzipped on the way out when the client accepts it. The
// renderer writes the finished file in one Write only once it is complete (tickets.output),
// so that Write goes straight to the client: an error before it still leaves nothing on the
// wire, and the 18 MB of a 25,000-person list is not copied into a buffer of our own.
func (h *Handler) sendLargePDF(c *gin.Context, filename string, render func(io.Writer) error) {
	w := &wholeFileResponse{c: c, filename: filename}
	if err := render(w); err != nil && !w.started {
		h.serverError(c, err)
	}
}

// wholeFileResponse sends the PDF handed to its single Write as the answer.
type wholeFileResponse struct {
	c        *gin.Context
	filename string
	started  bool
}

func (r *wholeFileResponse) Write(pdf []byte) (int, error) {
	if r.started {
		return 0, errors.New("the PDF came in more than one write") // tickets.output writes once
	}
	r.started = true
	c := r.c
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", r.filename))
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "application/pdf")
	c.Writer.Header().Add("Vary", "Accept-Encoding")
	if !acceptsGzip(c.GetHeader("Accept-Encoding")) {
		c.Header("Content-Length", strconv.Itoa(len(pdf)))
		c.Status(http.StatusOK)
		return c.Writer.Write(pdf)
	}
	c.Header("Content-Encoding", "gzip")
	c.Status(http.StatusOK)
	zw, _ := gzip.NewWriterLevel(c.Writer, gzip.BestSpeed) // the level is valid
	if _, err := zw.Write(pdf); err != nil {
		return 0, err // the client went away
	}
	return len(pdf), zw.Close()
}
