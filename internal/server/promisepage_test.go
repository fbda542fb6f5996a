package server_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
)

// A first start long after the built-in promise ended: the admin is led to "Skapa årets
// löfte", gets the form filled in from it for this year, and creates the promise.
func TestCreateThisYearsPromiseFromTheBanner(t *testing.T) {
	today := time.Date(2026, 5, 4, 9, 0, 0, 0, lofte.Zone)
	e := newEnv(t, func(c *server.Config) { c.Now = func() time.Time { return today } })
	for _, path := range []string{"/", "/dashboard"} {
		_, _, b := e.do("GET", path, lofte.RoleAdmin, "")
		if !strings.Contains(string(b), `href="/promises/new"`) || !strings.Contains(string(b), "Skapa årets löfte") {
			t.Errorf("%s: no way to this year's promise:\n%s", path, b)
		}
	}
	if _, _, b := e.do("GET", "/dashboard", lofte.RoleCouncil, ""); strings.Contains(string(b), "/promises/new") {
		t.Error("the council is shown the admin's banner")
	}
	status, _, b := e.do("GET", "/promises/new", lofte.RoleAdmin, "")
	page := string(b)
	if status != 200 || !strings.Contains(page, `value="2026-01-01"`) || !strings.Contains(page, `value="2026-06-01"`) ||
		!strings.Contains(page, "Medborgarlöfte Kristianstads kommun 2026") {
		t.Fatalf("new form: %d\n%s", status, page)
	}
	form := url.Values{"template": {fmt.Sprint(e.p.ID)}, "title": {"Medborgarlöfte Kristianstads kommun 2026"},
		"municipality": {e.p.Municipality}, "police_area": {e.p.PoliceArea}, "text": {"Text"},
		"from": {"2026-01-01"}, "to": {"2026-12-31"}, "min_n": {"10"}, "status_min_n": {"100"}, "retention_months": {"12"},
		"ex_from_0": {"2026-06-01"}, "ex_to_0": {"2026-08-31"}, "ex_label_0": {"Sommar"},
		"i_service_0_metric": {"delivery_rate"}, "i_service_0_dir": {"at_least"}, "i_service_0_target": {"0,9"},
		"i_safety_0_metric": {"unsafe"}, "i_safety_0_dir": {"delta_at_most"}, "i_safety_0_target": {"-0,05"}}
	// A target off its scale shows the form again, naming the field; nothing is stored.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("i_service_0_target", "90")
	before := e.promiseState()
	status, _, b = e.do("POST", "/promises", lofte.RoleAdmin, bad.Encode(), formCT...)
	if status != 400 || !strings.Contains(string(b), "(fältet ”Målvärde 1, Service”)") || !strings.Contains(string(b), `value="90"`) {
		t.Errorf("bad target: %d\n%s", status, b)
	}
	if diff := cmp.Diff(before, e.promiseState()); diff != "" {
		t.Errorf("a refused form changed something\n%s", diff)
	}
	status, h, b := e.do("POST", "/promises", lofte.RoleAdmin, form.Encode(), formCT...)
	if status != 303 || !strings.HasPrefix(h.Get("Location"), "/promises/") {
		t.Fatalf("create: %d %s %s", status, h.Get("Location"), b)
	}
	ps, _ := e.db.FindPromises(context.Background())
	p := ps[0]
	want := []lofte.Outcome{
		{Code: "service", Indicators: []lofte.Indicator{{Metric: "delivery_rate", Direction: lofte.AtLeast, Kind: lofte.TargetAbsolute, Target: 0.9}}},
		{Code: "safety", Indicators: []lofte.Indicator{{Metric: "unsafe", Direction: lofte.AtMost, Kind: lofte.TargetBaselineDelta, Target: -0.05}}},
	}
	if p.Period.From.Year != 2026 || p.Active || len(p.Excluded) != 1 || !cmp.Equal(want, p.Outcomes) {
		t.Errorf("created %+v", p)
	}
	if ls, _ := e.db.FindLocalities(context.Background(), p.ID); len(ls) != 13 {
		t.Errorf("%d places, want the template's 13", len(ls))
	}
	if a := e.lastAudit(); a.Action != "promise.create" {
		t.Errorf("audit %+v", a)
	}
	// Now the banner says it exists and leads to activating it; after that, no banner.
	if _, _, b := e.do("GET", "/dashboard", lofte.RoleAdmin, ""); !strings.Contains(string(b), "inte aktiverat") ||
		!strings.Contains(string(b), fmt.Sprintf(`<a href="/promises/%d/activate">Aktivera det</a>`, p.ID)) {
		t.Errorf("banner after creating:\n%s", b)
	}
	// With this year's promise made, the list offers next year's instead of a second one.
	if _, _, b := e.do("GET", "/promises", lofte.RoleAdmin, ""); !strings.Contains(string(b), `<a class="button" href="/promises/new?year=2027">Skapa nästa års löfte (2027)</a>`) ||
		strings.Contains(string(b), "Skapa årets löfte") {
		t.Errorf("list after creating this year's:\n%s", b)
	}
	if status, _, b := e.do("GET", "/promises/new?year=2027", lofte.RoleAdmin, ""); status != 200 ||
		!strings.Contains(string(b), "<h1>Skapa löftet för 2027</h1>") || !strings.Contains(string(b), `value="2027-01-01"`) {
		t.Errorf("next year's form: %d\n%s", status, b)
	}
	if status, _, b := e.do("GET", fmt.Sprintf("/promises/%d/activate", p.ID), lofte.RoleAdmin, ""); status != 200 || !strings.Contains(string(b), "Ja, aktivera") {
		t.Errorf("confirmation: %d\n%s", status, b)
	}
	if status, _, _ := e.do("POST", fmt.Sprintf("/promises/%d/activate", p.ID), lofte.RoleAdmin, "", formCT...); status != 303 {
		t.Errorf("activate: %d", status)
	}
	if _, _, b := e.do("GET", "/dashboard", lofte.RoleAdmin, ""); strings.Contains(string(b), "renewal") {
		t.Errorf("banner after activating:\n%s", b)
	}
	// The list marks the active one; the old one stays readable.
	_, _, b = e.do("GET", "/promises", lofte.RoleAdmin, "")
	if !strings.Contains(string(b), fmt.Sprintf(`href="/dashboard?promise=%d"`, e.p.ID)) || !strings.Contains(string(b), "<strong>Aktivt</strong>") {
		t.Errorf("list:\n%s", b)
	}
}

