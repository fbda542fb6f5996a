package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

// filterMistake is a mistake in the dashboard's filter, said beside the form with the form
// kept as it was sent: Field is the parameter ("to"), Label the field's name on the form
// ("Till månad").
type filterMistake struct {
	Field, Label, Message string
}

// filterLabels are the dashboard form's fields by parameter.
var filterLabels = map[string]string{"from": "Från månad", "to": "Till månad", "basort": "Basort", compareParam: "Jämför med"}

// mistakeIn turns a refusal of the dashboard's filter into what the form says about it; ok is
// false for any other error.
func mistakeIn(err error, q func(string) string) (filterMistake, bool) {
	e := lofte.AsError(err)
	if e == nil || e.Code != lofte.EINVALID || filterLabels[e.Field] == "" {
		return filterMistake{}, false
	}
	m := filterMistake{Field: e.Field, Label: filterLabels[e.Field], Message: e.Message}
	switch e.Field {
	case "from", "to":
		v := strings.TrimSpace(q(e.Field))
		from, ferr := lofte.ParseDate(q("from"))
		to, terr := lofte.ParseDate(q("to"))
		switch {
		case v == "":
			m.Message = "välj en månad."
		case e.Field == "to" && ferr == nil && terr == nil && to.Before(from):
			m.Message = "ligger före Från månad. Välj samma månad som Från månad eller en senare."
		case ferr != nil && e.Field == "from" || terr != nil && e.Field == "to":
			m.Message = "skriv månaden som ÅÅÅÅ-MM, till exempel 2018-03."
		}
	case compareParam:
		m.Message = "välj ett tidigare löfte i listan, eller Ingen jämförelse."
	}
	return m, true
}

// dashboardMistake shows the dashboard's form as it was sent, with the mistake beside the
// field it concerns and no figures (400): never a page without a way back. Errors that are
// no filter mistake are returned as they are.
func (s *Server) dashboardMistake(c *gin.Context, err error) error {
	m, ok := mistakeIn(err, c.Query)
	if !ok {
		return err
	}
	b := s.base(c, "Uppföljning av medborgarlöftet")
	p, perr := b.promised()
	if perr != nil {
		return err
	}
	ls, lerr := s.store.FindLocalities(c.Request.Context(), p.ID)
	if lerr != nil {
		return lerr
	}
	page, lerr := s.dashboardFrame(c, b, p, ls)
	if lerr != nil {
		return lerr
	}
	page.From, page.To, page.Basort, page.Mistake = monthOf(c.Query("from")), monthOf(c.Query("to")), c.Query("basort"), &m
	page.Compare, _ = strconv.ParseInt(c.Query(compareParam), 10, 64)
	s.render(c, http.StatusBadRequest, "dashboard", page)
	return nil
}

// monthOf is a date parameter as the month input shows it: "2018-03-01" → "2018-03"; a value
// that is no date is kept, so the person sees what they sent.
func monthOf(v string) string {
	if d, err := lofte.ParseDate(v); err == nil {
		return month(d)
	}
	return v
}

// downloadParam, sent by the dashboard's download button, asks for the report of the filter
// the form shows, once the dashboard has checked it.
const downloadParam = "download"

// reportFileName names the workbook by what it holds: "bra-Tollarp-2018-03-01-2018-05-31.xlsx",
// without a basort for the whole area.
func reportFileName(basort string, from, to lofte.Date) string {
	if basort == "" {
		return fmt.Sprintf("bra-%s-%s.xlsx", from, to)
	}
	return fmt.Sprintf("bra-%s-%s-%s.xlsx", basort, from, to)
}

// attachment is a Content-Disposition naming the file: a plain ASCII name as it is, any other
// with an ASCII stand-in ("Åhus" → "Ahus") and the exact name in UTF-8 (RFC 6266).
func attachment(name string) string {
	ascii := strings.Map(func(r rune) rune {
		switch r {
		case 'å', 'ä', 'á', 'à':
			return 'a'
		case 'Å', 'Ä', 'Á', 'À':
			return 'A'
		case 'ö', 'ø', 'ó':
			return 'o'
		case 'Ö', 'Ø', 'Ó':
			return 'O'
		case 'é', 'è':
			return 'e'
		case 'É', 'È':
			return 'E'
		}
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '/' {
			return '_'
		}
		return r
	}, name)
	cd := `attachment; filename="` + ascii + `"`
	if ascii != name {
		cd += "; filename*=UTF-8''" + pathEscape(name)
	}
	return cd
}

// pathEscape percent-encodes every byte outside RFC 5987's attr-char.
func pathEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
