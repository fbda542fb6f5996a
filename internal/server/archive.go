package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

type archivePage struct {
	Public
	Feedback []publicFeedback
	Back     string
}

func (s *Server) registerArchiveRoutes() {
	s.route(http.MethodGet, "/vi-gjorde", s.handleArchive)
}

// handleArchive is "ni sa – vi gjorde" whole: every closed feedback item of the promise,
// the latest first; the start page shows the first few.
func (s *Server) handleArchive(c *gin.Context) error {
	pub := s.publicBase(c, "fb.heading")
	if _, err := pub.promised(); err != nil {
		return err
	}
	items, err := s.store.FindFeedback(c.Request.Context(), lofte.FeedbackFilter{PromiseID: pub.Promise.ID,
		Statuses: []lofte.FeedbackStatus{lofte.FeedbackClosed}})
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "archive", &archivePage{Public: pub, Feedback: s.feedbackViews(items, pub.Lang), Back: pub.Link("/")})
	return nil
}
