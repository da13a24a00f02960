package app_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/demo"
	"mieruka/internal/municipality"
	"mieruka/internal/org"
	"mieruka/internal/store"
)

// TestPublicPagesShowPublicFieldsOnly sets a marker in every field group,
// hidden, and checks that it appears nowhere the public can look — the page,
// its JSON-LD, the sitemap, search and browse lists — then shows it and
// checks it appears.
func TestPublicPagesShowPublicFieldsOnly(t *testing.T) {
	a := start(t, store.SQLite)
	ctx := context.Background()
	sys := auth.System("t", demo.Hino)
	o, _ := a.m.Orgs.GetByExternalID(ctx, sys, "C0011")
	groups := []struct {
		g      org.FieldGroup
		marker string
		set    func(p *org.Profile, m string)
	}{
		{org.GroupScale, "987654", func(p *org.Profile, m string) { p.Employees = 987654 }},
		{org.GroupContact, "contactmarker@example.jp", func(p *org.Profile, m string) {
			p.Contacts = []org.Contact{{Person: "連絡先マーカー", Email: m}}
		}},
		{org.GroupCapabilities, "設備マーカー機", func(p *org.Profile, m string) { p.Equipment = append(p.Equipment, org.Equipment{Name: m}) }},
		{org.GroupPR, "PRマーカー文", func(p *org.Profile, m string) { p.PRText = m + "です。" }},
		{org.GroupStrengths, "強みマーカー", func(p *org.Profile, m string) { p.Strengths = m + "がある。" }},
	}
	page := fmt.Sprintf("/companies/%d", o.ID)
	look := func() string {
		anon := a.anonymous()
		var all strings.Builder
		for _, p := range []string{page, page + "?lang=en", "/sitemap.xml", "/search?q=" + url.QueryEscape(o.Profile.Name), "/browse/kana?row=" + url.QueryEscape("か"), "/"} {
			_, b := anon.get(p)
			all.Write(b)
		}
		var api org.Organization
		anon.json("GET", fmt.Sprintf("/api/v1/organizations/%d", o.ID), nil, &api)
		b, _ := json.Marshal(api)
		all.Write(b)
		return all.String()
	}
	for _, g := range groups {
		cur, _ := a.m.Orgs.Get(ctx, sys, o.ID)
		p := cur.Profile
		g.set(&p, g.marker)
		p.Notes = "内部メモマーカー"
		p.Visibility = map[org.FieldGroup]org.Visibility{g.g: org.Staff}
		if _, err := a.m.Orgs.Update(ctx, sys, o.ID, cur.Version, p); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
		seen := look()
		if strings.Contains(seen, g.marker) {
			t.Errorf("%s, staff only, is visible to the public", g.g)
		}
		if strings.Contains(seen, "内部メモマーカー") {
			t.Error("internal notes are visible to the public")
		}
		cur, _ = a.m.Orgs.Get(ctx, sys, o.ID)
		p = cur.Profile
		p.Visibility = map[org.FieldGroup]org.Visibility{g.g: org.Public}
		a.m.Orgs.Update(ctx, sys, o.ID, cur.Version, p)
		if !strings.Contains(look(), g.marker) {
			t.Errorf("%s, made public, does not show", g.g)
		}
	}
	// A member's draft never shows.
	member := a.as("member@demo.invalid")
	mine, _ := a.m.Orgs.GetByExternalID(ctx, sys, demo.FirstOrg)
	dp := mine.Profile
	dp.PRText = "下書きマーカー"
	if _, err := a.m.Orgs.SaveDraft(ctx, member.actor(t), mine.ID, mine.Version, dp, true); err != nil {
		t.Fatal(err)
	}
	_, b := a.anonymous().get(fmt.Sprintf("/companies/%d", mine.ID))
	if strings.Contains(string(b), "下書きマーカー") {
		t.Error("a draft shows on the public page")
	}
	// Unpublished and archived organizations are not public at all.
	hidden, _ := a.m.Orgs.GetByExternalID(ctx, sys, "C0012")
	a.m.Orgs.SetPublished(ctx, sys, hidden.ID, hidden.Version, false)
	if st, _ := a.anonymous().get(fmt.Sprintf("/companies/%d", hidden.ID)); st != 404 {
		t.Errorf("unpublished company page: %d", st)
	}
	if strings.Contains(look(), hidden.Profile.Name) {
		t.Error("an unpublished company is listed")
	}
}

func (c *client) actor(t *testing.T) auth.Actor {
	var me struct{ User auth.User }
	tok := c.a.token("member@demo.invalid")
	tok.json("GET", "/api/v1/me", nil, &me)
	return me.User.Actor("127.0.0.1")
}

func TestPublicSEO(t *testing.T) {
	a := start(t, store.SQLite)
	ctx := context.Background()
	o, _ := a.m.Orgs.GetByExternalID(ctx, auth.System("t", demo.Hino), "C0001")
	anon := a.anonymous()
	st, b := anon.get(fmt.Sprintf("/companies/%d", o.ID))
	if st != 200 {
		t.Fatal(st)
	}
	html := string(b)
	for _, want := range []string{`<html lang="ja">`, `rel="canonical"`, `hreflang="en"`, `property="og:title"`, `application/ld+json`} {
		if !strings.Contains(html, want) {
			t.Errorf("company page lacks %s", want)
		}
	}
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(html)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
	}
	id, _ := ld["identifier"].(map[string]any)
	if ld["@type"] != "Organization" || ld["name"] != o.Profile.Name || id["value"] != o.Profile.CorporateNumber {
		t.Errorf("JSON-LD: %v", ld)
	}
	_, en := anon.get(fmt.Sprintf("/companies/%d?lang=en", o.ID))
	if !strings.Contains(string(en), `<html lang="en">`) || !strings.Contains(string(en), "Basic data") {
		t.Error("the English page is not English")
	}
	_, sm := anon.get("/sitemap.xml")
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(sm, &set); err != nil {
		t.Fatalf("sitemap: %v", err)
	}
	if len(set.URLs) < 2*370 {
		t.Errorf("sitemap has %d URLs", len(set.URLs))
	}
	_, robots := anon.get("/robots.txt")
	if !strings.Contains(string(robots), "Sitemap: ") || !strings.Contains(string(robots), "Disallow: /staff/") {
		t.Errorf("robots.txt: %s", robots)
	}
	// Another municipality's site shows its own organizations.
	_, hachi := anon.get("/m/" + demo.Hachioji + "/browse/kana")
	if !strings.Contains(string(hachi), "八王子市") || strings.Contains(string(hachi), o.Profile.Name) {
		t.Error("the 八王子 site shows 日野's organizations or is not 八王子's")
	}
}

