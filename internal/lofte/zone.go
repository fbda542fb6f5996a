package lofte

import (
	"fmt"
	"strconv"
	"strings"
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

var (
	weekdaysSV = [...]string{"sön", "mån", "tis", "ons", "tors", "fre", "lör"}
	monthsSV   = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
		"september", "oktober", "november", "december"}
)

// Moment writes a point in time the Swedish way, in Zone: "lör 10 mars 2018 kl. 12.00".
func Moment(t time.Time) string {
	l := t.In(Zone)
	return fmt.Sprintf("%s %d %s %d kl. %02d.%02d", weekdaysSV[l.Weekday()], l.Day(), monthsSV[l.Month()-1], l.Year(),
		l.Hour(), l.Minute())
}

// When writes the time of a stop from start to end the Swedish way, in Zone:
// "ons 14 mars 2018 kl. 10.00–13.00".
func When(start, end time.Time) string {
	s, e := start.In(Zone), end.In(Zone)
	out := Moment(s) + "–"
	if DateOf(s) != DateOf(e) {
		out += fmt.Sprintf("%d %s ", e.Day(), monthsSV[e.Month()-1])
	}
	return out + fmt.Sprintf("%02d.%02d", e.Hour(), e.Minute())
}

// Decimal writes v with a decimal comma, as Swedish does: prec digits after it, or as few as
// tell v exactly when prec is -1 ("0,05", "55,9330").
func Decimal(v float64, prec int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', prec, 64), ".", ",", 1)
}
