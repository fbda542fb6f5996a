// Package web holds what the browser gets: HTML templates (one set per page: the layout,
// shared partials and the page), and static assets served under content-hashed paths so they
// can be cached for good.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed templates static root
var files embed.FS

// Static returns the static assets.
func Static() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err)
	}
	return sub
}

// Assets maps static file names to content-hashed URL paths and back.
type Assets struct {
	byName map[string]string // "app.css" → "/static/app.3f2a1b9c.css"
	byPath map[string]string // "app.3f2a1b9c.css" → "app.css"
}

// NewAssets hashes every static file.
func NewAssets() (*Assets, error) {
	a := &Assets{byName: map[string]string{}, byPath: map[string]string{}}
	err := fs.WalkDir(Static(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Static(), p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		hashed := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		a.byName[p] = "/static/" + hashed
		a.byPath[hashed] = p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hash static assets: %w", err)
	}
	return a, nil
}

// URL returns the hashed path of a static file; it panics for an unknown file so a typo
// fails every page test.
func (a *Assets) URL(name string) string {
	u, ok := a.byName[name]
	if !ok {
		panic("unknown static asset " + name)
	}
	return u
}

// Lookup returns the file name behind a hashed path.
func (a *Assets) Lookup(hashed string) (string, bool) {
	n, ok := a.byPath[hashed]
	return n, ok
}

// Pages lists the page templates.
func Pages() []string {
	entries, _ := fs.Glob(files, "templates/pages/*.html")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(path.Base(e), ".html"))
	}
	sort.Strings(out)
	return out
}

// Parse builds one template set per page: layout + partials + page.
func Parse(funcs template.FuncMap) (map[string]*template.Template, error) {
	sets := map[string]*template.Template{}
	for _, p := range Pages() {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(files,
			"templates/layout.html", "templates/partials/*.html", "templates/pages/"+p+".html")
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", p, err)
		}
		sets[p] = t
	}
	return sets, nil
}

// ReadFile returns a file from the root folder: files served under a fixed path rather
// than a hashed one (the kiosk's service worker, whose path decides its scope).
func ReadFile(name string) ([]byte, error) { return fs.ReadFile(files, "root/"+name) }
