package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
)

// TestRunShort loads the three targets for a moment each, single answers and batches, and
// wants every request stored or accepted, and the ratios printed.
func TestRunShort(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-kiosks", "4", "-duration", "300ms", "-batch", "1,3", "-dir", t.TempDir()}, &out, io.Discard)
	if err != nil {
		t.Fatalf("%v\n%s", err, &out)
	}
	text := out.String()
	t.Log("\n" + text)
	row := regexp.MustCompile(`(?m)^(app \(durable\)|\(a\) bare Gin, no store|\(b\) raw SQLite, 1 row/tx) +(\d+) +\d+ +[\d.]+ms +[\d.]+ms +(\d+)$`)
	rows := row.FindAllStringSubmatch(text, -1)
	if len(rows) != 6 {
		t.Fatalf("%d result rows, want 3 targets × 2 batch sizes", len(rows))
	}
	for _, r := range rows {
		if r[2] == "0" || r[3] != "0" {
			t.Errorf("%s: %s answers/s, %s errors", r[1], r[2], r[3])
		}
	}
	for _, want := range []string{"app/(a) = ", "app/(b) = ", "durable transactions", "first error"} {
		if got := strings.Count(text, want); (want == "first error") != (got == 0) {
			t.Errorf("%q appears %d times", want, got)
		}
	}
}

func TestFlagsAreBounded(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-listen", "192.0.2.1"}, "only a loopback address"},
		{[]string{"-listen", "example.org"}, "only a loopback address"},
		{[]string{"-duration", "3m"}, "at most 2m0s"},
		{[]string{"-duration", "0s"}, "more than 0"},
		{[]string{"-kiosks", "5000"}, "from 1 to 1024"},
		{[]string{"-batch", "1,501"}, "from 1 to 500"},
		{[]string{"-requests", "0"}, "at least 1"},
		{[]string{"-targets", "app,nginx"}, "app, gin and sqlite"},
		{[]string{"extra"}, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			err := run(context.Background(), tt.args, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
}
