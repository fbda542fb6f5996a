package lofte

import (
	"time"
	_ "time/tzdata" // the zone must load on machines without a zoneinfo database
)

// Zone is where every promise so far lives; times are stored in UTC and shown in Zone.
var Zone = mustLoad("Europe/Stockholm")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("load time zone " + name + ": " + err.Error())
	}
	return loc
}

// LocalDate returns the day t falls on in Zone.
func LocalDate(t time.Time) Date { return DateOf(t.In(Zone)) }
