package metrics

import (
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"medborgarlofte/internal/lofte"
)

// CommentsMinResponses is the fewest perturbed responses a basort must have in the scope
// before its approved comments are shown outside the moderation queue: in a small cell a
// comment could point at the person who wrote it.
const CommentsMinResponses = 10

// CommentsShown reports whether a cell with this many (perturbed) responses may show its
// comments.
func CommentsShown(responses int) bool { return responses >= CommentsMinResponses }

// PublicComments returns, of the approved comments cs, those that may leave the app, each
// judged by the survey cell it belongs to: its basort, over the scope's whole months, among
// the stops of its kind, whose perturbed responses must reach CommentsMinResponses. regular
// and events are the scope grouped by basort for each kind. They are sorted by text as a
// Swedish reader expects (å, ä, ö last), then by basort, so neither the order nor the row
// places a comment in time.
func PublicComments(cs []*lofte.Comment, stops []*lofte.Stop, regular, events *Result) []*lofte.Comment {
	public := CommentPublic(stops, regular, events)
	out := slices.DeleteFunc(slices.Clone(cs), func(c *lofte.Comment) bool { return !public(c) })
	SortComments(out)
	return out
}

// SortComments sorts cs by text as a Swedish reader expects (å, ä, ö last), then by basort,
// keeping the order of ties: the order lofte.CommentStore.EachComment reads them in.
func SortComments(cs []*lofte.Comment) {
	col := collate.New(language.Swedish)
	slices.SortStableFunc(cs, func(x, y *lofte.Comment) int {
		if n := col.CompareString(x.Text, y.Text); n != 0 {
			return n
		}
		return col.CompareString(x.Basort, y.Basort)
	})
}

// CommentPublic returns the rule of PublicComments for one approved comment, for a caller
// that reads the comments one at a time, already in order (lofte.CommentStore.EachComment).
func CommentPublic(stops []*lofte.Stop, regular, events *Result) func(*lofte.Comment) bool {
	shown := map[lofte.StopKind]map[string]bool{lofte.KindRegular: commentable(regular), lofte.KindEvent: commentable(events)}
	kind := map[int64]lofte.StopKind{}
	for _, s := range stops {
		if s.Status.Public() {
			kind[s.ID] = s.Kind
		}
	}
	return func(c *lofte.Comment) bool { return shown[kind[c.StopID]][c.Basort] }
}

// commentable returns the basorter of a grouping by basort whose perturbed responses allow
// their comments to be shown.
func commentable(byBasort *Result) map[string]bool {
	out := map[string]bool{}
	if byBasort == nil {
		return out
	}
	for _, g := range byBasort.Groups {
		if CommentsShown(int(g.Metrics.CountValue("responses"))) {
			out[g.Key] = true
		}
	}
	return out
}
