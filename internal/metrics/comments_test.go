package metrics_test

import (
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

func TestPublicComments(t *testing.T) {
	regular := stop("A", "2018-03-06", lofte.StatusHeld, 20)
	event := stop("A", "2018-07-06", lofte.StatusHeld, 20)
	event.Kind = lofte.KindEvent
	small := stop("B", "2018-03-07", lofte.StatusHeld, 20)
	draft := stop("A", "2018-03-08", lofte.StatusDraft, 0)
	byBasort := func(responses map[string]float64) *metrics.Result {
		res := &metrics.Result{}
		for b, n := range responses {
			v := n
			res.Groups = append(res.Groups, metrics.Group{Key: b, Metrics: metrics.Metrics{"responses": metrics.Count{Value: &v}}})
		}
		return res
	}
	cs := []*lofte.Comment{
		{StopID: regular.ID, Basort: "A", Text: "Öppna oftare"},
		{StopID: regular.ID, Basort: "A", Text: "Bra besök"},
		{StopID: small.ID, Basort: "B", Text: "För få svar här"},
		{StopID: event.ID, Basort: "A", Text: "Evenemanget var fint"},
		{StopID: draft.ID, Basort: "A", Text: "Ett utkast har inga svar"},
		{StopID: regular.ID, Basort: "A", Text: "Ärligt talat bra"},
	}
	stops := []*lofte.Stop{regular, event, small, draft}
	// A's regular cell has 10 perturbed responses, B's 9; A's event cell 3.
	got := metrics.PublicComments(cs, stops, byBasort(map[string]float64{"A": 10, "B": 9}), byBasort(map[string]float64{"A": 3}))
	var texts []string
	for _, c := range got {
		texts = append(texts, c.Text)
	}
	want := []string{"Bra besök", "Ärligt talat bra", "Öppna oftare"}
	if len(texts) != len(want) {
		t.Fatalf("shown %q, want %q", texts, want)
	}
	for i := range want {
		if texts[i] != want[i] {
			t.Fatalf("shown %q, want %q (Swedish order, å ä ö last)", texts, want)
		}
	}
	if len(cs) != 6 {
		t.Error("PublicComments changed its input")
	}
}
