// Package server is the web application: the Gin engine, middleware, authentication, the one
// access table, JSON handlers and HTML pages. Handlers speak to the domain's store
// interfaces; they never see SQL.
package server