func TestPromisePagesRefuseOthers(t *testing.T) {
	e := newEnv(t)
	for _, role := range []lofte.Role{lofte.RoleOfficer, lofte.RoleCouncil} {
		if status, _, _ := e.do("GET", "/promises", role, ""); status != 403 {
			t.Errorf("%s: %d", role, status)
		}
	}
}

func TestPromiseCopyAndEditForms(t *testing.T) {
	e := newEnv(t)
	id := fmt.Sprint(e.p.ID)
	status, h, b := e.do("POST", "/promises/"+id+"/copy", lofte.RoleAdmin, url.Values{"from": {"2019-01-01"}, "to": {"2019-12-31"}}.Encode(), formCT...)
	if status != 303 {
		t.Fatalf("copy: %d %s", status, b)
	}
	loc, _ := url.Parse(h.Get("Location"))
	if !strings.Contains(loc.Query().Get("klart"), "Baslinjer") {
		t.Errorf("the copy does not say what it left behind: %s", loc)
	}
	before := e.promiseState()
	status, _, b = e.do("POST", "/promises/"+id+"/copy", lofte.RoleAdmin, url.Values{"from": {"2019-03-01"}, "to": {"2020-02-28"}}.Encode(), formCT...)
	if status != 409 || !strings.Contains(string(b), "överlappar") {
		t.Errorf("overlapping copy: %d\n%s", status, b)
	}
	if diff := cmp.Diff(before, e.promiseState()); diff != "" {
		t.Errorf("a refused copy changed something\n%s", diff)
	}
	// The edit form shows the promise and saves a change.
	status, _, b = e.do("GET", "/promises/"+id, lofte.RoleAdmin, "")
	if status != 200 || !strings.Contains(string(b), `value="2018-06-01"`) || !strings.Contains(string(b), `value="0,9"`) {
		t.Fatalf("edit page: %d\n%s", status, b)
	}
	form := url.Values{"title": {"Nytt namn"}, "municipality": {e.p.Municipality}, "police_area": {e.p.PoliceArea},
		"from": {"2018-01-01"}, "to": {"2018-12-31"}, "min_n": {"12"}, "status_min_n": {"100"}, "retention_months": {"12"},
		"ex_from_0": {"2018-06-01"}, "ex_to_0": {"2018-08-31"}, "ex_label_0": {"Sommar"},
		"i_service_0_metric": {"delivery_rate"}, "i_service_0_dir": {"at_least"}, "i_service_0_target": {"0,85"}}
	if status, _, b := e.do("POST", "/promises/"+id, lofte.RoleAdmin, form.Encode(), formCT...); status != 303 {
		t.Fatalf("edit: %d %s", status, b)
	}
	p, _ := e.db.FindPromise(context.Background(), e.p.ID)
	if p.Title != "Nytt namn" || p.MinN != 12 || len(p.Outcomes) != 1 || p.Outcomes[0].Indicators[0].Target != 0.85 {
		t.Errorf("saved %+v", p)
	}
	if a := e.lastAudit(); a.Action != "promise.update" || !strings.Contains(a.Detail, "rubrik") {
		t.Errorf("audit %+v", a)
	}
	form.Set("ex_from_0", "2019-06-01")
	before = e.promiseState()
	if status, _, b := e.do("POST", "/promises/"+id, lofte.RoleAdmin, form.Encode(), formCT...); status != 400 || !strings.Contains(string(b), "(fältet ”Från, undantagen period 1”)") {
		t.Errorf("excluded outside: %d\n%s", status, b)
	}
	if diff := cmp.Diff(before, e.promiseState()); diff != "" {
		t.Errorf("a refused edit changed something\n%s", diff)
	}
}

func TestBasorterPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mustStop(t, e, "Tollarp", "2018-03-01 10:00", lofte.StatusHeld)
	base := fmt.Sprintf("/promises/%d/basorter", e.p.ID)
	add := url.Values{"name": {"Vä"}, "basort": {"1"}, "population": {"1 800"}, "population_source": {"SCB"},
		"population_year": {"2024"}, "lat": {"56,0"}, "lon": {"14,08"}, "coordinates": {"approximate"}}
	if status, _, b := e.do("POST", base, lofte.RoleAdmin, add.Encode(), formCT...); status != 303 {
		t.Fatalf("add: %d %s", status, b)
	}
	ls, _ := e.db.FindLocalities(ctx, e.p.ID)
	va := lofte.LocalityNamed(ls, "Vä")
	if va == nil || va.Population != 1800 || va.PopulationYear != 2024 || va.PopulationSource != "SCB" || va.Lat != 56 {
		t.Fatalf("added %+v", va)
	}
	before := e.promiseState()
	add.Set("lat", "norr")
	if status, _, b := e.do("POST", base, lofte.RoleAdmin, add.Encode(), formCT...); status != 400 || !strings.Contains(string(b), "lat") {
		t.Errorf("bad latitude: %d\n%s", status, b)
	}
	add.Set("lat", "56")
	if status, _, _ := e.do("POST", base, lofte.RoleAdmin, add.Encode(), formCT...); status != 400 {
		t.Errorf("the same name again: %d", status)
	}
	if diff := cmp.Diff(before, e.promiseState()); diff != "" {
		t.Errorf("a refused form changed something\n%s", diff)
	}
	tollarp := lofte.LocalityNamed(ls, "Tollarp")
	// The page offers to retire Tollarp (it has a stop) and to delete Vä (it has none).
	_, _, b := e.do("GET", base, lofte.RoleAdmin, "")
	if !strings.Contains(string(b), fmt.Sprintf("/basorter/%d/retire", tollarp.ID)) || !strings.Contains(string(b), fmt.Sprintf("/basorter/%d/delete", va.ID)) ||
		strings.Contains(string(b), fmt.Sprintf("/basorter/%d/delete", tollarp.ID)) {
		t.Errorf("page actions:\n%s", b)
	}
	// Deleting Tollarp retires it instead; deleting Vä removes it.
	if status, h, _ := e.do("POST", fmt.Sprintf("%s/%d/delete", base, tollarp.ID), lofte.RoleAdmin, "", formCT...); status != 303 || !strings.Contains(h.Get("Location"), "avvecklades") {
		t.Errorf("delete Tollarp: %d %s", status, h.Get("Location"))
	}
	if status, _, _ := e.do("POST", fmt.Sprintf("%s/%d/delete", base, va.ID), lofte.RoleAdmin, "", formCT...); status != 303 {
		t.Errorf("delete Vä: %d", status)
	}
	ls, _ = e.db.FindLocalities(ctx, e.p.ID)
	if l := lofte.LocalityNamed(ls, "Tollarp"); l == nil || !l.Retired() || lofte.LocalityNamed(ls, "Vä") != nil {
		t.Errorf("after: Tollarp %+v, Vä %v", l, lofte.LocalityNamed(ls, "Vä"))
	}
	// Editing: Åhus gets its population's source.
	ahus := lofte.LocalityNamed(ls, "Åhus")
	if status, _, b := e.do("GET", fmt.Sprintf("%s?andra=%d", base, ahus.ID), lofte.RoleAdmin, ""); status != 200 || !strings.Contains(string(b), `id="e-name"`) {
		t.Errorf("edit form: %d", status)
	}
	edit := url.Values{"name": {"Åhus"}, "basort": {"1"}, "population": {"10200"}, "population_source": {"SCB 2023"}, "lat": {"55.92"}, "lon": {"14.29"}, "coordinates": {"published"}}
	if status, _, b := e.do("POST", fmt.Sprintf("%s/%d", base, ahus.ID), lofte.RoleAdmin, edit.Encode(), formCT...); status != 303 {
		t.Fatalf("edit: %d %s", status, b)
	}
	if a := e.lastAudit(); a.Action != "basort.update" || a.Object != fmt.Sprintf("basort:%d", ahus.ID) {
		t.Errorf("audit %+v", a)
	}
}

