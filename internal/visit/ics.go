package visit

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"

	"mieruka/internal/jp"
)

// icsWriter writes an iCalendar stream (RFC 5545): CRLF line ends, lines
// folded at 75 octets without splitting a UTF-8 character, TEXT values
// escaped. Local times are written with TZID=Asia/Tokyo and the calendar
// carries that VTIMEZONE (JST has had no daylight saving since 1951).
type icsWriter struct{ b bytes.Buffer }

const icsTZID = "Asia/Tokyo"

// line writes one content line, folded: 75 octets on the first line, 74
// after the leading space of each continuation.
func (w *icsWriter) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.b.WriteString(s[:cut])
		w.b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	w.b.WriteString(s)
	w.b.WriteString("\r\n")
}

// text writes a property with a TEXT value.
func (w *icsWriter) text(name, value string) {
	if value == "" {
		return
	}
	w.line(name + ":" + icsEscape(value))
}

func icsEscape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

func icsUTC(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

func icsLocal(t time.Time) string { return t.In(jp.JST).Format("20060102T150405") }

func icsDate(d Date) string { return strings.ReplaceAll(string(d), "-", "") }

func (w *icsWriter) begin(calName string) {
	w.line("BEGIN:VCALENDAR")
	w.line("VERSION:2.0")
	w.line("PRODID:-//mieruka//visits//JA")
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:PUBLISH")
	w.text("X-WR-CALNAME", calName)
	w.line("X-WR-TIMEZONE:" + icsTZID)
	w.line("REFRESH-INTERVAL;VALUE=DURATION:PT1H")
	w.line("X-PUBLISHED-TTL:PT1H")
	w.line("BEGIN:VTIMEZONE")
	w.line("TZID:" + icsTZID)
	w.line("BEGIN:STANDARD")
	w.line("DTSTART:19700101T000000")
	w.line("TZOFFSETFROM:+0900")
	w.line("TZOFFSETTO:+0900")
	w.line("TZNAME:JST")
	w.line("END:STANDARD")
	w.line("END:VTIMEZONE")
}

func (w *icsWriter) end() { w.line("END:VCALENDAR") }

// icsEvent is one VEVENT.
type icsEvent struct {
	UID          string
	Stamp        time.Time // DTSTAMP: when the calendar was written
	Modified     time.Time
	Start, End   time.Time // timed events (Japan time)
	Day          Date      // all-day events
	Summary      string
	Description  string
	Location     string
	URL          string
	Status       string // CONFIRMED, TENTATIVE, CANCELLED
	Sequence     int
	Transparent  bool
	Categories   string
	AlarmMinutes int // a reminder this many minutes before; 0 for none
}

func (w *icsWriter) event(e icsEvent) {
	w.line("BEGIN:VEVENT")
	w.line("UID:" + e.UID)
	w.line("DTSTAMP:" + icsUTC(e.Stamp))
	if !e.Modified.IsZero() {
		w.line("LAST-MODIFIED:" + icsUTC(e.Modified))
	}
	if e.Day != "" {
		w.line("DTSTART;VALUE=DATE:" + icsDate(e.Day))
		w.line("DTEND;VALUE=DATE:" + icsDate(e.Day.AddDays(1)))
	} else {
		w.line("DTSTART;TZID=" + icsTZID + ":" + icsLocal(e.Start))
		w.line("DTEND;TZID=" + icsTZID + ":" + icsLocal(e.End))
	}
	w.text("SUMMARY", e.Summary)
	w.text("DESCRIPTION", e.Description)
	w.text("LOCATION", e.Location)
	if e.URL != "" {
		w.line("URL:" + e.URL)
	}
	w.text("CATEGORIES", e.Categories)
	if e.Status != "" {
		w.line("STATUS:" + e.Status)
	}
	if e.Sequence > 0 {
		w.line("SEQUENCE:" + itoa(e.Sequence))
	}
	if e.Transparent {
		w.line("TRANSP:TRANSPARENT")
	}
	if e.AlarmMinutes > 0 && e.Status != "CANCELLED" {
		w.line("BEGIN:VALARM")
		w.line("ACTION:DISPLAY")
		w.text("DESCRIPTION", e.Summary)
		w.line("TRIGGER:-PT" + itoa(e.AlarmMinutes) + "M")
		w.line("END:VALARM")
	}
	w.line("END:VEVENT")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
