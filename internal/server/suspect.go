package server

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

func (s *Server) registerSuspectRoutes() {
	s.route(http.MethodGet, "/api/v1/stops/:id/suspect", s.handleSuspectList)
	s.route(http.MethodPost, "/api/v1/stops/:id/suspect/:response_id", s.handleSuspectReview)
	s.route(http.MethodPost, "/field/:id/suspect/:response_id", s.handleFieldSuspectReview)
}

// handleSuspectList lists a stop's answers that were set aside, reviewed ones included.
func (s *Server) handleSuspectList(c *gin.Context) error {
	st, err := s.stopParam(c)
	if err != nil {
		return err
	}
	as, err := s.store.FindSuspectAnswers(c.Request.Context(), st.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"stop_id": st.ID, "suspect": as})
	return nil
}

// handleSuspectReview releases a suspect answer into the figures or confirms it stays out:
// {"action":"release"|"confirm"}.
func (s *Server) handleSuspectReview(c *gin.Context) error {
	var in struct {
		Action lofte.SuspectDecision `json:"action"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := s.reviewSuspect(c, in.Action)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"suspect": a})
	return nil
}

// handleFieldSuspectReview is the field page's Släpp and Bekräfta buttons.
func (s *Server) handleFieldSuspectReview(c *gin.Context) error {
	a, err := s.reviewSuspect(c, lofte.SuspectDecision(c.PostForm("action")))
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/field/"+strconv.FormatInt(a.StopID, 10)+"#satta-at-sidan")
	return nil
}

func (s *Server) reviewSuspect(c *gin.Context, d lofte.SuspectDecision) (*lofte.SuspectAnswer, error) {
	st, err := s.stopParam(c)
	if err != nil {
		return nil, err
	}
	ctx := c.Request.Context()
	a, err := s.store.ReviewSuspect(ctx, st.ID, c.Param("response_id"),
		lofte.SuspectReview{Decision: d, By: lofte.IdentityFrom(ctx).Name, At: s.now()})
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "suspect answer reviewed", "stop_id", st.ID, "action", string(d))
	return a, nil
}

// stopParam is the stop named by the path's :id.
func (s *Server) stopParam(c *gin.Context) (*lofte.Stop, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	return s.store.FindStopByID(c.Request.Context(), id)
}

// judgeSuspect marks the suspect answers of a batch one kiosk sent (lofte.MarkSuspect; the
// store judges the stop's hours) and returns the stored answers of the same device to set
// aside with them. It holds the device's memory until done is called with whether the store
// accepted the batch, so that two requests of one tablet are judged one after the other.
func (s *Server) judgeSuspect(tokenID int64, inputs []responseInput, rs []*lofte.Response) (
	flags []lofte.SuspectFlag, done func(stored bool)) {
	at := make([]time.Time, len(inputs))
	batch := make([]lofte.DeviceAnswer, len(inputs))
	for i, in := range inputs {
		at[i] = *in.AnsweredAt
		batch[i] = lofte.DeviceAnswer{ID: in.ID, At: at[i]}
	}
	now := s.now()
	s.recent.sweep(now)
	log := s.recent.device(tokenID)
	log.mu.Lock()
	log.prune(now)
	for _, id := range lofte.MarkSuspect(rs, at, &log.history) {
		flags = append(flags, lofte.SuspectFlag{ResponseID: id, Reason: lofte.ReasonTooFast})
	}
	return flags, func(stored bool) {
		if stored {
			log.add(batch, now)
		}
		log.mu.Unlock()
	}
}

// recentAnswers is the server's short memory of each kiosk's answers: the device's exact
// completion times, which the too-fast rule compares a new answer with, and the answers' ids,
// so that an earlier answer can be set aside too.
//
// It lives in this process's memory only. The stored response keeps the date and hour and
// nothing of the device (docs/survey.md, privacy); a table of (token, exact time, response)
// would tie every answer to its tablet and its minute in the database file, its WAL and every
// backup taken while the rows lived, however soon they were purged. Memory is never written,
// exported or backed up, and an entry goes after recentLife. What it costs: after a restart
// a device's first answers are judged without its earlier ones, a gap an abuser cannot
// choose, and outside_hours does not depend on memory at all.
type recentAnswers struct {
	mu      sync.Mutex
	devices map[int64]*deviceLog
	swept   time.Time
}

// recentLife is how long an answer is remembered after it arrived: a tablet sends its queue
// in one go when the network is back, so two close answers arrive within minutes of each
// other; a day covers a tablet offline overnight.
const recentLife = 24 * time.Hour

// recentMax bounds the memory of one device. An honest tablet sends a few hundred answers a
// day; past the bound the oldest arrivals are forgotten first.
const recentMax = 20_000

// deviceLog is one kiosk's remembered answers: in order of completion for judging, and in
// order of arrival for forgetting.
type deviceLog struct {
	mu      sync.Mutex
	history lofte.DeviceHistory
	// arrivals lists the remembered answers' ids as they arrived, oldest first from head.
	arrivals []arrival
	head     int
}

type arrival struct {
	lofte.DeviceAnswer
	arrived time.Time
}

// device returns the log of a token, sweeping every device's expired entries once an hour so
// that a tablet gone quiet is forgotten too. Logs are never removed from the map (a handful
// of tokens), so a request never writes into one no longer listed.
func (r *recentAnswers) device(tokenID int64) *deviceLog {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.devices == nil {
		r.devices = map[int64]*deviceLog{}
	}
	l, ok := r.devices[tokenID]
	if !ok {
		l = &deviceLog{}
		r.devices[tokenID] = l
	}
	return l
}

// sweep forgets every device's answers older than recentLife.
func (r *recentAnswers) sweep(now time.Time) {
	r.mu.Lock()
	if now.Sub(r.swept) < time.Hour {
		r.mu.Unlock()
		return
	}
	r.swept = now
	logs := make([]*deviceLog, 0, len(r.devices))
	for _, l := range r.devices {
		logs = append(logs, l)
	}
	r.mu.Unlock()
	for _, l := range logs {
		// A device busy with a request prunes its own log.
		if l.mu.TryLock() {
			l.prune(now)
			l.mu.Unlock()
		}
	}
}

// prune forgets what arrived more than recentLife ago and what exceeds recentMax.
func (l *deviceLog) prune(now time.Time) {
	for l.head < len(l.arrivals) && (now.Sub(l.arrivals[l.head].arrived) > recentLife || len(l.arrivals)-l.head > recentMax) {
		l.history.Forget(l.arrivals[l.head].ID)
		l.head++
	}
	if l.head > len(l.arrivals)/2 {
		l.arrivals = append(l.arrivals[:0], l.arrivals[l.head:]...)
		l.head = 0
	}
}

// add remembers a stored batch. A resent answer is remembered from its first arrival.
func (l *deviceLog) add(batch []lofte.DeviceAnswer, now time.Time) {
	for _, a := range batch {
		if l.history.Add(a) {
			l.arrivals = append(l.arrivals, arrival{a, now})
		}
	}
	l.prune(now)
}
