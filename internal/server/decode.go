package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

// idParam reads the :id of the path (pathID).
func idParam(c *gin.Context) (int64, error) { return pathID(c, "id") }

// pathID reads a numeric id from the path parameter name. An id that is not a positive whole
// number names nothing, so it is a 404 like any other path that leads nowhere, not a 400.
func pathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNoSuchPath()
	}
	return id, nil
}

// errNoSuchPath is the answer to a path that names nothing.
func errNoSuchPath() error { return lofte.NotFound("sidan eller resursen finns inte") }

// readBody reads the whole request body, refusing an empty one; an oversize body surfaces as
// the MaxBytesError the body limit set up, which writeError turns into 413.
func readBody(c *gin.Context) ([]byte, error) {
	if c.Request.Body == nil {
		return nil, lofte.Invalid("", "begäran saknar innehåll")
	}
	b, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, err
		}
		return nil, lofte.Invalid("", "kunde inte läsa begäran")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, lofte.Invalid("", "begäran saknar innehåll")
	}
	return b, nil
}

// decodeJSON reads the request's body and decodes it strictly into v.
func decodeJSON(c *gin.Context, v any) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	return decodeStrict(b, v)
}

// decodeStrict decodes one JSON value into v: unknown fields, trailing data and wrong types
// are a 400 naming the field.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return lofte.Invalid("", "oväntat innehåll efter JSON-värdet")
	}
	return nil
}

// jsonError turns a decoding error into a domain error that names the field when it can.
func jsonError(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return lofte.Invalid("", "begäran är inte giltig JSON")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return lofte.Invalid("", "fel JSON-typ: väntade ett objekt")
		}
		f := jsonPath(typ.Field)
		return lofte.Invalid(f, "fel typ för %s: väntade %s", f, typ.Type.String())
	}
	msg := err.Error()
	// encoding/json has no typed error for unknown fields; its message is stable.
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		f = strings.Trim(f, `"`)
		return lofte.Invalid(f, "okänt fält %q", f)
	}
	var le *lofte.Error
	if errors.As(err, &le) {
		return le
	}
	return lofte.Invalid("", "ogiltigt värde: %s", strings.TrimPrefix(msg, "json: "))
}

// jsonPath is the path of a field as the client wrote it. encoding/json also names the embedded
// structs a field was promoted from, by their Go names ("logFields.staff" for "staff"); our
// JSON names are snake_case and Go's have capitals, so a segment with a capital is dropped.
func jsonPath(field string) string {
	segs := strings.Split(field, ".")
	kept := segs[:0]
	for _, seg := range segs {
		if strings.ToLower(seg) == seg {
			kept = append(kept, seg)
		}
	}
	return strings.Join(kept, ".")
}
