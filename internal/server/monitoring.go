package server

import (
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"medborgarlofte/internal/lofte"
)

// monitor holds the figures GET /metrics gives a monitoring system (Prometheus text format).
// They are about the service only: no label carries what people answered, a basort, a token
// or anything else that tells one device from another.
type monitor struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	ingested  *prometheus.CounterVec
	suspect   prometheus.Counter
	batches   prometheus.Histogram
	kiosk429s prometheus.Counter
}

// newMonitor registers the server's own figures, the Go runtime's, the process's and extra
// (the database's size and the last backup, which cmd's serve knows about).
func newMonitor(reportJobs func() int, extra ...prometheus.Collector) (*monitor, error) {
	m := &monitor{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "medborgarlofte_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status."}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "medborgarlofte_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method, route pattern and status.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"method", "route", "status"}),
		ingested: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "medborgarlofte_answers_ingested_total",
			Help: "Survey answers stored from kiosks (created) or recognised as a retry of a stored one (duplicate)."},
			[]string{"result"}),
		suspect: prometheus.NewCounter(prometheus.CounterOpts{Name: "medborgarlofte_answers_suspect_total",
			Help: "Answers set aside as suspect, when stored or later (kept out of the figures until an officer decides)."}),
		batches: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "medborgarlofte_ingest_batch_size",
			Help:    "Answers per stored kiosk upload.",
			Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200, 500}}),
		kiosk429s: prometheus.NewCounter(prometheus.CounterOpts{Name: "medborgarlofte_kiosk_rejected_total",
			Help: "Kiosk uploads refused with 429 (too many at once); the kiosk keeps them and retries."}),
	}
	jobs := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "medborgarlofte_report_jobs_running",
		Help: "BRÅ workbooks being written now."}, func() float64 { return float64(reportJobs()) })
	cs := []prometheus.Collector{m.requests, m.latency, m.ingested, m.suspect, m.batches, m.kiosk429s, jobs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})}
	for _, c := range append(cs, extra...) {
		if err := m.reg.Register(c); err != nil {
			return nil, err
		}
	}
	// Zero series, so a rate() over them works before the first answer arrives.
	m.ingested.WithLabelValues(lofte.ResultCreated)
	m.ingested.WithLabelValues(lofte.ResultDuplicate)
	return m, nil
}

// methodLabel keeps the method label to the methods the app serves, so a client sending
// made-up methods cannot grow the number of series.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// observe counts every request by its route pattern (never the path, which may hold a
// basort's name) and status, and times it; a kiosk upload refused with 429 is counted apart.
func (s *Server) observe() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "(unmatched)"
		}
		status := c.Writer.Status()
		labels := []string{methodLabel(c.Request.Method), route, strconv.Itoa(status)}
		s.mon.requests.WithLabelValues(labels...).Inc()
		s.mon.latency.WithLabelValues(labels...).Observe(time.Since(start).Seconds())
		if status == http.StatusTooManyRequests && isAnswerPost(c) {
			s.mon.kiosk429s.Inc()
		}
	}
}

// ingestedUpload counts one stored upload of rs: its size, what became of each answer, and
// the answers set aside: new ones stored as suspect (a retry of a stored one is not counted
// again) and earlier ones of the device that flags set aside now.
func (m *monitor) ingestedUpload(rs []*lofte.Response, results []lofte.IngestResult, flags []lofte.SuspectFlag) {
	m.batches.Observe(float64(len(results)))
	created := map[string]bool{}
	for _, r := range results {
		m.ingested.WithLabelValues(r.Result).Inc()
		if r.Result == lofte.ResultCreated {
			created[r.ID] = true
		}
	}
	counted := map[string]bool{}
	for _, r := range rs {
		counted[r.ID] = true
		if r.Suspect && created[r.ID] {
			m.suspect.Inc()
		}
	}
	for _, f := range flags {
		if !counted[f.ResponseID] {
			counted[f.ResponseID] = true
			m.suspect.Inc()
		}
	}
}

func (s *Server) registerMonitoringRoutes() {
	h := promhttp.HandlerFor(s.mon.reg, promhttp.HandlerOpts{ErrorLog: promLog{s}})
	s.route(http.MethodGet, "/metrics", func(c *gin.Context) error {
		id := lofte.IdentityFrom(c.Request.Context())
		switch {
		case mayScrape(id, c.Request):
		case id.Anonymous():
			return &lofte.Error{Code: lofte.EUNAUTHORIZED, Message: "en admins token krävs, eller en begäran från den här datorn"}
		default:
			return &lofte.Error{Code: lofte.EFORBIDDEN, Message: "övervakningens siffror läses med en admins token"}
		}
		h.ServeHTTP(c.Writer, c.Request)
		return nil
	})
}

// promLog sends promhttp's errors (a collector that failed) to the server's log.
type promLog struct{ s *Server }

func (l promLog) Println(v ...any) { l.s.log.Warn("metrics", "err", v) }

// fromLoopback reports whether a request came straight from this machine: its peer is a
// loopback address and it carries no forwarding header. A request through a reverse proxy on
// the same machine has a loopback peer too, but the proxy says whom it forwards for, and
// such a request is the outside client's, not this machine's.
func fromLoopback(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil || !ap.Addr().Unmap().IsLoopback() {
		return false
	}
	for _, h := range []string{"X-Forwarded-For", "X-Real-Ip", "Forwarded", "X-Forwarded-Host"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return true
}
