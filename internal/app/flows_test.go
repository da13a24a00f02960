package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mieruka/internal/auth"
	"mieruka/internal/demo"
	"mieruka/internal/org"
	"mieruka/internal/store"
)

func TestHealthAndStatic(t *testing.T) {
	a := start(t, store.SQLite)
	c := a.anonymous()
	if st, b := c.get("/healthz"); st != 200 || string(b) != "ok\n" {
		t.Errorf("/healthz: %d %q", st, b)
	}
	_, page := c.get("/login")
	m := bytes.Index(page, []byte(`href="/static/`))
	if m < 0 {
		t.Fatal("no static link on the sign-in page")
	}
	href := string(page[m+6 : m+6+bytes.IndexByte(page[m+6:], '"')])
	req, _ := http.NewRequest("GET", a.base+href, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("%s: %d %v", href, resp.StatusCode, resp.Header)
	}
	if st, _ := c.get("/static/0000/app.css"); st != 404 {
		t.Errorf("a stale static URL: %d", st)
	}
}

func TestBadInputAnswers(t *testing.T) {
	a := start(t, store.SQLite)
	staff := a.token("staff@demo.invalid")
	// Oversized body: 413, not 500.
	big := map[string]any{"kind": "company", "profile": map[string]any{"name": strings.Repeat("あ", 1<<20)}}
	if st := staff.json("POST", "/api/v1/organizations", big, nil); st != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", st)
	}
	// Not JSON, unknown fields, wrong types: 400 / 422 with messages.
	st, b, _ := staff.do("POST", "/api/v1/organizations", strings.NewReader("{not json"), "application/json")
	if st != http.StatusBadRequest || !bytes.Contains(b, []byte(`"ja"`)) {
		t.Errorf("broken JSON: %d %s", st, b)
	}
	if st := staff.json("POST", "/api/v1/organizations", map[string]any{"kind": "company", "profile": map[string]any{"name": "x"}, "admin": true}, nil); st != http.StatusBadRequest {
		t.Errorf("unknown field: %d", st)
	}
	var e struct {
		Error struct {
			Code   string `json:"code"`
			Fields []struct{ Field, JA, EN string }
		}
	}
	if st := staff.json("POST", "/api/v1/organizations", map[string]any{"kind": "company", "profile": map[string]any{"name": "株式会社X", "employees": "many"}}, &e); st != http.StatusUnprocessableEntity || len(e.Error.Fields) == 0 {
		t.Errorf("wrong type: %d %+v", st, e)
	}
	e.Error.Fields = nil
	st = staff.json("POST", "/api/v1/organizations", map[string]any{"kind": "company", "profile": map[string]any{"name": "株式会社X", "corporate_number": "1234567890123", "postal_code": "abc"}}, &e)
	if st != http.StatusUnprocessableEntity || e.Error.Code != "invalid" || len(e.Error.Fields) != 2 {
		t.Fatalf("field errors: %d %+v", st, e)
	}
	for _, f := range e.Error.Fields {
		if f.JA == "" || f.EN == "" {
			t.Errorf("field %s without both messages", f.Field)
		}
	}
	if !strings.Contains(e.Error.Fields[0].JA+e.Error.Fields[1].JA, "法人番号のチェックデジットが正しくありません") {
		t.Errorf("messages: %+v", e.Error.Fields)
	}
	// A bad token is 401, and so is a malformed Authorization header.
	bad := &client{a: a, http: http.DefaultClient, bearer: "mrk_nope"}
	if st := bad.json("GET", "/api/v1/me", nil, nil); st != http.StatusUnauthorized {
		t.Errorf("bad token: %d", st)
	}
	// Forms without a CSRF token are refused.
	page := a.as("staff@demo.invalid")
	page.csrf = ""
	if st, _ := page.form("POST", "/staff/taxonomy", url.Values{"facet": {"process"}, "term": {"新しい加工"}}); st != http.StatusForbidden {
		t.Errorf("form without CSRF token: %d", st)
	}
	// Unknown pages are 404 pages, in Japanese.
	st2, body := a.anonymous().get("/staff/organizations/abc")
	if st2 != http.StatusSeeOther && st2 != http.StatusNotFound {
		t.Errorf("bad id: %d", st2)
	}
	_ = body
}

