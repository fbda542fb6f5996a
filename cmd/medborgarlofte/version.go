package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"medborgarlofte/internal/sqlite"
)

// version is the release, set when building one: go build -ldflags "-X main.version=1.4.0".
// Without it the build's own module version or VCS revision is shown.
var version = ""

// appVersion is the version to show: the release, else what the Go toolchain recorded.
func appVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "okänd"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+ändrad"
			}
		}
	}
	if rev == "" {
		return "utvecklingsversion"
	}
	return "utvecklingsversion " + rev[:min(12, len(rev))] + modified
}

// runVersion prints the program's version, the newest database schema it knows (it migrates
// older databases to it at start) and the Go version it was built with.
func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "medborgarlofte %s\ndatabasschema %d\n%s\n", appVersion(), sqlite.SchemaVersion(), runtime.Version())
	return nil
}
