package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

func (s *Server) registerStopRoutes() {
	s.route(http.MethodGet, "/api/v1/stops", s.handleStops)
}

// stopJSON is a stop as the API shows it: times in Swedish local time, as product.md's example.
type stopJSON struct {
	ID           int64            `json:"id"`
	Basort       string           `json:"basort"`
	Place        string           `json:"place"`
	StartsAt     time.Time        `json:"starts_at"`
	EndsAt       time.Time        `json:"ends_at"`
	Kind         lofte.StopKind   `json:"kind"`
	Status       lofte.StopStatus `json:"status"`
	PublishedAt  *time.Time       `json:"published_at"`
	CancelReason string           `json:"cancel_reason"`
	ActualStart  *time.Time       `json:"actual_start"`
	ActualEnd    *time.Time       `json:"actual_end"`
	Staff        int              `json:"staff"`
	Visitors     int              `json:"visitors"`
	Contacts     lofte.Contacts   `json:"contacts"`
	Topics       []string         `json:"topics"`
	Notes        string           `json:"notes"`
}

func local(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	l := t.In(lofte.Zone)
	return &l
}

func toStopJSON(st *lofte.Stop) stopJSON {
	topics := st.Topics
	if topics == nil {
		topics = []string{}
	}
	return stopJSON{ID: st.ID, Basort: st.Basort, Place: st.Place, StartsAt: st.StartsAt.In(lofte.Zone),
		EndsAt: st.EndsAt.In(lofte.Zone), Kind: st.Kind, Status: st.Status, PublishedAt: local(st.PublishedAt),
		CancelReason: st.CancelReason, ActualStart: local(st.ActualStart), ActualEnd: local(st.ActualEnd),
		Staff: st.Staff, Visitors: st.Visitors, Contacts: st.Contacts, Topics: topics, Notes: st.Notes}
}

// handleStops lists stops; anonymous callers, kiosks and the council never see drafts.
func (s *Server) handleStops(c *gin.Context) error {
	ctx := c.Request.Context()
	p, err := s.store.ActivePromise(ctx)
	if err != nil {
		return err
	}
	f := lofte.StopFilter{PromiseID: p.ID, PublicOnly: !lofte.IdentityFrom(ctx).Role.Staff()}
	if f.From, err = dateParam(c, "from"); err != nil {
		return err
	}
	if f.To, err = dateParam(c, "to"); err != nil {
		return err
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		return lofte.Invalid("to", "to ligger före from")
	}
	if f.Basorter, err = s.basortParams(c, p.ID); err != nil {
		return err
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return lofte.Invalid("limit", "limit måste vara ett heltal 1–1000")
		}
		f.Limit = n
	}
	if v := c.Query("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return lofte.Invalid("offset", "offset måste vara ett heltal ≥ 0")
		}
		f.Offset = n
	}
	stops, total, err := s.store.FindStops(ctx, f)
	if err != nil {
		return err
	}
	out := make([]stopJSON, len(stops))
	for i, st := range stops {
		out[i] = toStopJSON(st)
	}
	c.JSON(http.StatusOK, gin.H{"stops": out, "total": total})
	return nil
}

// dateParam reads an optional YYYY-MM-DD query parameter.
func dateParam(c *gin.Context, name string) (*lofte.Date, error) {
	v, ok := c.GetQuery(name)
	if !ok {
		return nil, nil
	}
	d, err := lofte.ParseDate(v)
	if err != nil {
		return nil, lofte.Invalid(name, "datum måste skrivas ÅÅÅÅ-MM-DD")
	}
	return &d, nil
}

// basortParams reads repeated basort parameters and refuses unknown names.
func (s *Server) basortParams(c *gin.Context, promiseID int64) ([]string, error) {
	names := c.QueryArray("basort")
	if len(names) == 0 {
		return nil, nil
	}
	ls, err := s.store.FindLocalities(c.Request.Context(), promiseID)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, l := range ls {
		known[l.Name] = true
	}
	for _, n := range names {
		if !known[n] {
			return nil, lofte.Invalid("basort", "okänd ort %q", n)
		}
	}
	return names, nil
}
