package pdf

import (
	"fmt"
	"io"
)

// output writes the finished document to w in one Write, so an error never leaves half a
// PDF behind.
func output(c *Doc, w io.Writer, what string) error {
	var file finishedFile
	if err := c.pdf.Output(&file); err != nil {
		return fmt.Errorf("render %s: %w", what, err)
	}
	pdf, err := tagSubset(file.b)
	if err != nil {
		return fmt.Errorf("render %s: %w", what, err)
	}
	if pdf, err = addToCatalog(pdf, c.catalogEntries()); err != nil {
		return fmt.Errorf("render %s: %w", what, err)
	}
	if _, err := w.Write(pdf); err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	return nil
}

// finishedFile takes the finished PDF from gofpdf without copying it. Output hands over its
// whole buffer in one Write (bytes.Buffer.WriteTo) and the document is never used again,
// so keeping the slice is safe, although io.Writer asks writers not to. At 25,000 people
// the copy was an 18 MB buffer grown by doubling: a fifth of the door list's time.
type finishedFile struct{ b []byte }

func (f *finishedFile) Write(p []byte) (int, error) {
	if f.b == nil {
		f.b = p
	} else {
		f.b = append(f.b[:len(f.b):len(f.b)], p...) // never into gofpdf's spare capacity
	}
	return len(p), nil
}