func TestLoginLimitAndPasswordChange(t *testing.T) {
	a := start(t, store.SQLite)
	c := a.anonymous()
	for i := 0; i < 5; i++ {
		st, body := c.form("POST", "/login", url.Values{"email": {"staff@demo.invalid"}, "password": {"wrong"}})
		if st != 200 || !strings.Contains(string(body), "メールアドレスまたはパスワードが正しくありません") {
			t.Fatalf("failure %d: %d", i, st)
		}
	}
	st, body := c.form("POST", "/login", url.Values{"email": {"staff@demo.invalid"}, "password": {a.accounts["staff@demo.invalid"].Password}})
	if st != http.StatusTooManyRequests || !strings.Contains(string(body), "15分") {
		t.Errorf("6th attempt with the right password: %d", st)
	}
	// A new account with a one-time password must change it before anything else.
	ctx := context.Background()
	_, pw, err := a.m.Auth.CreateUser(ctx, auth.System("test", demo.Hino), auth.NewUser{Email: "fresh@demo.invalid", Role: auth.RoleStaff})
	if err != nil {
		t.Fatal(err)
	}
	f := a.anonymous()
	f.form("POST", "/login", url.Values{"email": {"fresh@demo.invalid"}, "password": {pw}})
	st, _, h := f.do("GET", "/staff", nil, "")
	if st != http.StatusSeeOther || h.Get("Location") != "/password" {
		t.Errorf("before the change: %d %s", st, h.Get("Location"))
	}
	f.get("/password")
	if st, _ := f.form("POST", "/password", url.Values{"current_password": {pw}, "new_password": {"a brand new passphrase"}, "confirm_password": {"a brand new passphrase"}}); st != http.StatusSeeOther {
		t.Errorf("change: %d", st)
	}
	if st, _ := f.get("/staff"); st != 200 {
		t.Errorf("after the change: %d", st)
	}
}

// TestEditConflictIsVisible: two staff open the same form; the second save
// shows a conflict with the other's version, and overwrites nothing.
func TestEditConflictIsVisible(t *testing.T) {
	a := start(t, store.SQLite)
	ctx := context.Background()
	o, _ := a.m.Orgs.GetByExternalID(ctx, auth.System("t", demo.Hino), "C0003")
	one, two := a.as("staff@demo.invalid"), a.as("coordinator@demo.invalid")
	path := fmt.Sprintf("/staff/organizations/%d", o.ID)
	form := func(pr string) url.Values {
		return url.Values{"version": {fmt.Sprint(o.Version)}, "name": {o.Profile.Name}, "name_kana": {o.Profile.NameKana},
			"processes": o.Profile.Processes, "materials": o.Profile.Materials, "pr_text": {pr}}
	}
	one.get(path + "/edit")
	two.get(path + "/edit")
	if st, _ := one.form("POST", path, form("一人目の修正")); st != http.StatusSeeOther {
		t.Fatalf("first save: %d", st)
	}
	st, body := two.form("POST", path, form("二人目の修正"))
	if st != http.StatusConflict {
		t.Fatalf("second save: %d", st)
	}
	for _, want := range []string{"他の人がこの組織を先に更新しました", "一人目の修正", "二人目の修正"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the conflict page does not show %q", want)
		}
	}
	got, _ := a.m.Orgs.Get(ctx, auth.System("t", demo.Hino), o.ID)
	if got.Profile.PRText != "一人目の修正" {
		t.Errorf("stored PR text %q", got.Profile.PRText)
	}
}

// TestMemberDraftApproval runs the draft → approval flow through the pages.
func TestMemberDraftApproval(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			a := start(t, d)
			ctx := context.Background()
			member := a.as("member@demo.invalid")
			st, body := member.get("/my/edit")
			if st != 200 || !strings.Contains(string(body), "承認を申請する") {
				t.Fatalf("/my/edit: %d", st)
			}
			mine, _ := a.m.Orgs.GetByExternalID(ctx, auth.System("t", demo.Hino), demo.FirstOrg)
			v := url.Values{"version": {fmt.Sprint(mine.Version)}, "name": {mine.Profile.Name}, "name_kana": {mine.Profile.NameKana},
				"processes": mine.Profile.Processes, "materials": mine.Profile.Materials, "lot": mine.Profile.Lot,
				"pr_text": {"新しいPR文：微細加工に強くなりました。"}, "submit": {"1"}, "strengths": {"自称の強み"}}
			if st, _ := member.form("POST", "/my", v); st != http.StatusSeeOther {
				t.Fatalf("submit draft: %d", st)
			}
			// The public and other members still see the published version.
			var pub org.Organization
			a.anonymous().json("GET", fmt.Sprintf("/api/v1/organizations/%d", mine.ID), nil, &pub)
			if strings.Contains(pub.Profile.PRText, "新しいPR文") || pub.Draft != nil {
				t.Errorf("the draft leaked to the public: %+v", pub.Draft)
			}
			// Staff see it in the approval queue and approve it.
			staff := a.as("staff@demo.invalid")
			_, q := staff.get("/staff/approvals")
			if !strings.Contains(string(q), mine.Profile.Name) {
				t.Fatal("the draft is not in the approval queue")
			}
			_, page := staff.get(fmt.Sprintf("/staff/organizations/%d", mine.ID))
			if !strings.Contains(string(page), "新しいPR文") {
				t.Error("the detail page does not show the draft's change")
			}
			cur, _ := a.m.Orgs.Get(ctx, auth.System("t", demo.Hino), mine.ID)
			if st, _ := staff.form("POST", fmt.Sprintf("/staff/organizations/%d/approve", mine.ID), url.Values{"version": {fmt.Sprint(cur.Version)}}); st != http.StatusSeeOther {
				t.Fatalf("approve: %d", st)
			}
			a.anonymous().json("GET", fmt.Sprintf("/api/v1/organizations/%d", mine.ID), nil, &pub)
			if !strings.Contains(pub.Profile.PRText, "新しいPR文") || strings.Contains(pub.Profile.Strengths, "自称") {
				t.Errorf("after approval the public sees %q / %q", pub.Profile.PRText, pub.Profile.Strengths)
			}
			// The history says who did what.
			var h struct {
				Items []struct{ Action, Actor string }
			}
			a.token("staff@demo.invalid").json("GET", fmt.Sprintf("/api/v1/organizations/%d/history", mine.ID), nil, &h)
			if len(h.Items) < 3 || h.Items[0].Action != "organization.approve" || h.Items[0].Actor != "staff@demo.invalid" || h.Items[1].Actor != "member@demo.invalid" {
				t.Errorf("history: %+v", h.Items)
			}
		})
	}
}

