package seed_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/seed"
)

func TestParseLocalities(t *testing.T) {
	head := "name,population_2018,lat,lon,basort,coordinates\n"
	tests := []struct {
		name, csv string
		ok        bool
	}{
		{"ok", head + "Tollarp,3446,55.933,13.983,true,approximate\n", true},
		{"bad header", "namn,folk,lat,lon,basort,coordinates\nA,1,1,1,true,published\n", false},
		{"bad number", head + "Tollarp,many,55.9,13.9,true,approximate\n", false},
		{"bad bool", head + "Tollarp,1,55.9,13.9,kanske,approximate\n", false},
		{"bad source", head + "Tollarp,1,55.9,13.9,true,guessed\n", false},
		{"latitude out of range", head + "Tollarp,1,95,13.9,true,published\n", false},
		{"twice", head + "A,1,1,1,true,published\nA,1,1,1,true,published\n", false},
		{"empty", head, false},
		{"short row", head + "A,1,1\n", false},
	}
	for _, tt := range tests {
		_, err := seed.ParseLocalities(strings.NewReader(tt.csv))
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v", tt.name, err)
		}
	}
}

// TestOtherPromiseIsJustData loads a made-up promise from files alone.
func TestOtherPromiseIsJustData(t *testing.T) {
	fsys := fstest.MapFS{
		"ystad-2024/promise.json": {Data: []byte(`{"slug":"ystad-2024","title":"Medborgarlöfte Ystad 2024",
			"municipality":"Ystads kommun","police_area":"LPO Ystad","period":{"from":"2024-01-01","to":"2024-12-31"},
			"excluded":[],"outcomes":[]}`)},
		"ystad-2024/localities.csv": {Data: []byte("name,population_2018,lat,lon,basort,coordinates\nLöderup,900,55.4,14.1,true,approximate\n")},
	}
	p, ls, err := seed.Load(fsys, "ystad-2024")
	if err != nil {
		t.Fatal(err)
	}
	// Unset thresholds take the defaults of metrics version 2.
	if p.MinN != lofte.DefaultMinN || p.StatusMinN != lofte.DefaultStatusMinN || len(ls) != 1 || ls[0].Name != "Löderup" {
		t.Errorf("loaded %+v %v", p, ls)
	}
	// Unset retention takes the default; 0, set, keeps free text.
	if p.RetentionMonths != lofte.DefaultRetentionMonths {
		t.Errorf("retention_months %d, want the default %d", p.RetentionMonths, lofte.DefaultRetentionMonths)
	}
	fsys["keep-2024/promise.json"] = &fstest.MapFile{Data: []byte(strings.Replace(string(fsys["ystad-2024/promise.json"].Data),
		`"outcomes":[]`, `"outcomes":[],"retention_months":0`, 1))}
	fsys["keep-2024/localities.csv"] = fsys["ystad-2024/localities.csv"]
	if p, _, err := seed.Load(fsys, "keep-2024"); err != nil || p.RetentionMonths != 0 {
		t.Errorf("retention_months 0: %v %v", p, err)
	}
	fsys["bad/promise.json"] = &fstest.MapFile{Data: []byte(`{"slug":"bad","colour":"red"}`)}
	if _, _, err := seed.Load(fsys, "bad"); err == nil {
		t.Error("unknown field in promise.json accepted")
	}
}
