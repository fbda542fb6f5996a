package main

import (
	"testing"
)

func TestProxyFlag(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"10.0.0.0/8"}, "[10.0.0.0/8]"},
		{[]string{"10.0.0.0/8, 192.168.1.5", "::1"}, "[10.0.0.0/8 192.168.1.5/32 ::1/128]"},
		{[]string{"10.1.2.3/8"}, "[10.0.0.0/8]"},
		{[]string{"fd00::/8"}, "[fd00::/8]"},
	}
	for _, tt := range tests {
		var p proxyFlag
		for _, a := range tt.args {
			if err := p.Set(a); err != nil {
				t.Fatalf("%q: %v", a, err)
			}
		}
		if got := p.String(); got != tt.want {
			t.Errorf("%q: %s, want %s", tt.args, got, tt.want)
		}
	}
}
