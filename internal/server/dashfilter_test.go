package server_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"medborgarlofte/internal/lofte"
)

// TestDashboardFilterMistakes: a filter the dashboard refuses is shown on the dashboard
// itself (400), with the form as it was sent, the field named as the form names it, marked
// invalid, no figures and a way on; never a page of parameter names.
func TestDashboardFilterMistakes(t *testing.T) {
	e := newEnv(t)
	fillDemo(t, e)
	for _, tt := range []struct {
		name, query, field, label, says, from, to string
	}{
		{"end before start", "from=2018-05&to=2018-03", "to", "Till månad", "ligger före Från månad", "2018-05", "2018-03"},
		{"cleared start", "from=&to=2018-03", "from", "Från månad", "välj en månad", "", "2018-03"},
		{"cleared end", "from=2018-02&to=", "to", "Till månad", "välj en månad", "2018-02", ""},
		{"not a month", "from=2018-13", "from", "Från månad", "ÅÅÅÅ-MM", "2018-13", ""},
		{"no basort", "basort=Atlantis", "basort", "Basort", "Atlantis", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, h, b := e.do(http.MethodGet, "/dashboard?"+tt.query, lofte.RoleCouncil, "")
			if status == http.StatusSeeOther { // months made days first, as the form's are
				status, _, b = e.do(http.MethodGet, h.Get("Location"), lofte.RoleCouncil, "")
			}
			if status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", status, b)
			}
			doc, err := html.Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			msg := byID(doc, "filter-error")
			if msg == nil {
				t.Fatalf("no mistake beside the form: %s", b)
			}
			if got := text(msg); !strings.HasPrefix(got, tt.label+":") || !strings.Contains(got, tt.says) {
				t.Errorf("mistake %q, want %s: …%s…", got, tt.label, tt.says)
			}
			for _, english := range []string{"from", "to ", "basort=", "compare"} {
				if strings.Contains(text(msg), english) {
					t.Errorf("mistake %q names a parameter (%q)", text(msg), english)
				}
			}
			field := byID(doc, tt.field)
			if inv, _ := attr(field, "aria-invalid"); inv != "true" {
				t.Errorf("field %s is not marked invalid", tt.field)
			}
			if tt.field != "basort" {
				if v, _ := attr(byID(doc, "from"), "value"); v != tt.from {
					t.Errorf("Från månad kept as %q, want %q", v, tt.from)
				}
				if v, _ := attr(byID(doc, "to"), "value"); v != tt.to {
					t.Errorf("Till månad kept as %q, want %q", v, tt.to)
				}
			}
			if byID(doc, "outcome-service") != nil || byID(doc, "chart-basorter") != nil {
				t.Error("figures shown for a filter that was refused")
			}
			if byID(doc, "no-figures") == nil {
				t.Error("no way on from the refused filter")
			}
		})
	}
}

// TestDashboardDownloadFollowsTheForm: the download button sends the form as it stands; the
// dashboard checks it and sends on to the report of exactly that filter, whose file name says
// the basort; a mistake stays on the dashboard.
func TestDashboardDownloadFollowsTheForm(t *testing.T) {
	e := newEnv(t)
	fillDemo(t, e)
	status, h, b := e.do(http.MethodGet, "/dashboard?from=2018-02&to=2018-03&basort=%C3%85hus&download=xlsx", lofte.RoleCouncil, "")
	if status == http.StatusSeeOther {
		status, h, b = e.do(http.MethodGet, h.Get("Location"), lofte.RoleCouncil, "")
	}
	if status != http.StatusSeeOther || h.Get("Location") != "/reports/bra.xlsx?basort=%C3%85hus&from=2018-02-01&to=2018-03-31" {
		t.Fatalf("download: %d to %q, want the report of the form's filter (%s)", status, h.Get("Location"), b)
	}
	status, h, b = e.do(http.MethodGet, h.Get("Location"), lofte.RoleCouncil, "")
	if status != http.StatusOK {
		t.Fatalf("report: %d %s", status, b)
	}
	if cd := h.Get("Content-Disposition"); cd != `attachment; filename="bra-Ahus-2018-02-01-2018-03-31.xlsx"; filename*=UTF-8''bra-%C3%85hus-2018-02-01-2018-03-31.xlsx` {
		t.Errorf("content disposition %q", cd)
	}
	status, h, _ = e.do(http.MethodGet, "/dashboard?from=2018-05-01&to=2018-03-31&download=xlsx", lofte.RoleCouncil, "")
	if status != http.StatusBadRequest || h.Get("Location") != "" {
		t.Errorf("a mistaken filter's download: %d to %q, want 400 on the dashboard", status, h.Get("Location"))
	}
}

// TestDashboardPrint: the printable summary has the four outcomes with their statuses and
// reasons, the key figures and two charts; it takes the dashboard's filter and roles.
func TestDashboardPrint(t *testing.T) {
	e := newEnv(t)
	fillDemo(t, e)
	for _, tt := range []struct {
		role   lofte.Role
		status int
	}{{lofte.RoleCouncil, 200}, {lofte.RoleOfficer, 200}, {lofte.RoleAdmin, 200}, {lofte.RoleKiosk, 403}, {"", 401}} {
		if status, _, _ := e.do(http.MethodGet, "/dashboard/print?from=2018-01-01&to=2018-12-31", tt.role, ""); status != tt.status {
			t.Errorf("%q: %d, want %d", tt.role, status, tt.status)
		}
	}
	status, h, _ := e.do(http.MethodGet, "/dashboard/print?from=2018-01&to=2018-02&basort=Tollarp", lofte.RoleCouncil, "")
	if status != http.StatusSeeOther || h.Get("Location") != "/dashboard/print?basort=Tollarp&from=2018-01-01&to=2018-02-28" {
		t.Errorf("months: %d to %q", status, h.Get("Location"))
	}
	status, _, b := e.do(http.MethodGet, "/dashboard/print?from=2018-01-01&to=2018-12-31", lofte.RoleCouncil, "")
	if status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"service", "legitimacy", "safety", "dialogue"} {
		o := byID(doc, "outcome-"+code)
		if o == nil || !strings.Contains(text(o), ":") || strings.Count(text(o), "Status och skäl") != 1 {
			t.Errorf("outcome %s missing or without its status and reasons", code)
		}
	}
	for _, id := range []string{"kf-responses", "kf-delivery_rate", "chart-basorter", "chart-trend"} {
		if byID(doc, id) == nil {
			t.Errorf("the summary lacks %s", id)
		}
	}
	if r, _ := attr(byID(doc, "chart-trend"), "data-renderer"); r != "svg" {
		t.Errorf("the charts are drawn with %q, want svg for paper", r)
	}
	if status, _, _ := e.do(http.MethodGet, "/dashboard/print?from=2018-05-01&to=2018-03-31", lofte.RoleCouncil, ""); status != 400 {
		t.Errorf("a mistaken filter: %d, want 400", status)
	}
	// The dashboard links to it with the same filter.
	dash := dashboardDoc(t, e, "from=2018-03-01&to=2018-05-31&basort=Tollarp")
	if href, _ := attr(byID(dash, "print-link"), "href"); href != "/dashboard/print?basort=Tollarp&from=2018-03-01&to=2018-05-31" {
		t.Errorf("print link %q", href)
	}
}
