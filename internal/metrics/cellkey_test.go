package metrics_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/quick"

	"medborgarlofte/internal/metrics"
)

// key returns the record key whose cell key is exactly f; f must be a multiple of 2^-32.
func keyAt(f float64) uint32 { return uint32(f * (1 << 32)) }

// dyadicPTable is a table whose boundaries are exact cell keys, so a key can sit on lb or ub.
const dyadicPTable = `i,v,p,lb,ub
0,0,1,0,1
1,-1,0.25,0,0.25
1,0,0.5,0.25,0.75
1,1,0.25,0.75,1
2,-2,0.125,0,0.125
2,0,0.75,0.125,0.875
2,2,0.125,0.875,1
`

func mustParsePTable(t *testing.T, s string) *metrics.PTable {
	t.Helper()
	pt, err := metrics.ParsePTable(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return pt
}

func TestSet(t *testing.T) {
	if got, want := (metrics.Set{N: 1, Key: math.MaxUint32}).Add(metrics.Set{N: 2, Key: 5}), (metrics.Set{N: 3, Key: 4}); got != want {
		t.Errorf("Add wraps: got %+v, want %+v", got, want)
	}
	for _, tt := range []struct {
		key  uint32
		want float64
	}{{0, 0}, {1 << 30, 0.25}, {1 << 31, 0.5}, {math.MaxUint32, 1 - 1.0/(1<<32)}} {
		if got := (metrics.Set{N: 1, Key: tt.key}).CellKey(); got != tt.want {
			t.Errorf("CellKey(%d) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestPerturb(t *testing.T) {
	def, dy := metrics.DefaultPTable(), mustParsePTable(t, dyadicPTable)
	// Boundaries of the embedded table are not multiples of 2^-32: the key just below lb
	// still belongs to the row before, the key just above to the row.
	below := func(b float64) uint32 { return uint32(math.Floor(b * (1 << 32))) }
	above := func(b float64) uint32 { return uint32(math.Ceil(b * (1 << 32))) }
	tests := []struct {
		name  string
		table *metrics.PTable
		set   metrics.Set
		want  int
	}{
		{"empty stays 0 whatever the key", def, metrics.Set{N: 0, Key: math.MaxUint32}, 0},
		{"i=1 lowest key: -1", def, metrics.Set{N: 1, Key: 0}, 0},
		{"i=1 just below 0.398064711138: -1", def, metrics.Set{N: 1, Key: below(0.398064711138)}, 0},
		{"i=1 just above 0.398064711138: 0", def, metrics.Set{N: 1, Key: above(0.398064711138)}, 1},
		{"i=1 just below 0.703870577723: 0", def, metrics.Set{N: 1, Key: below(0.703870577723)}, 1},
		{"i=1 just above 0.703870577723: +1", def, metrics.Set{N: 1, Key: above(0.703870577723)}, 2},
		{"i=1 just above 0.898064711138: +2", def, metrics.Set{N: 1, Key: above(0.898064711138)}, 3},
		{"i=1 highest key: +2", def, metrics.Set{N: 1, Key: math.MaxUint32}, 3},
		{"i=2 lowest key: -2", def, metrics.Set{N: 2, Key: 0}, 0},
		{"i=2 just above 0.063827136706: -1", def, metrics.Set{N: 2, Key: above(0.063827136706)}, 1},
		{"i=2 middle: 0", def, metrics.Set{N: 2, Key: keyAt(0.5)}, 2},
		{"i=2 just below 0.936172863294: +1", def, metrics.Set{N: 2, Key: below(0.936172863294)}, 3},
		{"i=2 highest key: +2", def, metrics.Set{N: 2, Key: math.MaxUint32}, 4},
		{"i=3 uses the i=2 rows: -2", def, metrics.Set{N: 3, Key: 0}, 1},
		{"i=3 uses the i=2 rows: +2", def, metrics.Set{N: 3, Key: math.MaxUint32}, 5},
		{"i=250 uses the i=2 rows: -1", def, metrics.Set{N: 250, Key: keyAt(0.25)}, 249},
		{"key on lb 0.25 selects that row", dy, metrics.Set{N: 1, Key: keyAt(0.25)}, 1},
		{"key one below lb 0.25 selects the row before", dy, metrics.Set{N: 1, Key: keyAt(0.25) - 1}, 0},
		{"key on ub 0.75 selects the next row", dy, metrics.Set{N: 1, Key: keyAt(0.75)}, 2},
		{"key on lb 0 selects the first row", dy, metrics.Set{N: 2, Key: 0}, 0},
		{"key on ub 0.125 selects the next row", dy, metrics.Set{N: 2, Key: keyAt(0.125)}, 2},
		{"key on lb 0.875 selects that row", dy, metrics.Set{N: 7, Key: keyAt(0.875)}, 9},
		{"wrapped key sum 0.75 + 0.5 = 0.25 selects noise 0", dy,
			metrics.Set{N: 1, Key: keyAt(0.75)}.Add(metrics.Set{N: 0, Key: keyAt(0.5)}), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.table.Perturb(tt.set); got != tt.want {
				t.Errorf("Perturb(%+v) = %d, want %d (cell key %v)", tt.set, got, tt.want, tt.set.CellKey())
			}
		})
	}
}

// TestPerturbFrequencies walks evenly spaced cell keys: each noise must come up as often as
// its row's p says.
func TestPerturbFrequencies(t *testing.T) {
	pt := metrics.DefaultPTable()
	const steps = 1 << 16
	for _, i := range []int{1, 2, 3, 40} {
		got := map[int]float64{}
		for k := range steps {
			got[pt.Perturb(metrics.Set{N: i, Key: uint32(k) << 16})-i] += 1.0 / steps
		}
		for v, p := range pt.Noise(i) {
			if math.Abs(got[v]-p) > 2.0/steps {
				t.Errorf("i=%d: noise %+d in %.5f of keys, want %.5f", i, v, got[v], p)
			}
		}
	}
}

func TestDefaultPTable(t *testing.T) {
	pt := metrics.DefaultPTable()
	if pt != metrics.DefaultPTable() {
		t.Error("DefaultPTable parses the embedded table again on each call")
	}
	// The table's promise: unbiased, variance 1, at most 2, for every count; an empty set stays 0.
	if n := pt.Noise(0); len(n) != 1 || n[0] != 1 {
		t.Errorf("noise of an empty set is %v, want always 0", n)
	}
	for _, i := range []int{1, 2, 3, 100} {
		var sum, mean, variance float64
		for v, p := range pt.Noise(i) {
			sum += p
			mean += float64(v) * p
			variance += float64(v*v) * p
			if v < -2 || v > 2 || i+v < 0 {
				t.Errorf("i=%d: noise %+d", i, v)
			}
		}
		if math.Abs(sum-1) > 1e-9 || math.Abs(mean) > 1e-9 || math.Abs(variance-1) > 1e-9 {
			t.Errorf("i=%d: probabilities sum to %v, mean %v, variance %v; want 1, 0, 1", i, sum, mean, variance)
		}
	}
}

func TestParsePTableErrors(t *testing.T) {
	const head = "i,v,p,lb,ub\n"
	tests := []struct {
		name, csv, want string
	}{
		{"empty", "", "header"},
		{"wrong header", "i,v,p,ub,lb\n0,0,1,0,1\n", "header"},
		{"no rows", head, "no rows"},
		{"missing field", head + "0,0,1,0\n", "wrong number of fields"},
		{"i not a number", head + "x,0,1,0,1\n", `line 2: i "x"`},
		{"negative i", head + "-1,0,1,0,1\n", "line 2: i"},
		{"v not whole", head + "0,0.5,1,0,1\n", `v "0.5"`},
		{"p not a number", head + "0,0,one,0,1\n", `p "one"`},
		{"count below 0", head + "0,0,1,0,1\n1,-2,1,0,1\n", "line 3: noise -2 would make count 1 negative"},
		{"p not ub-lb", head + "0,0,0.9,0,1\n", "p = 0.9 but ub − lb = 1"},
		{"interval outside [0,1]", head + "0,0,1.5,0,1.5\n", "not within [0, 1]"},
		{"gap", head + "0,0,1,0,1\n1,-1,0.4,0,0.4\n1,1,0.5,0.5,1\n", "i = 1: interval starts at 0.5, want 0.4"},
		{"overlap", head + "0,0,1,0,1\n1,-1,0.5,0,0.5\n1,1,0.6,0.4,1\n", "i = 1: interval starts at 0.4, want 0.5"},
		{"short of 1", head + "0,0,1,0,1\n1,-1,0.5,0,0.5\n1,1,0.4,0.5,0.9\n", "i = 1 end at 0.9, want 1"},
		{"not from 0", head + "0,0,0.5,0.5,1\n", "i = 0: interval starts at 0.5, want 0"},
		{"an i missing", head + "0,0,1,0,1\n2,0,1,0,1\n", "no rows for i = 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := metrics.ParsePTable(strings.NewReader(tt.csv))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	// Rows in any order are fine as long as they tile [0, 1).
	mustParsePTable(t, head+"0,0,1,0,1\n1,1,0.5,0.5,1\n1,-1,0.5,0,0.5\n")
}

func TestShare(t *testing.T) {
	pt := metrics.DefaultPTable()
	tests := []struct {
		name     string
		num, den metrics.Set
		x, n     int
	}{
		{"no noise", metrics.Set{N: 4, Key: keyAt(0.5)}, metrics.Set{N: 10, Key: keyAt(0.5)}, 4, 10},
		{"numerator clipped to the denominator", metrics.Set{N: 3, Key: math.MaxUint32}, metrics.Set{N: 3, Key: 0}, 1, 1},
		{"empty denominator", metrics.Set{}, metrics.Set{}, 0, 0},
		{"numerator up, denominator down, still below", metrics.Set{N: 2, Key: math.MaxUint32}, metrics.Set{N: 9, Key: 0}, 4, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if x, n := pt.Share(tt.num, tt.den); x != tt.x || n != tt.n {
				t.Errorf("Share = %d/%d, want %d/%d", x, n, tt.x, tt.n)
			}
		})
	}
}

func TestPerturbProperties(t *testing.T) {
	pt := metrics.DefaultPTable()
	counts := func(n uint16, k uint32) bool {
		s := metrics.Set{N: int(n), Key: k}
		got := pt.Perturb(s)
		return got >= 0 && got == pt.Perturb(s) && (n != 0 || got == 0) && absInt(got-int(n)) <= 2
	}
	if err := quick.Check(counts, &quick.Config{MaxCount: 20000}); err != nil {
		t.Errorf("perturbed count negative, inconsistent or off by more than 2: %v", err)
	}
	r := rand.New(rand.NewPCG(7, 11))
	for range 20000 {
		den := metrics.Set{N: r.IntN(30), Key: r.Uint32()}
		num := metrics.Set{N: r.IntN(den.N + 1), Key: r.Uint32()}
		x, n := pt.Share(num, den)
		if x < 0 || x > n {
			t.Fatalf("Share(%+v, %+v) = %d/%d", num, den, x, n)
		}
		if x2, n2 := pt.Share(num, den); x2 != x || n2 != n {
			t.Fatalf("Share(%+v, %+v) gave %d/%d, then %d/%d", num, den, x, n, x2, n2)
		}
	}
}

func absInt(x int) int { return max(x, -x) }
