package visit_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Tokyo for the independent parser, whatever the machine has
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"mieruka/internal/errs"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
	"mieruka/internal/visit"
)

// TestCalendarFeed checks the personal feed with a second, independent
// iCalendar parser (emersion/go-ical): it parses, its times are Japan time
// through the VTIMEZONE's TZID, text survives escaping and folding, notes
// never appear, and a revoked feed is gone.
func TestCalendarFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		at := time.Date(2025, 6, 5, 14, 0, 0, 0, time.FixedZone("JST", 9*3600))
		in := f.visitIn(at)
		in.Purpose = "新工場の見学; 設備計画の確認, 融資の相談\\と今後の予定について長めの目的を書いて折り返しを確かめる"
		in.NewIssues = []visit.IssueInput{{Title: "設備資金の計画", DueOn: "2025-06-20"}}
		planned, err := f.v.CreateVisit(ctx, f.coord, in)
		if err != nil {
			t.Fatal(err)
		}
		cancelled := f.visitIn(at.AddDate(0, 0, 7))
		cancelled.Status = visit.VisitCancelled
		cv, err := f.v.CreateVisit(ctx, f.coord, cancelled)
		if err != nil {
			t.Fatal(err)
		}
		secret, feed, err := f.v.CreateFeed(ctx, f.coord, "スマートフォン")
		if err != nil || !strings.HasPrefix(secret, visit.FeedPrefix) || feed.ID == 0 {
			t.Fatalf("create feed: %v %q", err, secret)
		}
		raw, err := f.v.FeedICS(ctx, secret+".ics")
		if err != nil {
			t.Fatal(err)
		}
		// RFC 5545 framing: CRLF, lines of at most 75 octets, folds that do
		// not cut a UTF-8 character.
		if !bytes.HasSuffix(raw, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
			t.Error("lines are not CRLF-terminated")
		}
		long := false
		for _, line := range strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n") {
			if len(line) > 75 {
				t.Errorf("line of %d octets: %q", len(line), line)
			}
			if !utf8.ValidString(line) {
				t.Errorf("a fold cut a character: %q", line)
			}
			long = long || strings.HasPrefix(line, " ")
		}
		if !long {
			t.Error("no folded line: the test's long purpose should need one")
		}
		if strings.Contains(string(raw), "社長は70歳") {
			t.Error("visit notes leaked into the calendar")
		}
		cal, err := ical.NewDecoder(bytes.NewReader(raw)).Decode()
		if err != nil {
			t.Fatalf("go-ical cannot parse the feed: %v\n%s", err, raw)
		}
		if v, _ := cal.Props.Text(ical.PropVersion); v != "2.0" {
			t.Errorf("VERSION %q", v)
		}
		if p, _ := cal.Props.Text(ical.PropProductID); p == "" {
			t.Error("no PRODID")
		}
		var tz *ical.Component
		for _, c := range cal.Children {
			if c.Name == ical.CompTimezone {
				tz = c
			}
		}
		if tz == nil || tz.Props.Get(ical.PropTimezoneID).Value != "Asia/Tokyo" {
			t.Fatalf("no VTIMEZONE Asia/Tokyo")
		}
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		found := map[string]ical.Event{}
		for _, e := range cal.Events() {
			uid, _ := e.Props.Text(ical.PropUID)
			if uid == "" || e.Props.Get(ical.PropDateTimeStamp) == nil {
				t.Errorf("event without UID or DTSTAMP: %v", e.Props)
			}
			found[uid] = e
		}
		var ev ical.Event
		for uid, e := range found {
			if strings.HasPrefix(uid, "visit-") && strings.Contains(uid, itoa(planned.ID)+"@") {
				ev = e
			}
		}
		if ev.Component == nil {
			t.Fatalf("the visit is not in the feed: %v", found)
		}
		start, err := ev.DateTimeStart(time.UTC)
		if err != nil || !start.Equal(at) || start.Location().String() != "Asia/Tokyo" {
			t.Errorf("DTSTART %v (%v), want %v in Asia/Tokyo", start, err, at)
		}
		if h, m, _ := start.In(tokyo).Clock(); h != 14 || m != 0 {
			t.Errorf("the visit starts at %d:%02d Tokyo time", h, m)
		}
		end, _ := ev.DateTimeEnd(time.UTC)
		if end.Sub(start) != 90*time.Minute {
			t.Errorf("duration %v", end.Sub(start))
		}
		summary, _ := ev.Props.Text(ical.PropSummary)
		desc, _ := ev.Props.Text(ical.PropDescription)
		if summary != "企業訪問：株式会社日野精工" || !strings.Contains(desc, in.Purpose) || !strings.Contains(desc, "田中 誠") {
			t.Errorf("summary %q, description %q", summary, desc)
		}
		if loc, _ := ev.Props.Text(ical.PropLocation); !strings.Contains(loc, "日野市旭が丘") {
			t.Errorf("location %q", loc)
		}
		for uid, e := range found {
			if strings.Contains(uid, itoa(cv.ID)+"@") {
				if st, _ := e.Props.Text(ical.PropStatus); st != "CANCELLED" {
					t.Errorf("cancelled visit has STATUS %q", st)
				}
			}
		}
		// The issue's due date is an all-day follow-up.
		var due ical.Event
		for uid, e := range found {
			if strings.HasPrefix(uid, "company-issue-") {
				due = e
			}
		}
		if due.Component == nil {
			t.Fatal("no follow-up in the feed")
		}
		if d := due.Props.Get(ical.PropDateTimeStart); d.ValueType() != ical.ValueDate || d.Value != "20250620" {
			t.Errorf("follow-up DTSTART %v %q", d.ValueType(), d.Value)
		}
		// Bank staff get their visits (not others'), without follow-ups.
		bs, _, err := f.v.CreateFeed(ctx, f.bank, "")
		if err != nil {
			t.Fatal(err)
		}
		braw, err := f.v.FeedICS(ctx, bs)
		if err != nil {
			t.Fatal(err)
		}
		bcal, err := ical.NewDecoder(bytes.NewReader(braw)).Decode()
		if err != nil || len(bcal.Events()) != 2 {
			t.Errorf("bank feed: %v, %d events", err, len(bcal.Events()))
		}
		// A member may not have a feed; a revoked or unknown feed is gone.
		if _, _, err := f.v.CreateFeed(ctx, f.member, ""); err == nil {
			t.Error("a member made a calendar feed")
		}
		if err := f.v.RevokeFeed(ctx, f.coord2, feed.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("someone else revoked the feed: %v", err)
		}
		if err := f.v.RevokeFeed(ctx, f.coord, feed.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.v.FeedICS(ctx, secret); !errs.Is(err, errs.NotFound) {
			t.Errorf("revoked feed: %v", err)
		}
		if _, err := f.v.FeedICS(ctx, "cal_nope"); !errs.Is(err, errs.NotFound) {
			t.Errorf("unknown feed: %v", err)
		}
		feeds, _ := f.v.Feeds(ctx, f.coord)
		if len(feeds) != 1 || feeds[0].RevokedAt == nil || feeds[0].LastUsedAt == nil {
			t.Errorf("feeds: %+v", feeds)
		}
	})
}
