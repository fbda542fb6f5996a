package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
)

func (e *env) baselines() []*lofte.Baseline {
	e.t.Helper()
	bs, err := e.db.FindBaselines(context.Background(), e.p.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return bs
}

func TestBaselineAPI(t *testing.T) {
	e := newEnv(t)
	csvCT := []string{"Content-Type", "text/csv; charset=utf-8"}
	tests := []struct {
		name   string
		body   string
		query  string
		header []string
		status int
		code   lofte.ErrorCode
		field  string
	}{
		{name: "json", body: `{"baselines":[{"metric":"trust_high","value":0.55,"source":"NTU 2017"},{"basort":"Tollarp","metric":"unsafe","value":0.3,"source":"NTU 2017"}]}`, status: 201},
		{name: "csv with a source for the file", body: "basort;mått;värde\nDegeberga;Högt förtroende;48 %\n", query: "?source=Trygghetsmätning+2017", header: csvCT, status: 201},
		{name: "unknown field", body: `{"baselines":[{"metric":"trust_high","value":0.5,"source":"x","year":2017}]}`, status: 400, code: lofte.EINVALID, field: "year"},
		{name: "unknown metric", body: `{"baselines":[{"metric":"visitors","value":0.5,"source":"x"}]}`, status: 400, code: lofte.EINVALID, field: "baselines[0].metric"},
		{name: "unknown basort", body: `{"baselines":[{"metric":"unsafe","value":0.2,"source":"x"},{"basort":"Atlantis","metric":"unsafe","value":0.2,"source":"x"}]}`, status: 400, code: lofte.EINVALID, field: "baselines[1].basort"},
		{name: "value over 1", body: `{"baselines":[{"metric":"unsafe","value":1.2,"source":"x"}]}`, status: 400, code: lofte.EINVALID, field: "baselines[0].value"},
		{name: "no source", body: `{"baselines":[{"metric":"unsafe","value":0.2}]}`, status: 400, code: lofte.EINVALID, field: "baselines[0].source"},
		{name: "empty list", body: `{"baselines":[]}`, status: 400, code: lofte.EINVALID, field: "baselines"},
		{name: "bad csv row", body: "basort;mått;värde;källa\nTollarp;unsafe;0,2;x\nTollarp;trust_high;mycket;x\n", header: csvCT, status: 400, code: lofte.EINVALID, field: "rows[3].value"},
		{name: "other content type", body: "x", header: []string{"Content-Type", "application/xml"}, status: 400, code: lofte.EINVALID, field: "Content-Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.baselines()
			status, _, b := e.do(http.MethodPost, "/api/v1/baselines"+tt.query, lofte.RoleAdmin, tt.body, tt.header...)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			if tt.status >= 400 {
				got := apiError(t, b)
				if got.Code != tt.code || got.Field != tt.field {
					t.Errorf("error %+v, want %s on %q", got, tt.code, tt.field)
				}
				if after := e.baselines(); len(after) != len(before) {
					t.Errorf("a refused request changed the baselines: %d → %d", len(before), len(after))
				}
			}
		})
	}
	status, _, b := e.do(http.MethodGet, "/api/v1/baselines", lofte.RoleCouncil, "")
	var list struct{ Baselines []*lofte.Baseline }
	if err := json.Unmarshal(b, &list); status != 200 || err != nil {
		t.Fatalf("list: %d %s", status, b)
	}
	if len(list.Baselines) != 3 {
		t.Errorf("%d baselines listed, want 3: %s", len(list.Baselines), b)
	}
	// The outcome for legitimacy now has its target: area baseline + 5 points.
	_, _, b = e.do(http.MethodGet, "/api/v1/outcomes", lofte.RoleCouncil, "")
	if !strings.Contains(string(b), `"baseline":0.55`) || !strings.Contains(string(b), `"baseline_source":"NTU 2017"`) {
		t.Errorf("outcomes do not use the baseline: %s", b)
	}
	if status, _, _ := e.do(http.MethodDelete, fmt.Sprintf("/api/v1/baselines/%d", list.Baselines[0].ID), lofte.RoleAdmin, ""); status != 204 {
		t.Errorf("delete: %d", status)
	}
	if status, _, b := e.do(http.MethodDelete, fmt.Sprintf("/api/v1/baselines/%d", list.Baselines[0].ID), lofte.RoleAdmin, ""); status != 404 {
		t.Errorf("delete again: %d %s", status, b)
	}
	if status, _, _ := e.do(http.MethodPost, "/api/v1/baselines", lofte.RoleOfficer, tests[0].body); status != 403 {
		t.Errorf("officer may not set baselines: %d", status)
	}
}