// TestInquiry sends an inquiry through the page and follows it to the mail.
func TestInquiry(t *testing.T) {
	a := start(t, store.SQLite)
	ctx := context.Background()
	if _, err := a.m.Municipalities.UpdateSettings(ctx, auth.System("t", demo.Hino), municipality.Settings{NotVisitedMonths: 12, StaffInbox: "sangyo@city.demo.invalid"}); err != nil {
		t.Fatal(err)
	}
	o, _ := a.m.Orgs.GetByExternalID(ctx, auth.System("t", demo.Hino), "C0020")
	path := fmt.Sprintf("/companies/%d/inquiry", o.ID)
	c := a.anonymous()
	c.get(fmt.Sprintf("/companies/%d", o.ID))
	good := url.Values{"name": {"調達 太郎"}, "company": {"株式会社みなみ台油機"}, "email": {"taro@example.jp"}, "subject": {"試作の見積もり"},
		"body": {"φ3mmの穴加工を含むSUS304部品の試作をお願いできますか。"}}
	bad := url.Values{"name": {""}, "email": {"not-an-address"}, "subject": {"x"}, "body": {strings.Repeat("あ", 5000)}}
	st, body := c.form("POST", path, bad)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("bad inquiry: %d", st)
	}
	for _, want := range []string{"お名前を入力してください", "メールアドレスの形式が正しくありません", "4000文字以内"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("bad inquiry page lacks %q", want)
		}
	}
	st, _ = c.form("POST", path, good)
	if st != http.StatusSeeOther {
		t.Fatalf("inquiry: %d", st)
	}
	// The honeypot: accepted in appearance, stored nowhere.
	trap := url.Values{}
	for k, v := range good {
		trap[k] = v
	}
	trap.Set("website", "http://spam.example")
	c.form("POST", path, trap)
	var n int
	a.m.DB.R.QueryRow("SELECT COUNT(*) FROM inquiries").Scan(&n)
	if n != 1 {
		t.Fatalf("%d inquiries stored, want 1", n)
	}
	// The mails: to the company's contact and a copy to the staff inbox.
	deadline := time.Now().Add(30 * time.Second)
	inquiryMails := func() (n int, all string) {
		files, _ := filepath.Glob(filepath.Join(a.m.Config.DataDir, "outbox", "*.eml"))
		for _, f := range files {
			b, _ := os.ReadFile(f)
			if strings.Contains(string(b), "X-Mieruka-Inquiry:") {
				n++
				all += string(b)
			}
		}
		return n, all
	}
	var got int
	var all string
	for time.Now().Before(deadline) {
		if got, all = inquiryMails(); got >= 2 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got != 2 {
		t.Fatalf("%d inquiry mails in the outbox, want 2", got)
	}
	for _, want := range []string{"info@c0020.demo.invalid", "sangyo@city.demo.invalid", "Reply-To: taro@example.jp"} {
		if !strings.Contains(all, want) {
			t.Errorf("mails lack %q", want)
		}
	}
	// Staff see it, delivered.
	staff := a.as("staff@demo.invalid")
	_, page := staff.get("/staff/inquiries")
	if !strings.Contains(string(page), "試作の見積もり") || !strings.Contains(string(page), "送信済み") {
		t.Error("the staff inquiry list does not show the delivered inquiry")
	}
	// Rate limit per address.
	for i := 0; i < 6; i++ {
		st, _ = c.form("POST", path, good)
	}
	if st != http.StatusTooManyRequests {
		t.Errorf("the 7th inquiry within an hour: %d", st)
	}
}

// TestCachedPagesCarryEachVisitorsToken: public pages come from a cache, but
// each visitor's form carries their own token, and a change shows at once.
func TestCachedPagesCarryEachVisitorsToken(t *testing.T) {
	a := start(t, store.SQLite)
	ctx := context.Background()
	sys := auth.System("t", demo.Hino)
	o, _ := a.m.Orgs.GetByExternalID(ctx, sys, "C0030")
	path := fmt.Sprintf("/companies/%d", o.ID)
	one, two := a.anonymous(), a.anonymous()
	one.get(path)
	two.get(path)
	if one.csrf == "" || one.csrf == two.csrf || strings.Contains(one.csrf, "PLACEHOLDER") {
		t.Errorf("tokens %q and %q", one.csrf, two.csrf)
	}
	p := o.Profile
	p.CatchPhrase = "キャッシュは更新に追従する"
	if _, err := a.m.Orgs.Update(ctx, sys, o.ID, o.Version, p); err != nil {
		t.Fatal(err)
	}
	if _, b := one.get(path); !strings.Contains(string(b), "キャッシュは更新に追従する") {
		t.Error("the cached page did not follow the change")
	}
}
