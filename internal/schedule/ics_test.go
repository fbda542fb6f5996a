package schedule_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/schedule"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const host = "kristianstad-2018.medborgarlofte"

var feedNow = time.Date(2018, 3, 10, 12, 0, 0, 0, time.UTC)

func localTime(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, lofte.Zone)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// feedStops is one stop of every kind the feed must handle; all start at 10:00 local, in
// winter (+01:00) and in summer time (+02:00).
func feedStops(tb testing.TB) []*lofte.Stop {
	tb.Helper()
	pub := localTime(tb, "2018-02-20 09:00")
	upd := localTime(tb, "2018-03-01 12:00")
	return []*lofte.Stop{
		{ID: 1, Basort: "Tollarp", Place: "Torget", StartsAt: localTime(tb, "2018-03-14 10:00"), EndsAt: localTime(tb, "2018-03-14 13:00"),
			Kind: lofte.KindRegular, Status: lofte.StatusPublished, PublishedAt: &pub, UpdatedAt: upd},
		{ID: 2, Basort: "Åhus", Place: "ICA, parkeringen; norra", StartsAt: localTime(tb, "2018-04-03 10:00"), EndsAt: localTime(tb, "2018-04-03 13:00"),
			Kind: lofte.KindRegular, Status: lofte.StatusHeld, PublishedAt: &pub, UpdatedAt: upd},
		{ID: 3, Basort: "Degeberga", Place: "Biblioteket", StartsAt: localTime(tb, "2018-03-22 10:00"), EndsAt: localTime(tb, "2018-03-22 12:00"),
			Kind: lofte.KindRegular, Status: lofte.StatusCancelled, CancelReason: "Storm, vägen avstängd;\r\nse polisen.se\\aktuellt",
			Sequence: 2, PublishedAt: &pub, UpdatedAt: localTime(tb, "2018-03-21 16:45")},
		{ID: 4, Basort: "Åhus", Place: "Hamnen", StartsAt: localTime(tb, "2018-07-14 10:00"), EndsAt: localTime(tb, "2018-07-14 15:00"),
			Kind: lofte.KindEvent, Status: lofte.StatusPublished, PublishedAt: &pub},
		{ID: 5, Basort: "Tollarp", Place: "Hemligt utkast", StartsAt: localTime(tb, "2018-05-14 10:00"), EndsAt: localTime(tb, "2018-05-14 13:00"),
			Kind: lofte.KindRegular, Status: lofte.StatusDraft},
		{ID: 6, Basort: "Fjälkinge", Place: "Skolan", StartsAt: localTime(tb, "2018-10-30 10:00"), EndsAt: localTime(tb, "2018-10-30 12:00"),
			Kind: lofte.KindRegular, Status: lofte.StatusPublished, PublishedAt: &pub, Sequence: 1, UpdatedAt: upd},
	}
}

func mustICS(tb testing.TB, p *lofte.Promise, stops []*lofte.Stop, f schedule.Feed) []byte {
	tb.Helper()
	out, err := schedule.ICS(p, stops, f, feedNow)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestICSGolden(t *testing.T) {
	got := mustICS(t, kristianstad(t), feedStops(t), schedule.Feed{Host: host})
	golden := filepath.Join("testdata", "schedule.ics")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("feed differs from %s (check, then run go test -update):\n%s", golden, got)
	}
}

// checkLines reports lines longer than 75 octets (CRLF excluded) and line ends other than CRLF.
func checkLines(t *testing.T, out []byte) {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Error("the feed does not end with CRLF")
	}
	for i, line := range bytes.SplitAfter(out, []byte("\r\n")) {
		if len(line) == 0 {
			continue
		}
		body, ok := bytes.CutSuffix(line, []byte("\r\n"))
		if !ok || bytes.ContainsAny(body, "\r\n") {
			t.Errorf("line %d does not end with exactly one CRLF: %q", i+1, line)
		}
		if len(body) > 75 {
			t.Errorf("line %d is %d octets, more than 75: %q", i+1, len(body), body)
		}
		if !utf8.Valid(body) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, body)
		}
	}
}

func TestICSLines(t *testing.T) {
	checkLines(t, mustICS(t, kristianstad(t), feedStops(t), schedule.Feed{Host: host}))
}

