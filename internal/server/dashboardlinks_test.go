package server

import (
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

func TestDashboardLinks(t *testing.T) {
	from, to := lofte.Date{Year: 2018, Month: 3, Day: 1}, lofte.Date{Year: 2018, Month: 5, Day: 31}
	tests := []struct {
		name        string
		basort      string
		named       string
		compare     int64
		mayDownload bool
		wantPrint   string
		wantReport  string
	}{
		{"whole area", "", "", 0, true,
			"/dashboard/print?from=2018-03-01&to=2018-05-31", "/reports/bra.xlsx?from=2018-03-01&to=2018-05-31"},
		{"one basort of a named promise, compared", "Åhus", "2", 1, true,
			"/dashboard/print?basort=%C3%85hus&from=2018-03-01&promise=2&to=2018-05-31",
			"/reports/bra.xlsx?basort=%C3%85hus&compare=1&from=2018-03-01&promise=2&to=2018-05-31"},
		{"no report for whom may not download it", "Åhus", "", 1, false,
			"/dashboard/print?basort=%C3%85hus&from=2018-03-01&to=2018-05-31", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := metrics.Scope{From: &from, To: &to, Basort: tt.basort}
			gotPrint, gotReport := dashboardLinks(sc, tt.named, tt.compare, tt.mayDownload)
			if gotPrint != tt.wantPrint {
				t.Errorf("print link %q, want %q", gotPrint, tt.wantPrint)
			}
			if gotReport != tt.wantReport {
				t.Errorf("report link %q, want %q", gotReport, tt.wantReport)
			}
		})
	}
}
