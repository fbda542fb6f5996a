package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

func (s *Server) registerHealthRoutes() {
	s.route(http.MethodGet, "/healthz", func(c *gin.Context) error {
		if err := s.store.Ping(c.Request.Context()); err != nil {
			s.log.ErrorContext(c.Request.Context(), "health check", "err", err)
			return &lofte.Error{Code: lofte.EUNAVAILABLE, Message: "databasen svarar inte"}
		}
		c.JSON(http.StatusOK, gin.H{"status": "ok"})
		return nil
	})
}
