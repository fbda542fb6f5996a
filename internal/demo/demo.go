// Package demo makes a realistic, reproducible synthetic year for a promise: stops on a
// schedule, officer logs, survey responses following docs/survey.md, and a baseline labelled
// as demo data. Everything comes from one seed; nothing names a particular municipality, it
// works from the promise and the localities it is given.
package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/survey"
)

// DefaultSeed makes the demo year every `serve --demo` shows.
const DefaultSeed uint64 = 2018

// BaselineSource labels the synthetic baseline so nobody mistakes it for a survey.
const BaselineSource = "Syntetisk baslinje (demodata)"

// Store is what Fill writes through.
type Store interface {
	CreateStops(ctx context.Context, stops []*lofte.Stop) error
	CreateFeedback(ctx context.Context, f *lofte.FeedbackItem) error
	CreateResponses(ctx context.Context, rs []*lofte.Response, flags ...lofte.SuspectFlag) ([]lofte.IngestResult, error)
	CreateBaselines(ctx context.Context, promiseID int64, bs []*lofte.Baseline) error
	ReviewComment(ctx context.Context, responseID string, r lofte.CommentReview) (*lofte.Comment, error)
}

// DemoReviewer is who approved the demo year's comments.
const DemoReviewer = "demodata"

// Year is a generated year: stops, and per stop (by index) its responses.
type Year struct {
	Stops     []*lofte.Stop
	Responses [][]*lofte.Response
	Baselines []*lofte.Baseline
	// Feedback holds "ni sa – vi gjorde" items; FeedbackStop gives each one's stop index.
	Feedback     []*lofte.FeedbackItem
	FeedbackStop []int
}

// Summary counts what a year holds.
type Summary struct {
	Stops, Held, Cancelled, Events, Responses, Suspect int
}

// Summary counts the year's parts.
func (y *Year) Summary() Summary {
	var s Summary
	s.Stops = len(y.Stops)
	for i, st := range y.Stops {
		switch {
		case st.Status == lofte.StatusCancelled:
			s.Cancelled++
		case st.Status == lofte.StatusHeld:
			s.Held++
		}
		if st.Kind == lofte.KindEvent {
			s.Events++
		}
		for _, r := range y.Responses[i] {
			s.Responses++
			if r.Suspect {
				s.Suspect++
			}
		}
	}
	return s
}

// Fill generates the year and stores it: stops in one transaction, responses in batches.
func Fill(ctx context.Context, st Store, p *lofte.Promise, ls []*lofte.Locality, seed uint64) (Summary, error) {
	return FillScaled(ctx, st, p, ls, seed, 0)
}

// FillScaled is Fill with n responses instead of the year's own (n 0 keeps the year's): the
// year's responses are the templates, each new one taking a template's stop, day, hour and
// suspect flag and the answers of a random template of the same stop, so the figures keep
// the year's shape at any size, a million for a benchmark. Responses are made as they are
// stored, a batch at a time, so memory does not grow with n.
func FillScaled(ctx context.Context, st Store, p *lofte.Promise, ls []*lofte.Locality, seed uint64, n int) (Summary, error) {
	y := Generate(p, ls, seed)
	for _, s := range y.Stops {
		s.PromiseID = p.ID
	}
	if err := st.CreateStops(ctx, y.Stops); err != nil {
		return Summary{}, fmt.Errorf("demo stops: %w", err)
	}
	sum := y.Summary()
	w := &responseWriter{ctx: ctx, st: st, batch: make([]*lofte.Response, 0, fillBatch)}
	if n == 0 {
		if err := y.own(w.add); err != nil {
			return Summary{}, err
		}
	} else {
		var err error
		if sum.Responses, sum.Suspect, err = y.scaled(n, seed, w.add); err != nil {
			return Summary{}, err
		}
	}
	if err := w.flush(); err != nil {
		return Summary{}, err
	}
	if err := reviewComments(ctx, st, w.comments); err != nil {
		return Summary{}, err
	}
	if err := st.CreateBaselines(ctx, p.ID, y.Baselines); err != nil {
		return Summary{}, fmt.Errorf("demo baselines: %w", err)
	}
	if err := y.storeFeedback(ctx, st, p); err != nil {
		return Summary{}, err
	}
	return sum, nil
}

