package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/web"
)

func (s *Server) registerStaticRoutes() {
	s.route(http.MethodGet, "/static/*file", s.handleStatic)
}

// handleStatic serves the embedded assets under their content-hashed names, cached for good.
func (s *Server) handleStatic(c *gin.Context) error {
	name, ok := s.assets.Lookup(c.Param("file")[1:])
	if !ok {
		return lofte.NotFound("filen finns inte")
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.FileFromFS(name, http.FS(web.Static()))
	return nil
}