func TestBaselinePages(t *testing.T) {
	e := newEnv(t)
	form := url.Values{"basort": {"Tollarp"}, "metric": {"trust_high"}, "value": {"48,5 %"}, "source": {"Trygghetsmätning 2017"}}
	status, h, b := e.do(http.MethodPost, "/baselines", lofte.RoleAdmin, form.Encode(), formCT...)
	if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/baselines?") {
		t.Fatalf("form: %d %s %s", status, h.Get("Location"), b)
	}
	if bs := e.baselines(); len(bs) != 1 || bs[0].Value != 0.485 || bs[0].Basort != "Tollarp" {
		t.Fatalf("stored %+v", bs)
	}
	// A mistake shows the page again with the message and the value as typed; nothing is stored.
	form.Set("value", "hög")
	status, _, b = e.do(http.MethodPost, "/baselines", lofte.RoleAdmin, form.Encode(), formCT...)
	if status != 400 || !strings.Contains(string(b), "role=\"alert\"") || !strings.Contains(string(b), `value="hög"`) {
		t.Errorf("bad value: %d\n%s", status, b)
	}

	// Upload a file the way the browser sends it.
	body, ct := fileForm("baslinjer.csv", "\uFEFFbasort;mått;värde;källa\r\nHela området;trust_high;55 %;NTU 2017\r\nTollarp;unsafe;0,31;=HYPERLINK(\"x\")\r\n")
	status, _, b = e.do(http.MethodPost, "/baselines/import", lofte.RoleAdmin, body, ct...)
	if status != http.StatusSeeOther {
		t.Fatalf("import: %d %s", status, b)
	}
	if bs := e.baselines(); len(bs) != 3 {
		t.Errorf("%d baselines after import, want 3", len(bs))
	}
	// Excel's Windows-1252 file is read too, and the page says how it was read.
	body, ct = fileForm("excel.csv", "basort;m\xe5tt;v\xe4rde;k\xe4lla\r\nTollarp;cares_agree;40 %;Trygghetsm\xe4tning 2017\r\n")
	status, h, b = e.do(http.MethodPost, "/baselines/import", lofte.RoleAdmin, body, ct...)
	if loc, _ := url.QueryUnescape(h.Get("Location")); status != http.StatusSeeOther || !strings.Contains(loc, "lästes som Windows-1252") {
		t.Fatalf("Windows-1252 import: %d %s %s", status, loc, b)
	}
	if bs := e.baselines(); len(bs) != 4 {
		t.Errorf("%d baselines after the Windows-1252 import, want 4", len(bs))
	}
	status, _, b = e.do(http.MethodGet, "/baselines", lofte.RoleAdmin, "")
	if status != 200 || !strings.Contains(string(b), "Hela området") || !strings.Contains(string(b), "49 %") {
		t.Errorf("page: %d\n%s", status, b)
	}
	// The file served for editing keeps the formula as text.
	status, h, b = e.do(http.MethodGet, "/baselines.csv", lofte.RoleAdmin, "")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(string(b), `'=HYPERLINK`) {
		t.Errorf("csv: %d %s\n%s", status, h.Get("Content-Type"), b)
	}
	// A broken file is refused whole, naming the line.
	body, ct = fileForm("fel.csv", "basort;mått;värde;källa\nDegeberga;unsafe;0,2;x\nAtlantis;unsafe;0,2;x\n")
	status, _, b = e.do(http.MethodPost, "/baselines/import", lofte.RoleAdmin, body, ct...)
	if status != 400 || !strings.Contains(string(b), "rad 3") {
		t.Errorf("broken import: %d\n%s", status, b)
	}
	if bs := e.baselines(); len(bs) != 4 {
		t.Errorf("a refused file stored something: %d baselines", len(bs))
	}
	id := e.baselines()[0].ID
	if status, _, _ := e.do(http.MethodPost, fmt.Sprintf("/baselines/%d/delete", id), lofte.RoleAdmin, "", formCT...); status != http.StatusSeeOther {
		t.Errorf("delete form: %d", status)
	}
	if bs := e.baselines(); len(bs) != 3 {
		t.Errorf("%d baselines after delete, want 2", len(bs))
	}
}