func prop(c *ics.ComponentBase, p ics.ComponentProperty) string {
	if v := c.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func TestICSParsed(t *testing.T) {
	stops := feedStops(t)
	out := mustICS(t, kristianstad(t), stops, schedule.Feed{Name: "Mobila poliskontoret – Åhus, Tollarp", Host: host})
	cal, err := ics.ParseCalendar(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}

	calProps := map[string]string{}
	for _, p := range cal.CalendarProperties {
		calProps[p.IANAToken] = p.Value
	}
	for k, want := range map[string]string{"PRODID": schedule.ProductID, "VERSION": "2.0", "CALSCALE": "GREGORIAN",
		"METHOD": "PUBLISH", "X-WR-CALNAME": "Mobila poliskontoret – Åhus, Tollarp", "X-WR-TIMEZONE": "Europe/Stockholm"} {
		if calProps[k] != want {
			t.Errorf("%s = %q, want %q", k, calProps[k], want)
		}
	}

	tzs := cal.Timezones()
	if len(tzs) != 1 || prop(&tzs[0].ComponentBase, ics.ComponentPropertyTzid) != "Europe/Stockholm" {
		t.Fatalf("VTIMEZONE: %d, want one for Europe/Stockholm", len(tzs))
	}
	var rules []string
	for _, c := range tzs[0].SubComponents() {
		switch c := c.(type) {
		case *ics.Standard:
			rules = append(rules, "STANDARD "+prop(&c.ComponentBase, ics.ComponentProperty(ics.PropertyTzoffsetto)))
		case *ics.Daylight:
			rules = append(rules, "DAYLIGHT "+prop(&c.ComponentBase, ics.ComponentProperty(ics.PropertyTzoffsetto)))
		}
	}
	if strings.Join(rules, ", ") != "STANDARD +0100, DAYLIGHT +0200" {
		t.Errorf("VTIMEZONE rules: %v", rules)
	}

	type want struct {
		status, sequence, summary, location, lastModified string
		description                                       []string
	}
	wants := map[string]want{
		"stop-1@" + host: {"CONFIRMED", "0", "Mobilt poliskontor – Tollarp, Torget", "Torget, Tollarp", "20180301T110000Z",
			[]string{"kommer till Tollarp", "Kom förbi och prata med polisen"}},
		"stop-2@" + host: {"CONFIRMED", "0", "Mobilt poliskontor – Åhus, ICA, parkeringen; norra", "ICA, parkeringen; norra, Åhus",
			"20180301T110000Z", []string{"Kom förbi och prata med polisen"}},
		"stop-3@" + host: {"CANCELLED", "2", "Inställt: Mobilt poliskontor – Degeberga, Biblioteket", "Biblioteket, Degeberga",
			"20180321T154500Z", []string{"Inställt: Storm, vägen avstängd;\nse polisen.se\\aktuellt.\n", "Kom förbi och prata med polisen"}},
		"stop-4@" + host: {"CONFIRMED", "0", "Mobilt poliskontor – Åhus, Hamnen", "Hamnen, Åhus", "",
			[]string{"Evenemang", "Kom förbi och prata med polisen"}},
		"stop-6@" + host: {"CONFIRMED", "1", "Mobilt poliskontor – Fjälkinge, Skolan", "Skolan, Fjälkinge", "20180301T110000Z",
			[]string{"kommer till Fjälkinge"}},
	}
	events := cal.Events()
	if len(events) != len(wants) {
		t.Errorf("%d events, want %d (every stop but the draft)", len(events), len(wants))
	}
	byID := map[int64]*lofte.Stop{}
	for _, s := range stops {
		byID[s.ID] = s
	}
	seen := map[string]bool{}
	for _, e := range events {
		uid := e.Id()
		w, ok := wants[uid]
		if !ok || seen[uid] {
			t.Errorf("unexpected or repeated event %q", uid)
			continue
		}
		seen[uid] = true
		var id int64
		fmt.Sscanf(uid, "stop-%d@", &id)
		s := byID[id]
		got := want{prop(&e.ComponentBase, ics.ComponentPropertyStatus), prop(&e.ComponentBase, ics.ComponentPropertySequence),
			prop(&e.ComponentBase, ics.ComponentPropertySummary), prop(&e.ComponentBase, ics.ComponentPropertyLocation),
			prop(&e.ComponentBase, ics.ComponentPropertyLastModified), nil}
		desc := prop(&e.ComponentBase, ics.ComponentPropertyDescription)
		for _, d := range w.description {
			if !strings.Contains(desc, d) {
				t.Errorf("%s: DESCRIPTION %q lacks %q", uid, desc, d)
			}
		}
		w.description = nil
		if got.status != w.status || got.sequence != w.sequence || got.summary != w.summary || got.location != w.location ||
			got.lastModified != w.lastModified {
			t.Errorf("%s:\n got %+v\nwant %+v", uid, got, w)
		}
		if prop(&e.ComponentBase, ics.ComponentPropertyDtstamp) != "20180310T120000Z" {
			t.Errorf("%s: DTSTAMP %q", uid, prop(&e.ComponentBase, ics.ComponentPropertyDtstamp))
		}
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyDtStart, ics.ComponentPropertyDtEnd} {
			if tz := e.GetProperty(p).ICalParameters["TZID"]; len(tz) != 1 || tz[0] != "Europe/Stockholm" {
				t.Errorf("%s: %s TZID %v", uid, p, tz)
			}
		}
		start, err := e.GetStartAt()
		if err != nil {
			t.Fatal(err)
		}
		end, err := e.GetEndAt()
		if err != nil {
			t.Fatal(err)
		}
		if local := start.In(lofte.Zone); local.Format("15:04") != "10:00" || !start.Equal(s.StartsAt) || !end.Equal(s.EndsAt) {
			t.Errorf("%s: %v–%v, want %v–%v (10:00 in Stockholm)", uid, start, end, s.StartsAt, s.EndsAt)
		}
	}
	if bytes.Contains(out, []byte("Hemligt utkast")) || bytes.Contains(out, []byte("stop-5@")) {
		t.Error("a draft is in the public feed")
	}
}