// TestFormRefusalsNameTheFieldAsLabelled: a refused promise or place form names the field by
// the label the form shows it with, not as the API names it (outcomes[0].indicators[0].target,
// basorter[13].lat), names a metric as its list does, and marks the input.
func TestFormRefusalsNameTheFieldAsLabelled(t *testing.T) {
	e := newEnv(t)
	id := fmt.Sprint(e.p.ID)
	place := func(edit func(url.Values)) url.Values {
		v := url.Values{"name": {"Nyby"}, "basort": {"1"}, "population": {"900"}, "lat": {"55,9"}, "lon": {"14,1"}, "coordinates": {"approximate"}}
		edit(v)
		return v
	}
	promise := func(edit func(url.Values)) url.Values {
		v := url.Values{"template": {id}, "title": {"Medborgarlöfte 2019"}, "municipality": {e.p.Municipality}, "police_area": {e.p.PoliceArea},
			"from": {"2019-01-01"}, "to": {"2019-12-31"}, "min_n": {"10"}, "status_min_n": {"100"}, "retention_months": {"12"},
			"i_service_0_metric": {""}, "i_service_0_dir": {"at_least"}, "i_service_0_target": {""},
			"i_service_1_metric": {"delivery_rate"}, "i_service_1_dir": {"at_least"}, "i_service_1_target": {"0,9"}}
		edit(v)
		return v
	}
	tests := []struct {
		name, path string
		form       url.Values
		status     int
		says       string
		marked     string // the id of the input marked invalid; "" for none
	}{
		{"a negative population", "/promises/" + id + "/basorter", place(func(v url.Values) { v.Set("population", "-5") }), 400,
			"folkmängden kan inte vara negativ (fältet ”Folkmängd”)", ""},
		{"a latitude off the globe", "/promises/" + id + "/basorter", place(func(v url.Values) { v.Set("lat", "95") }), 400,
			"(fältet ”Latitud”)", ""},
		{"a target as a percentage", "/promises", promise(func(v url.Values) { v.Set("i_service_1_target", "90") }), 400,
			"målet för leveransgrad måste ligga mellan 0 och 1 (fältet ”Målvärde 2, Service”)", "i_service_1_target"},
		{"a target that is no number", "/promises", promise(func(v url.Values) { v.Set("i_service_1_target", "nio") }), 400,
			"(fältet ”Målvärde 2, Service”)", "i_service_1_target"},
		{"an excluded period outside the promise", "/promises", promise(func(v url.Values) {
			v.Set("ex_from_0", "")
			v.Set("ex_from_1", "2020-06-01")
			v.Set("ex_to_1", "2020-08-31")
		}), 400, "undantagen period ligger utanför löftets period (fältet ”Från, undantagen period 2”)", "ex_from_1"},
		{"a period overlapping 2018", "/promises", promise(func(v url.Values) { v.Set("from", "2018-06-01") }), 409,
			"(fältet ”Första dag”)", "from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.promiseState()
			status, _, b := e.do("POST", tt.path, lofte.RoleAdmin, tt.form.Encode(), formCT...)
			page := html.UnescapeString(string(b))
			if status != tt.status || !strings.Contains(page, tt.says) {
				t.Errorf("%d, want %d saying %q:\n%.4000s", status, tt.status, tt.says, page)
			}
			if tt.marked != "" && !strings.Contains(page, `id="`+tt.marked+`" name="`+tt.marked+`"`) {
				t.Errorf("no input %s", tt.marked)
			} else if tt.marked != "" && !regexp.MustCompile(`id="`+tt.marked+`"[^>]*aria-invalid="true"`).MatchString(page) {
				t.Errorf("%s is not marked invalid", tt.marked)
			}
			if diff := cmp.Diff(before, e.promiseState()); diff != "" {
				t.Errorf("a refused form changed something\n%s", diff)
			}
		})
	}
}
