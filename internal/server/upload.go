package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

// errNoUpload and errUploadTooLarge are why readUpload has no file to give; each form says
// so in its own words.
var (
	errNoUpload       = errors.New("no file uploaded")
	errUploadTooLarge = errors.New("uploaded file too large")
)

// readUpload is the file sent in the form's field, at most limit bytes: errNoUpload without
// one, errUploadTooLarge when larger, and a body over the request's limit its
// http.MaxBytesError (a 413).
func readUpload(c *gin.Context, field string, limit int64) ([]byte, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, err
		}
		return nil, errNoUpload
	}
	if fh.Size > limit {
		return nil, errUploadTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return nil, fmt.Errorf("read upload %s: %w", field, err)
	}
	return data, nil
}