// TestPublicFieldsOnly: anonymous API callers get published organizations
// with public fields only.
func TestPublicFieldsOnly(t *testing.T) {
	a := start(t, store.SQLite)
	ctx := context.Background()
	sys := auth.System("t", demo.Hino)
	o, _ := a.m.Orgs.GetByExternalID(ctx, sys, "C0004")
	p := o.Profile
	p.Notes = "内部メモ：資金繰りが厳しい"
	p.Visibility = map[org.FieldGroup]org.Visibility{org.GroupScale: org.Staff, org.GroupContact: org.Partners}
	o, err := a.m.Orgs.Update(ctx, sys, o.ID, o.Version, p)
	if err != nil {
		t.Fatal(err)
	}
	hidden, _ := a.m.Orgs.GetByExternalID(ctx, sys, "C0005")
	if _, err := a.m.Orgs.SetPublished(ctx, sys, hidden.ID, hidden.Version, false); err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []json.RawMessage `json:"items"`
		Total int
	}
	anon := a.anonymous()
	anon.json("GET", "/api/v1/organizations?per_page=500", nil, &list)
	if list.Total != 369 {
		t.Errorf("public list has %d organizations, want 369", list.Total)
	}
	for _, raw := range list.Items {
		s := string(raw)
		for _, leak := range []string{"内部メモ", `"notes"`, `"visibility"`, `"draft"`, hidden.Profile.Name} {
			if strings.Contains(s, leak) {
				t.Errorf("public list leaks %q", leak)
			}
		}
	}
	var one org.Organization
	anon.json("GET", fmt.Sprintf("/api/v1/organizations/%d", o.ID), nil, &one)
	if one.Profile.Employees != 0 || len(one.Profile.Contacts) != 0 || one.Profile.Notes != "" || len(one.Profile.Processes) == 0 {
		t.Errorf("public record: employees %d contacts %d notes %q", one.Profile.Employees, len(one.Profile.Contacts), one.Profile.Notes)
	}
	if st := anon.json("GET", fmt.Sprintf("/api/v1/organizations/%d", hidden.ID), nil, nil); st != http.StatusNotFound {
		t.Errorf("unpublished organization: %d", st)
	}
	// A signed-in member of another organization sees partner fields.
	var part org.Organization
	a.token("member@demo.invalid").json("GET", fmt.Sprintf("/api/v1/organizations/%d", o.ID), nil, &part)
	if len(part.Profile.Contacts) == 0 || part.Profile.Employees != 0 || part.Profile.Notes != "" {
		t.Errorf("partner view: %+v", part.Profile)
	}
}

func TestExportForExcel(t *testing.T) {
	a := start(t, store.SQLite)
	staff := a.as("staff@demo.invalid")
	st, b, h := staff.do("GET", "/staff/export?format=csv", nil, "")
	if st != 200 || !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) || !strings.Contains(h.Get("Content-Disposition"), ".csv") {
		t.Fatalf("CSV export: %d %q %v", st, b[:min(len(b), 20)], h)
	}
	if n := bytes.Count(b, []byte("\r\n")); n < 371 {
		t.Errorf("CSV has %d lines", n)
	}
	st, b, _ = staff.do("GET", "/staff/export?format=xlsx", nil, "")
	if st != 200 || !bytes.HasPrefix(b, []byte("PK")) {
		t.Errorf("XLSX export: %d", st)
	}
}
