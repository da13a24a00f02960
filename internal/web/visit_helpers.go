package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/visit"
)

// navTab is one entry of the visit pages' second navigation.
type navTab struct {
	URL, Label string
	Current    bool
}

// visitPage is what every visit page's data starts with.
type visitPage struct {
	Tabs  []navTab
	Today visit.Date
}

// Pillars, Capabilities … give templates the vocabularies.
func (visitPage) Pillars() []visit.Pillar            { return visit.Pillars }
func (visitPage) Capabilities() []visit.Capability   { return visit.Capabilities }
func (visitPage) LifeStages() []visit.LifeStage      { return visit.LifeStages }
func (visitPage) VisitStatuses() []visit.VisitStatus { return visit.VisitStatuses }
func (visitPage) IssueStatuses() []visit.IssueStatus { return visit.IssueStatuses }
func (visitPage) Categories() []visit.Category       { return visit.Categories }
func (visitPage) Channels() []visit.Channel          { return visit.Channels }
func (visitPage) Outcomes() []visit.Outcome          { return visit.Outcomes }
func (visitPage) Measures() []visit.Measure          { return visit.Measures }
func (visitPage) ConsStatuses() []visit.ConsultationStatus {
	return visit.ConsultationStatuses
}

// FY names a fiscal year.
func (visitPage) FY(fy int, lang string) string { return visit.FiscalYearLabel(fy, lang) }

// Short writes a time briefly for tables.
func (visitPage) Short(t time.Time, lang string) string { return visit.ShortDate(t, lang) }

// ShortPtr is Short for an optional time.
func (visitPage) ShortPtr(t *time.Time, lang string) string {
	if t == nil {
		return ""
	}
	return visit.ShortDate(*t, lang)
}

// KindLabel names a kind of timeline item.
func (visitPage) KindLabel(kind, lang string) string { return visit.KindLabel(kind, lang) }

// Measure finds a measure of the catalogue.
func (visitPage) Measure(code string) visit.Measure {
	m, _ := visit.MeasureByCode(code)
	return m
}

func (s *Server) visitPage(q *httpx.Req, current string) visitPage {
	p := visitPage{Today: visit.DateOf(time.Now())}
	add := func(key, url, ja, en string, perm auth.Permission) {
		if q.Actor.Can(perm) {
			p.Tabs = append(p.Tabs, navTab{URL: url, Label: q.T(ja, en), Current: key == current})
		}
	}
	add("planning", "/staff/planning", "訪問計画", "Planning", auth.PermVisitRead)
	add("visits", "/staff/visits", "訪問記録", "Visits", auth.PermVisitAttended)
	add("issues", "/staff/company-issues", "課題", "Company issues", auth.PermVisitRead)
	add("consultations", "/staff/consultations", "相談", "Consultations", auth.PermVisitRead)
	add("referrals", "/staff/referrals", "紹介", "Referrals", auth.PermVisitRead)
	add("agencies", "/staff/agencies", "支援機関", "Support agencies", auth.PermVisitRead)
	add("reports", "/staff/visit-reports", "集計・出力", "Counts and exports", auth.PermVisitReport)
	add("calendar", "/account/calendar", "カレンダー連携", "Calendar feed", auth.PermVisitAttended)
	return p
}

// Form readers: values the service checks and explains; the readers only
// turn text into types, keeping what cannot be read as a value the service
// will refuse with a field error.

func formIDs(r *http.Request, name string) []int64 {
	var out []int64
	for _, v := range r.PostForm[name] {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func formID(r *http.Request, name string) int64 {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return -1
	}
	return id
}

func formCaps(r *http.Request, name string) []visit.Capability {
	var out []visit.Capability
	for _, v := range r.PostForm[name] {
		out = append(out, visit.Capability(v))
	}
	return out
}

func formPillars(r *http.Request, name string) []visit.Pillar {
	var out []visit.Pillar
	for _, v := range r.PostForm[name] {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
		}
		out = append(out, visit.Pillar(n))
	}
	return out
}

func formLines(r *http.Request, name string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(r.PostFormValue(name), "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// formTime reads a date field and a time field as a time in Japan. A date
// that cannot be read gives year 1, which the service refuses as out of
// range; no date gives the zero time ("enter the date").
func formTime(r *http.Request, dateName, timeName string) time.Time {
	d := strings.TrimSpace(r.PostFormValue(dateName))
	if d == "" {
		return time.Time{}
	}
	day, err := time.ParseInLocation("2006-01-02", d, jp.JST)
	if err != nil {
		if day, err = jp.ParseDate(d); err != nil {
			return time.Date(1, 1, 1, 0, 0, 0, 0, jp.JST)
		}
	}
	hm := strings.TrimSpace(toHalfWidthDigits(r.PostFormValue(timeName)))
	if hm == "" {
		hm = "10:00"
	}
	t, err := time.ParseInLocation("15:04", hm, jp.JST)
	if err != nil {
		return time.Date(1, 1, 1, 0, 0, 0, 0, jp.JST)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, jp.JST)
}

// inputDate and inputTime write a time for <input type=date/time>.
func inputDate(t time.Time) string {
	if t.IsZero() || t.Year() < 2 {
		return ""
	}
	return t.In(jp.JST).Format("2006-01-02")
}

func inputTime(t time.Time) string {
	if t.IsZero() || t.Year() < 2 {
		return ""
	}
	return t.In(jp.JST).Format("15:04")
}

func visitURL(id int64) string { return "/staff/visits/" + strconv.FormatInt(id, 10) }

func atoiQuery(r *http.Request, name string) int {
	n, _ := strconv.Atoi(r.URL.Query().Get(name))
	return n
}

func nowJST() time.Time { return time.Now().In(jp.JST) }

func fiscalYearOf(t time.Time) int { return jp.FiscalYear(t) }
