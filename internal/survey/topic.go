package survey

import (
	"slices"
	"strconv"

	"medborgarlofte/internal/lofte"
)

// topicItem is the item whose options are also the topics officers log at a stop and feedback
// items are about, so that what officers hear and what visitors answer are counted alike.
const topicItem = "problems"

// CheckTopic refuses a feedback item's topic that is not a topic of the catalogue. An empty
// one passes: that a topic is required is lofte.FeedbackItem.Validate's rule.
func (c *Catalogue) CheckTopic(code string) error {
	if code != "" && !c.isTopic(code) {
		return lofte.Invalid("topic", "okänt ämne %q", code)
	}
	return nil
}

// CheckTopics refuses a stop's topic list with a code that is not a topic of the catalogue or
// that comes twice, naming it as topics[i].
func (c *Catalogue) CheckTopics(codes []string) error {
	for i, code := range codes {
		field := "topics[" + strconv.Itoa(i) + "]"
		if !c.isTopic(code) {
			return lofte.Invalid(field, "okänt ämne %q", code)
		}
		if slices.Contains(codes[:i], code) {
			return lofte.Invalid(field, "ämnet %q förekommer två gånger", code)
		}
	}
	return nil
}

func (c *Catalogue) isTopic(code string) bool {
	it, ok := c.byCode[topicItem]
	return ok && slices.Contains(it.Options, code)
}
