package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"mieruka/internal/demo"
	"mieruka/internal/inquiry"
	"mieruka/internal/store"
	"mieruka/internal/visit"
)

// TestVisitAPIShapes calls every visit API operation as the people who use
// it and checks the answers, errors included, against openapi.json.
func TestVisitAPIShapes(t *testing.T) {
	a := start(t, store.SQLite)
	doc := loadOpenAPI(t)
	f := makeVisitFixture(t, a)
	coord := a.token("coordinator@demo.invalid")
	admin := a.token("admin@demo.invalid")
	bank := a.token("bank@demo.invalid")
	member := a.token("member@demo.invalid")
	c1 := a.orgID(t, demo.Hino, "C0001")
	agency := a.orgID(t, demo.Hino, "A001")
	when := time.Now().Add(-time.Hour).Format(time.RFC3339)
	var newVisit struct {
		ID      int64 `json:"id"`
		Version int   `json:"version"`
	}
	calls := []struct {
		c            *client
		method, path string
		body         any
		spec         string
		out          any
	}{
		{coord, "GET", "/api/v1/visits?per_page=5", nil, "/api/v1/visits", nil},
		{coord, "GET", "/api/v1/visits?fiscal_year=1999", nil, "/api/v1/visits", nil},
		{bank, "GET", "/api/v1/visits?attendee=me", nil, "/api/v1/visits", nil},
		{coord, "POST", "/api/v1/visits", map[string]any{"organization_id": c1, "starts_at": when, "purpose": "API からの記録", "capabilities": []string{"technology"}, "pillars": []int{2},
			"new_issues": []map[string]any{{"title": "検査工程の自動化", "due_on": "2030-01-31"}}}, "/api/v1/visits", &newVisit},
		{coord, "POST", "/api/v1/visits", map[string]any{"organization_id": 999999, "starts_at": "yesterday", "purpose": ""}, "/api/v1/visits", nil},
		{coord, "GET", fmt.Sprintf("/api/v1/visits/%d", f.withBank.ID), nil, "/api/v1/visits/{id}", nil},
		{bank, "GET", fmt.Sprintf("/api/v1/visits/%d", f.withBank.ID), nil, "/api/v1/visits/{id}", nil},
		{bank, "GET", fmt.Sprintf("/api/v1/visits/%d", f.withoutBank.ID), nil, "/api/v1/visits/{id}", nil},
		{coord, "PUT", fmt.Sprintf("/api/v1/visits/%d", f.withBank.ID), map[string]any{"version": 99, "organization_id": f.org, "starts_at": when, "purpose": "古い版"}, "/api/v1/visits/{id}", nil},
		{coord, "PUT", fmt.Sprintf("/api/v1/visits/%d", f.withBank.ID), map[string]any{"organization_id": f.org, "starts_at": when, "purpose": "版なし"}, "/api/v1/visits/{id}", nil},
		{coord, "GET", "/api/v1/company-issues?status=active&per_page=3", nil, "/api/v1/company-issues", nil},
		{coord, "POST", "/api/v1/company-issues", map[string]any{"organization_id": c1, "title": "販路の拡大", "measures": []string{"1-3"}}, "/api/v1/company-issues", nil},
		{coord, "GET", fmt.Sprintf("/api/v1/company-issues/%d", f.issue.ID), nil, "/api/v1/company-issues/{id}", nil},
		{coord, "PUT", fmt.Sprintf("/api/v1/company-issues/%d", f.issue.ID), map[string]any{"version": f.issue.Version, "title": f.issue.Title, "status": "resolved"}, "/api/v1/company-issues/{id}", nil},
		{coord, "GET", "/api/v1/consultations?per_page=3", nil, "/api/v1/consultations", nil},
		{member, "GET", "/api/v1/consultations", nil, "/api/v1/consultations", nil},
		{member, "POST", "/api/v1/consultations", map[string]any{"category": "sales", "subject": "展示会に出たい", "request": "初めての出展です"}, "/api/v1/consultations", nil},
		{member, "POST", "/api/v1/consultations", map[string]any{"category": "gossip"}, "/api/v1/consultations", nil},
		{member, "GET", fmt.Sprintf("/api/v1/consultations/%d", f.ownCons.ID), nil, "/api/v1/consultations/{id}", nil},
		{coord, "GET", fmt.Sprintf("/api/v1/consultations/%d", f.ownCons.ID), nil, "/api/v1/consultations/{id}", nil},
		{coord, "PUT", fmt.Sprintf("/api/v1/consultations/%d", f.otherCons.ID), map[string]any{"version": f.otherCons.Version + 1, "category": "dx", "subject": "IoT導入", "status": "closed"}, "/api/v1/consultations/{id}", nil},
		{coord, "GET", "/api/v1/referrals?outcome=open", nil, "/api/v1/referrals", nil},
		{member, "GET", "/api/v1/referrals", nil, "/api/v1/referrals", nil},
		{coord, "POST", "/api/v1/referrals", map[string]any{"issue_id": f.issue.ID, "agency_id": agency, "follow_up_on": "2030-02-01"}, "/api/v1/referrals", nil},
		{coord, "POST", "/api/v1/referrals", map[string]any{"issue_id": f.issue.ID, "agency_id": c1}, "/api/v1/referrals", nil},
		{coord, "GET", fmt.Sprintf("/api/v1/referrals/%d", f.ownRef.ID), nil, "/api/v1/referrals/{id}", nil},
		{coord, "PUT", fmt.Sprintf("/api/v1/referrals/%d", f.ownRef.ID), map[string]any{"version": f.ownRef.Version, "agency_id": f.ownRef.AgencyID, "outcome": "completed"}, "/api/v1/referrals/{id}", nil},
		{coord, "GET", fmt.Sprintf("/api/v1/organizations/%d/timeline?limit=5", f.org), nil, "/api/v1/organizations/{id}/timeline", nil},
		{coord, "GET", fmt.Sprintf("/api/v1/organizations/%d/timeline?kind=gossip", f.org), nil, "/api/v1/organizations/{id}/timeline", nil},
		{coord, "GET", "/api/v1/planning/not-visited?per_page=5", nil, "/api/v1/planning/not-visited", nil},
		{coord, "GET", "/api/v1/planning/agenda", nil, "/api/v1/planning/agenda", nil},
		{bank, "GET", "/api/v1/planning/agenda", nil, "/api/v1/planning/agenda", nil},
		{coord, "GET", "/api/v1/support-agencies?category=succession", nil, "/api/v1/support-agencies", nil},
		{admin, "GET", "/api/v1/visit-counts", nil, "/api/v1/visit-counts", nil},
		{admin, "GET", "/api/v1/visit-counts?fiscal_year=abc", nil, "/api/v1/visit-counts", nil},
		{coord, "GET", "/api/v1/calendar-feeds", nil, "/api/v1/calendar-feeds", nil},
		{bank, "POST", "/api/v1/calendar-feeds", map[string]any{"name": "スマホ"}, "/api/v1/calendar-feeds", nil},
		{coord, "DELETE", "/api/v1/calendar-feeds/999999", nil, "/api/v1/calendar-feeds/{id}", nil},
	}
	for _, c := range calls {
		var body any
		st := c.c.json(c.method, c.path, c.body, &body)
		if c.out != nil {
			raw, _ := json.Marshal(body)
			json.Unmarshal(raw, c.out)
		}
		op, ok := doc.Paths[c.spec][strings.ToLower(c.method)]
		if !ok {
			t.Errorf("%s %s is not documented", c.method, c.spec)
			continue
		}
		resp, ok := op.Responses[fmt.Sprint(st)]
		if !ok {
			t.Errorf("%s %s answered %d, which is not documented: %v", c.method, c.path, st, body)
			continue
		}
		if mt, ok := resp.Content["application/json"]; ok {
			for _, e := range validate(doc, mt.Schema, body, "$") {
				t.Errorf("%s %s %d: %s", c.method, c.path, st, e)
			}
		}
	}
	if newVisit.ID == 0 || newVisit.Version != 1 {
		t.Fatalf("the visit recorded through the API: %+v", newVisit)
	}
	// A directory inquiry shows on the company's timeline.
	if _, err := a.m.Inquiries.Send(context.Background(), demo.Hino, f.org, inquiry.Form{Name: "多摩 太郎", Company: "株式会社調達", Email: "taro@example.jp",
		Subject: "試作品の加工について", Body: "アルミの試作を10個お願いできますか。", Lang: "ja"}, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	var tl visit.Timeline
	coord.json("GET", fmt.Sprintf("/api/v1/organizations/%d/timeline?kind=inquiry,visit", f.org), nil, &tl)
	if len(tl.Items) == 0 || tl.Items[0].Kind != visit.KindInquiry || tl.Items[0].Title != "試作品の加工について" {
		t.Errorf("the inquiry is not on the timeline: %+v", tl.Items)
	}
	// The export: a workbook and a CSV, with their content types.
	st, b, h := a.token("staff@demo.invalid").do("GET", "/api/v1/exports/visits?format=xlsx", nil, "")
	if st != 200 || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("xlsx export: %d %s", st, h.Get("Content-Type"))
	} else if _, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err != nil {
		t.Errorf("the workbook is not a zip: %v", err)
	}
	st, b, h = a.token("staff@demo.invalid").do("GET", "/api/v1/exports/visits?format=csv&kind=referrals", nil, "")
	if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Errorf("csv export: %d %s %q", st, h.Get("Content-Type"), b[:min(10, len(b))])
	}
	if st, _, _ := coord.do("GET", "/api/v1/exports/visits", nil, ""); st != http.StatusForbidden {
		t.Errorf("a coordinator exported: %d", st)
	}
}

