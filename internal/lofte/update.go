package lofte

// The updates (PromiseUpdate, StopUpdate, FeedbackUpdate, UserUpdate) say "leave it" with a
// nil field; set and setCopy are how every Apply takes a field that is there.

// set replaces *dst with *v when v is given.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// setCopy points *dst at a copy of *v when v is given, so the updated value never shares
// memory with the update.
func setCopy[T any](dst **T, v *T) {
	if v != nil {
		c := *v
		*dst = &c
	}
}