// responseWriter stores responses a batch at a time, keeping the id and day of each stored
// comment for the review.
type responseWriter struct {
	ctx      context.Context
	st       Store
	batch    []*lofte.Response
	comments []lofte.Response
}

// add stores r with the next full batch.
func (w *responseWriter) add(r *lofte.Response) error {
	w.batch = append(w.batch, r)
	if len(w.batch) < fillBatch {
		return nil
	}
	return w.flush()
}

// flush stores the batch begun.
func (w *responseWriter) flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	if _, err := w.st.CreateResponses(w.ctx, w.batch); err != nil {
		return fmt.Errorf("demo responses: %w", err)
	}
	for _, r := range w.batch {
		if _, ok := r.Answers["comment"]; ok {
			w.comments = append(w.comments, lofte.Response{ID: r.ID, Date: r.Date})
		}
	}
	w.batch = w.batch[:0]
	return nil
}

// own hands the year's own responses to add, each with its stored stop's id.
func (y *Year) own(add func(*lofte.Response) error) error {
	for i, rs := range y.Responses {
		for _, r := range rs {
			r.StopID = y.Stops[i].ID
			if err := add(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// storeFeedback stores the year's feedback items, each tied to its stored stop.
func (y *Year) storeFeedback(ctx context.Context, st Store, p *lofte.Promise) error {
	for i, f := range y.Feedback {
		f.PromiseID = p.ID
		id := y.Stops[y.FeedbackStop[i]].ID
		f.StopID = &id
		if err := st.CreateFeedback(ctx, f); err != nil {
			return fmt.Errorf("demo feedback: %w", err)
		}
	}
	return nil
}

// fillBatch is how many responses one CreateResponses call of Fill stores.
const fillBatch = 2000

// scaled makes n responses from the year's own as templates (FillScaled) and hands each to
// add; it returns how many it made and how many of them are suspect.
func (y *Year) scaled(n int, seed uint64, add func(*lofte.Response) error) (made, suspect int, err error) {
	type template struct {
		r    *lofte.Response
		stop int
	}
	var all []template
	for i, rs := range y.Responses {
		for _, r := range rs {
			all = append(all, template{r, i})
		}
	}
	if len(all) == 0 {
		return 0, 0, fmt.Errorf("demo responses: the year has none to scale")
	}
	rng := rand.New(rand.NewPCG(seed^uint64(n), 0x5ca1ed))
	for i := range n {
		t := all[i%len(all)]
		same := y.Responses[t.stop]
		r := &lofte.Response{ID: uuid(rng), StopID: y.Stops[t.stop].ID, Date: t.r.Date, Hour: t.r.Hour, Lang: t.r.Lang,
			Answers: same[rng.IntN(len(same))].Answers, Suspect: t.r.Suspect}
		if r.Suspect {
			r.SuspectReasons = t.r.SuspectReasons
			suspect++
		}
		if err := add(r); err != nil {
			return i, suspect, err
		}
	}
	return n, suspect, nil
}

// reviewComments approves most of the stored comments, as an officer would have, so the
// dashboard and the workbook have comments to show; every tenth stays pending, so the
// moderation page has some to try.
func reviewComments(ctx context.Context, st Store, comments []lofte.Response) error {
	for i, r := range comments {
		if (i+1)%10 == 0 {
			continue
		}
		// The demo year is 2018: the review is dated on the answer's day.
		at := r.Date.In(lofte.Zone).Add(20 * time.Hour)
		if _, err := st.ReviewComment(ctx, r.ID, lofte.CommentReview{Status: lofte.CommentApproved, By: DemoReviewer, At: at}); err != nil {
			return fmt.Errorf("demo comments: %w", err)
		}
	}
	return nil
}

// profile is how a locality's visitors tend to answer, on a 0..1 scale of goodness.
type profile struct {
	trust, cares, safe, knew float64
}

var places = []string{"Torget", "ICA-parkeringen", "Biblioteket", "Idrottsplatsen", "Coop", "Skolan", "Kyrkan",
	"Busstationen", "Vårdcentralen", "Hamnen"}

var eventNames = []string{"Sommarmarknad", "Hamnfesten", "Musik i parken", "Skördefest", "Bygdedag"}

var cancelReasons = []string{"Personalbrist", "Akut ärende", "Fordonet på service", "Storm"}

var notes = []string{"Lugnt förmiddagspass.", "Många frågor om trafiken vid skolan.", "Bra samtal med ungdomar.",
	"Kaffe med pensionärsföreningen.", "Flera tips om mopedbuskörning."}

var comments = []string{"Bra att ni kommer hit!", "Kom oftare, gärna på kvällen.", "Trevligt bemötande.",
	"Det körs för fort förbi skolan.", "Tack för hjälpen med anmälan.", "Vi behöver mer polis i byn.",
	"Skönt att slippa åka in till stan.", "Bra initiativ."}

// Generate makes the year for p from seed. It is pure: the same inputs give the same year.
func Generate(p *lofte.Promise, ls []*lofte.Locality, seed uint64) *Year {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	basorter, others := visited(ls)
	profiles, placesOf := characters(append(append([]*lofte.Locality{}, basorter...), others...))
	y := &Year{}
	y.schedule(rng, p, basorter, others, profiles, placesOf)
	y.feedback(rng)
	y.Baselines = baselines(basorter, profiles)
	return y
}

// visited are the basorter, largest first, and the other places the office visits now and
// then: not the central town, which has its own station.
func visited(ls []*lofte.Locality) (basorter, others []*lofte.Locality) {
	for _, l := range ls {
		if l.Basort {
			basorter = append(basorter, l)
		} else if l.Population < 20000 {
			others = append(others, l)
		}
	}
	sort.SliceStable(basorter, func(i, j int) bool { return basorter[i].Population > basorter[j].Population })
	return basorter, others
}

// characters give each place, by its position in ls, how its visitors tend to answer and
// three places in it where the office stands. The spread is deterministic, so each place has
// its own character without a draw.
func characters(ls []*lofte.Locality) (profiles map[string]profile, placesOf map[string][]string) {
	profiles, placesOf = map[string]profile{}, map[string][]string{}
	for i, l := range ls {
		profiles[l.Name] = profile{
			trust: 0.55 + 0.25*math.Sin(float64(i)*1.7),
			cares: 0.45 + 0.25*math.Cos(float64(i)*2.3),
			safe:  0.70 - 0.25*math.Sin(float64(i)*1.1+0.5),
			knew:  0.45 + 0.15*math.Cos(float64(i)*0.9),
		}
		placesOf[l.Name] = []string{places[i%len(places)], places[(i*3+1)%len(places)], places[(i*7+2)%len(places)]}
	}
	return profiles, placesOf
}

// schedule makes the year's stops: two slots a week, Tuesday and Thursday, rotating through
// the basorter with now and then another place; in the excluded (summer) weeks events on
// most Saturdays instead.
func (y *Year) schedule(rng *rand.Rand, p *lofte.Promise, basorter, others []*lofte.Locality,
	profiles map[string]profile, placesOf map[string][]string) {
	next := 0
	for d := p.Period.From; !d.After(p.Period.To); d = d.AddDays(1) {
		wd := d.In(lofte.Zone).Weekday()
		if p.InExcluded(d) {
			if wd == time.Saturday && rng.IntN(3) > 0 {
				l := basorter[rng.IntN(len(basorter))]
				y.add(rng, p, l, d, 11, 5, lofte.KindEvent, eventNames[rng.IntN(len(eventNames))], profiles)
			}
			continue
		}
		if wd != time.Tuesday && wd != time.Thursday {
			continue
		}
		var l *lofte.Locality
		if len(others) > 0 && rng.IntN(9) == 0 {
			l = others[rng.IntN(len(others))]
		} else {
			l = basorter[next%len(basorter)]
			next++
		}
		startHour := []int{10, 14, 16}[rng.IntN(3)]
		hours := 2 + rng.IntN(3)
		ps := placesOf[l.Name]
		y.add(rng, p, l, d, startHour, hours, lofte.KindRegular, ps[rng.IntN(len(ps))], profiles)
	}
}

// baselines are the synthetic baselines: each basort's follow its profile, the whole area's
// are fixed.
func baselines(basorter []*lofte.Locality, profiles map[string]profile) []*lofte.Baseline {
	var out []*lofte.Baseline
	for _, l := range basorter {
		pr := profiles[l.Name]
		out = append(out,
			&lofte.Baseline{Basort: l.Name, Metric: "trust_high", Value: round2(0.45 + 0.15*pr.trust), Source: BaselineSource},
			&lofte.Baseline{Basort: l.Name, Metric: "cares_agree", Value: round2(0.25 + 0.2*pr.cares), Source: BaselineSource},
			&lofte.Baseline{Basort: l.Name, Metric: "unsafe", Value: round2(0.45 - 0.25*pr.safe), Source: BaselineSource})
	}
	return append(out,
		&lofte.Baseline{Metric: "trust_high", Value: 0.55, Source: BaselineSource},
		&lofte.Baseline{Metric: "cares_agree", Value: 0.38, Source: BaselineSource},
		&lofte.Baseline{Metric: "unsafe", Value: 0.27, Source: BaselineSource})
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// add makes one stop at l on day d with its field log and responses.
func (y *Year) add(rng *rand.Rand, p *lofte.Promise, l *lofte.Locality, d lofte.Date, hour, hours int,
	kind lofte.StopKind, place string, profiles map[string]profile) {
	start := d.In(lofte.Zone).Add(time.Duration(hour) * time.Hour)
	end := start.Add(time.Duration(hours) * time.Hour)
	lead := 3 + rng.IntN(19)
	if rng.IntN(10) < 7 {
		lead = 7 + rng.IntN(15) // most are announced a week or more ahead
	}
	pub := start.AddDate(0, 0, -lead).Add(-time.Duration(rng.IntN(8)) * time.Hour).UTC()
	s := &lofte.Stop{Basort: l.Name, Place: place, StartsAt: start.UTC(), EndsAt: end.UTC(), Kind: kind,
		Status: lofte.StatusHeld, PublishedAt: &pub}
	var rs []*lofte.Response
	if rng.IntN(100) < 5 {
		s.Status = lofte.StatusCancelled
		s.CancelReason = cancelReasons[rng.IntN(len(cancelReasons))]
	} else {
		as := start.Add(time.Duration(rng.IntN(11)-5) * time.Minute).UTC()
		ae := end.Add(time.Duration(rng.IntN(21)-10) * time.Minute).UTC()
		s.ActualStart, s.ActualEnd = &as, &ae
		s.Staff = 1 + rng.IntN(3)
		size := math.Sqrt(float64(max(l.Population, 100))) / 8
		s.Visitors = 15 + rng.IntN(int(size*3)+30)
		if kind == lofte.KindEvent {
			s.Visitors += 20 + rng.IntN(30)
		}
		s.Contacts = lofte.Contacts{CrimeReport: rng.IntN(3), Tip: rng.IntN(4), Advice: rng.IntN(6), Other: rng.IntN(3)}
		s.Topics = pickDistinct(rng, problems, rng.IntN(4))
		if rng.IntN(4) == 0 {
			s.Notes = notes[rng.IntN(len(notes))]
		}
		n := int(float64(s.Visitors) * (0.3 + 0.4*rng.Float64()))
		if l.Population < 700 {
			n = rng.IntN(2) // a very small place gives almost no answers, so suppression shows
		}
		// Later in the year the promise has had effect: trust, care and awareness rise.
		progress := float64(p.Period.From.DaysUntil(d)) / float64(max(1, p.Period.From.DaysUntil(p.Period.To)))
		minute := start.Add(time.Duration(rng.IntN(20)) * time.Minute)
		for range n {
			minute = minute.Add(time.Duration(30+rng.IntN(600)) * time.Second)
			if !minute.Before(end) {
				minute = end.Add(-time.Minute)
			}
			r := answer(rng, profiles[l.Name], progress)
			r.Date = lofte.LocalDate(minute)
			r.Hour = minute.In(lofte.Zone).Hour()
			if rng.IntN(100) == 0 {
				r.Suspect, r.SuspectReasons = true, []lofte.SuspectReason{lofte.ReasonTooFast}
			}
			rs = append(rs, r)
		}
	}
	y.Stops = append(y.Stops, s)
	y.Responses = append(y.Responses, rs)
}

var problems = options("problems")

// options returns an item's options in the catalogue's order, leaving out those in except.
// The codes the demo names itself (in except and in answer's weighted picks) are checked
// by the tests, which put every generated answer through the catalogue's Decode.
func options(item string, except ...string) []string {
	all := survey.Default().Options(item)
	if all == nil {
		panic("demo: no item " + item + " in the survey catalogue")
	}
	return slices.DeleteFunc(all, func(o string) bool { return slices.Contains(except, o) })
}

// Options ordered best first for scale, the "don't know"-type ones left out.
var (
	gotHelpScale = options("got_help")
	safetyScale  = options("safety", "never_out", "dont_know")
	trustScale   = options("trust", "no_opinion")
	caresScale   = options("cares", "dont_know")
	worryScale   = reversed(options("worry", "dont_know"))
)

func reversed(s []string) []string {
	slices.Reverse(s)
	return s
}

func pickDistinct(rng *rand.Rand, from []string, n int) []string {
	idx := rng.Perm(len(from))[:n]
	sort.Ints(idx)
	out := make([]string, 0, n)
	for _, i := range idx {
		out = append(out, from[i])
	}
	return out
}

// scale picks one of options ordered best first, with goodness g in 0..1.
func scale(rng *rand.Rand, options []string, g float64) string {
	x := rng.NormFloat64()*0.9 + (1-g)*float64(len(options)-1)
	i := int(math.Round(x))
	return options[min(max(i, 0), len(options)-1)]
}

func uuid(rng *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// answer makes one visitor's response following the items and rules of docs/survey.md. Its
// parts draw from rng item by item in the survey's order; that order is the demo year, so a
// change to it changes every figure.
func answer(rng *rand.Rand, pr profile, progress float64) *lofte.Response {
	lang := "sv"
	switch x := rng.IntN(100); {
	case x < 7:
		lang = "en"
	case x < 12:
		lang = "ar"
	}
	a := lofte.Answers{}
	visitAnswers(rng, a, pr, progress)
	opinionAnswers(rng, a, pr, progress)
	if rng.IntN(100) < 40 { // the extended part
		extendedAnswers(rng, a, pr)
	}
	return &lofte.Response{ID: uuid(rng), Lang: lang, Answers: a}
}

// skipped reports whether a visitor skips the next question, as 6 in 100 do.
func skipped(rng *rand.Rand) bool { return rng.IntN(100) < 6 }

// visitAnswers are the answers about the visit: why they came, whether they got help, whether
// and how they knew of it, and what they would have done otherwise.
func visitAnswers(rng *rand.Rand, a lofte.Answers, pr profile, progress float64) {
	reasons := []string{"report_crime", "tip", "question", "question", "concern", "concern", "meet", "meet", "curious", "curious", "curious", "other"}
	if !skipped(rng) {
		a["reason"] = reasons[rng.IntN(len(reasons))]
	}
	if a["reason"] != "curious" && !skipped(rng) {
		a["got_help"] = scale(rng, gotHelpScale, 0.85)
	}
	if !skipped(rng) {
		knew := pr.knew + 0.25*progress
		if rng.Float64() < knew {
			a["knew_in_advance"] = "yes"
			if !skipped(rng) {
				ch := []string{"polisen_se", "municipality", "social_media", "social_media", "local_press", "local_press", "poster", "word_of_mouth", "word_of_mouth", "other"}
				a["channel"] = ch[rng.IntN(len(ch))]
			}
		} else {
			a["knew_in_advance"] = "no"
		}
	}
	if !skipped(rng) {
		alt := []string{"travel_to_station", "travel_to_station", "phone_or_web", "would_not_have_contacted", "would_not_have_contacted", "unsure"}
		a["alternative"] = alt[rng.IntN(len(alt))]
	}
}

// opinionAnswers are the answers on safety, trust, care and satisfaction, following the
// place's profile; trust and care rise as the year goes on.
func opinionAnswers(rng *rand.Rand, a lofte.Answers, pr profile, progress float64) {
	if !skipped(rng) {
		if rng.IntN(100) < 6 {
			a["safety"] = []string{"never_out", "dont_know"}[rng.IntN(2)]
		} else {
			a["safety"] = scale(rng, safetyScale, pr.safe)
		}
	}
	if !skipped(rng) {
		if rng.IntN(100) < 7 {
			a["trust"] = "no_opinion"
		} else {
			a["trust"] = scale(rng, trustScale, pr.trust+0.15*progress)
		}
	}
	if !skipped(rng) {
		if rng.IntN(100) < 8 {
			a["cares"] = "dont_know"
		} else {
			a["cares"] = scale(rng, caresScale, pr.cares+0.2*progress)
		}
	}
	if !skipped(rng) {
		a["satisfaction"] = 5 - int(math.Min(4, math.Abs(rng.NormFloat64()*1.1)))
	}
}

// extendedAnswers are the extended part's answers, which 40 in 100 visitors give: problems,
// worry, contact, who they are, and now and then a comment.
func extendedAnswers(rng *rand.Rand, a lofte.Answers, pr profile) {
	if !skipped(rng) {
		if ps := pickDistinct(rng, problems, 1+rng.IntN(3)); len(ps) > 0 {
			a["problems"] = ps
		}
	}
	if !skipped(rng) {
		a["worry"] = scale(rng, worryScale, pr.safe)
	}
	if !skipped(rng) {
		a["easier_contact"] = []string{"yes", "yes", "somewhat", "no", "dont_know"}[rng.IntN(5)]
	}
	if !skipped(rng) {
		a["resident"] = []string{"lives_here", "lives_here", "lives_here", "lives_here", "elsewhere_in_municipality", "outside_municipality"}[rng.IntN(6)]
	}
	if !skipped(rng) {
		a["age_band"] = []string{"u18", "18_29", "30_44", "45_64", "45_64", "65_79", "65_79", "80p"}[rng.IntN(8)]
	}
	if !skipped(rng) {
		a["gender"] = []string{"woman", "man", "woman", "man", "other"}[rng.IntN(5)]
	}
	if rng.IntN(100) < 20 {
		a["comment"] = lofte.FreeText(comments[rng.IntN(len(comments))])
	}
}

// concerns are what residents raise, by topic, and what the police did about it.
var concerns = map[string][2]string{
	"traffic":        {"Bilar kör för fort förbi skolan på morgonen.", "Hastighetskontroller vid skolan två morgnar i veckan under en månad."},
	"burglary":       {"Flera förrådsinbrott i radhusområdet.", "Extra kvällspatrullering och informationsmöte om grannsamverkan."},
	"drugs":          {"Oro för langning vid busstationen.", "Riktade kontroller tillsammans med kommunens fältassistenter."},
	"vandalism":      {"Klotter och krossade rutor vid idrottsplatsen.", "Kameraövervakning utreddes med kommunen; fler kvällsbesök."},
	"youth_disorder": {"Mopedåkning på gångvägarna på kvällarna.", "Samtal med ungdomar och föräldrar; kontroller av mopeder."},
	"fraud":          {"Äldre har fått bedrägerisamtal.", "Föreläsning om telefonbedrägerier på träffpunkten."},
	"littering":      {"Nedskräpning vid badplatsen.", "Ärendet lämnades till kommunen som satte upp fler soptunnor."},
}

// feedback turns a few topics raised at held stops into items; most are closed by autumn.
func (y *Year) feedback(rng *rand.Rand) {
	channels := []string{"next_stop", "web", "local_press"}
	for i, s := range y.Stops {
		if s.Status != lofte.StatusHeld || s.Kind != lofte.KindRegular || len(s.Topics) == 0 || rng.IntN(6) != 0 {
			continue
		}
		topic := s.Topics[0]
		c, ok := concerns[topic]
		if !ok {
			continue
		}
		f := &lofte.FeedbackItem{Basort: s.Basort, Topic: topic, Said: c[0], Status: lofte.FeedbackOpen}
		switch x := rng.IntN(10); {
		case x < 7:
			on := lofte.LocalDate(s.StartsAt).AddDays(14 + rng.IntN(30))
			f.Status, f.Action, f.FeedbackOn, f.Channel = lofte.FeedbackClosed, c[1], &on, channels[rng.IntN(3)]
		case x < 9:
			f.Status, f.Action = lofte.FeedbackInProgress, c[1]
		}
		y.Feedback = append(y.Feedback, f)
		y.FeedbackStop = append(y.FeedbackStop, i)
	}
}

// SampleAnswers returns n visitors' answers drawn from seed as the demo year draws them, each
// with a place and a point in the year of its own: realistic payloads for a load test.
func SampleAnswers(seed uint64, n int) []lofte.Answers {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]lofte.Answers, n)
	for i := range out {
		pr := profile{trust: 0.3 + 0.5*rng.Float64(), cares: 0.2 + 0.5*rng.Float64(), safe: 0.45 + 0.5*rng.Float64(),
			knew: 0.3 + 0.3*rng.Float64()}
		out[i] = answer(rng, pr, rng.Float64()).Answers
	}
	return out
}