// TestVisitPagesFlow records, edits and conflicts through the pages as a
// browser would, with field errors in Japanese and English.
func TestVisitPagesFlow(t *testing.T) {
	a := start(t, store.SQLite)
	c1 := a.orgID(t, demo.Hino, "C0001")
	coord := a.as("coordinator@demo.invalid")
	coord2 := a.as("admin@demo.invalid")
	st, body := coord.get(fmt.Sprintf("/staff/visits/new?organization_id=%d", c1))
	if st != 200 || !strings.Contains(string(body), "訪問を記録する") {
		t.Fatalf("new visit form: %d", st)
	}
	me := fmt.Sprint(a.userID(t, "coordinator@demo.invalid"))
	form := url.Values{"organization_id": {fmt.Sprint(c1)}, "starts_at": {"2025-06-03"}, "starts_at_time": {"14:00"}, "minutes": {"90"}, "status": {"done"},
		"purpose": {"設備更新の相談"}, "capabilities": {"foundation"}, "pillars": {"4"}, "life_stage": {"growth"}, "notes": {"コンプレッサーの更新を検討中。"},
		"attendee_ids": {me}, "company_attendees": {"代表取締役 日野 一郎\r\n工場長 多摩 二郎"},
		"new_issues[0].title": {""}, "new_issues[1].title": {"省エネ診断を受けたい"}, "new_issues[1].due_on": {"2099-12-31"}, "new_issues[2].title": {""}}
	// A due date far off is refused with a message naming the field and the row.
	st, body = coord.form("POST", "/staff/visits", form)
	if st != http.StatusUnprocessableEntity || !strings.Contains(string(body), `href="#f-new_issues%5b1%5d.due_on"`) || !strings.Contains(string(body), `id="f-new_issues[1].due_on"`) || !strings.Contains(string(body), "期限は2000年から") {
		i := strings.Index(string(body), `id="errors"`)
		t.Fatalf("bad due date: %d\n%s", st, string(body)[i:min(len(body), i+600)])
	}
	if !strings.Contains(string(body), "コンプレッサーの更新を検討中。") {
		t.Error("the form lost what was typed")
	}
	form.Set("new_issues[1].due_on", "2026-01-31")
	st, _, h := coord.do("POST", "/staff/visits", strings.NewReader(withCSRF(form, coord.csrf).Encode()), "application/x-www-form-urlencoded")
	if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/staff/visits/") {
		t.Fatalf("record: %d %s", st, h.Get("Location"))
	}
	loc := h.Get("Location")
	if st, body = coord.get(loc); st != 200 {
		t.Fatalf("the visit page: %d", st)
	}
	for _, want := range []string{"設備更新の相談", "省エネ診断を受けたい", "2025年6月3日（令和7年6月3日）", "工場長 多摩 二郎", "柱4 操業環境の維持・拡大と事業継続"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the visit page lacks %q", want)
		}
	}
	// Two people open the edit form; the later save gets a conflict.
	coord.get(loc + "/edit")
	coord2.get(loc + "/edit")
	form.Del("new_issues[1].title")
	form.Set("version", "1")
	form.Set("purpose", "一人目の変更")
	if st, _ := coord.form("POST", loc, form); st != http.StatusSeeOther {
		t.Fatalf("first save: %d", st)
	}
	form.Set("purpose", "二人目の変更")
	st, body = coord2.form("POST", loc, form)
	if st != http.StatusConflict || !strings.Contains(string(body), "他の人が先に保存した内容") || !strings.Contains(string(body), "一人目の変更") || !strings.Contains(string(body), "二人目の変更") {
		t.Errorf("second save: %d", st)
	}
	_, body = coord.get(loc)
	if !strings.Contains(string(body), "一人目の変更") || strings.Contains(string(body), "二人目の変更") {
		t.Error("the later save overwrote the first")
	}
	// In English, the same error.
	en := a.as("coordinator@demo.invalid")
	en.get("/lang?to=en&next=/staff/visits")
	form.Set("starts_at", "1999-12-31")
	form.Set("version", "2")
	st, body = en.form("POST", loc, form)
	if st != http.StatusUnprocessableEntity || !strings.Contains(string(body), "The visit must be between 2000 and") {
		t.Errorf("English field error: %d", st)
	}
	// A member asks through the account and sees the status, not notes.
	m := a.as("member@demo.invalid")
	m.get("/my/consultations")
	if st, _ := m.form("POST", "/my/consultations", url.Values{"category": {"finance"}, "subject": {"運転資金のご相談（試験）"}, "request": {"相談したい"}}); st != http.StatusSeeOther {
		t.Fatalf("member asks: %d", st)
	}
	_, body = m.get("/my/consultations")
	if !strings.Contains(string(body), "運転資金のご相談（試験）") || !strings.Contains(string(body), "受付") {
		t.Error("the member does not see the request")
	}
	var cs visit.Page[visit.Consultation]
	a.token("staff@demo.invalid").json("GET", "/api/v1/consultations?q="+url.QueryEscape("運転資金のご相談（試験）"), nil, &cs)
	if cs.Total != 1 || cs.Items[0].Channel != visit.ChannelAccount {
		t.Errorf("staff see the member's request: %+v", cs)
	}
	// Pages of every kind render, in both languages.
	for _, lang := range []string{"ja", "en"} {
		c := a.as("admin@demo.invalid")
		c.get("/lang?to=" + lang + "&next=/staff")
		for _, p := range []string{"/staff/planning", "/staff/visits", "/staff/visits?status=planned", loc, loc + "/edit", "/staff/visits/new", "/staff/visits/new?q=" + url.QueryEscape("精工"),
			"/staff/company-issues", "/staff/company-issues?overdue=1", "/staff/consultations", "/staff/consultations/new", fmt.Sprintf("/staff/consultations/new?organization_id=%d", c1),
			fmt.Sprintf("/staff/consultations/%d", cs.Items[0].ID), fmt.Sprintf("/staff/referrals/new?consultation_id=%d", cs.Items[0].ID),
			"/staff/referrals", "/staff/agencies", "/staff/agencies?category=succession", fmt.Sprintf("/staff/organizations/%d/timeline", c1), fmt.Sprintf("/staff/organizations/%d", c1),
			"/staff/visit-reports", "/account/calendar"} {
			if st, b := c.get(p); st != 200 || !bytes.Contains(b, []byte(`lang="`+lang+`"`)) {
				t.Errorf("%s in %s: %d", p, lang, st)
			}
		}
	}
}

func withCSRF(v url.Values, token string) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = x
	}
	out.Set("csrf_token", token)
	return out
}