func TestICSDefaults(t *testing.T) {
	tests := []struct {
		name     string
		p        *lofte.Promise
		f        schedule.Feed
		calName  string
		uidFirst string
	}{
		{"from the promise", kristianstad(t), schedule.Feed{},
			"Mobila poliskontoret – Medborgarlöfte Kristianstads kommun 2018", "stop-1@kristianstad-2018.medborgarlofte"},
		{"a basort's feed", kristianstad(t), schedule.Feed{Name: "Mobila poliskontoret – Tollarp", Host: "example.se"},
			"Mobila poliskontoret – Tollarp", "stop-1@example.se"},
		{"no promise", nil, schedule.Feed{}, "Mobila poliskontoret", "stop-1@medborgarlofte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal, err := ics.ParseCalendar(bytes.NewReader(mustICS(t, tt.p, feedStops(t)[:1], tt.f)))
			if err != nil {
				t.Fatal(err)
			}
			var name string
			for _, p := range cal.CalendarProperties {
				if p.IANAToken == "X-WR-CALNAME" {
					name = p.Value
				}
			}
			if name != tt.calName {
				t.Errorf("X-WR-CALNAME %q, want %q", name, tt.calName)
			}
			if ev := cal.Events(); len(ev) != 1 || ev[0].Id() != tt.uidFirst {
				t.Errorf("events %d, want one with UID %s", len(ev), tt.uidFirst)
			}
		})
	}
}

func TestICSEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := schedule.WriteICS(&buf, schedule.Feed{Host: host}, nil, feedNow); err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cal.Events()); n != 0 {
		t.Errorf("%d events in an empty feed", n)
	}
}

// clean reports whether s survives the feed unchanged: valid UTF-8, no control characters,
// single spaces between words.
func clean(s string) bool {
	return utf8.ValidString(s) && strings.Join(strings.Fields(s), " ") == s &&
		strings.IndexFunc(s, unicode.IsControl) < 0
}

func FuzzICSText(f *testing.F) {
	f.Add("Tollarp", "Torget", "Storm")
	f.Add("Åhus", "ICA, parkeringen; norra", "Sjuk\r\npersonal")
	f.Add("Degeberga", `C:\väg\n; "citat", kolon: slut`, "a\\,b\\;c\\n")
	f.Add("Ö", strings.Repeat("åäö ", 40), strings.Repeat("xyzåäö", 30))
	f.Add("Fjälkinge", "\x00\x7f\u0085\u2028", "\xff\xfe")
	f.Fuzz(func(t *testing.T, basort, place, reason string) {
		pub := feedNow
		s := &lofte.Stop{ID: 7, Basort: basort, Place: place, CancelReason: reason, Status: lofte.StatusCancelled,
			Kind: lofte.KindRegular, StartsAt: localTime(t, "2018-03-14 10:00"), EndsAt: localTime(t, "2018-03-14 13:00"),
			PublishedAt: &pub, Sequence: 3}
		out := mustICS(t, nil, []*lofte.Stop{s}, schedule.Feed{Name: place, Host: host})
		checkLines(t, out)
		cal, err := ics.ParseCalendar(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, out)
		}
		ev := cal.Events()
		if len(ev) != 1 {
			t.Fatalf("%d events, want 1:\n%s", len(ev), out)
		}
		if got := prop(&ev[0].ComponentBase, ics.ComponentPropertySequence); got != "3" {
			t.Errorf("SEQUENCE %q", got)
		}
		if clean(basort) && clean(place) {
			if got, want := prop(&ev[0].ComponentBase, ics.ComponentPropertyLocation), place+", "+basort; got != want {
				t.Errorf("LOCATION %q, want %q", got, want)
			}
			if got, want := prop(&ev[0].ComponentBase, ics.ComponentPropertySummary),
				"Inställt: Mobilt poliskontor – "+basort+", "+place; got != want {
				t.Errorf("SUMMARY %q, want %q", got, want)
			}
		}
		if r := strings.TrimRight(reason, "."); clean(r) && r != "" {
			if got := prop(&ev[0].ComponentBase, ics.ComponentPropertyDescription); !strings.HasPrefix(got, "Inställt: "+r+".\n") {
				t.Errorf("DESCRIPTION %q, want the reason %q first", got, r)
			}
		}
	})
}

func BenchmarkICS(b *testing.B) {
	p, r := kristianstad(b), tollarp()
	r.EveryWeeks = 1
	stops, err := schedule.Expand(p, r)
	if err != nil {
		b.Fatal(err)
	}
	pub := feedNow
	for i, s := range stops {
		s.ID, s.Status, s.PublishedAt = int64(i+1), lofte.StatusPublished, &pub
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := schedule.ICS(p, stops, schedule.Feed{}, feedNow); err != nil {
			b.Fatal(err)
		}
	}
}
