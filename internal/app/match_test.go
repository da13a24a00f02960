package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"mieruka/internal/app"
	"mieruka/internal/auth"
	"mieruka/internal/demo"
	"mieruka/internal/match"
	"mieruka/internal/store"
)

// searchIDs runs a directory search through the API and returns the
// external ids of the hits, best first.
func searchIDs(t *testing.T, c *client, q string, extra string) []string {
	t.Helper()
	var res match.Result
	if st := c.json("GET", "/api/v1/search?limit=50&q="+url.QueryEscape(q)+extra, nil, &res); st != http.StatusOK {
		t.Fatalf("search %q: status %d", q, st)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ExternalID)
	}
	return ids
}

func contains(list []string, x string) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// TestMatchAPI: the engine answers through the API with explanations, reads
// constraints from the text, and refuses unknown filters with a 400 that
// names them.
func TestMatchAPI(t *testing.T) {
	a := start(t, store.SQLite)
	anon := a.anonymous()

	var res match.Result
	rfq := "φ3mmの微細穴あけができるステンレス精密切削の協力工場を探しています。ロット100個、ISO9001必須"
	if st := anon.json("POST", "/api/v1/match", map[string]any{"text": rfq}, &res); st != http.StatusOK {
		t.Fatalf("match: status %d", st)
	}
	if len(res.Hits) == 0 {
		t.Fatal("no suppliers for the RFQ")
	}
	requiredISO := false
	for _, c := range res.Understood.Certifications {
		requiredISO = requiredISO || (c.Label == "ISO9001" && c.Level == "required")
	}
	if !requiredISO {
		t.Errorf("ISO9001必須 not read as a requirement: %+v", res.Understood.Certifications)
	}
	ctx := context.Background()
	sys := auth.System("t", demo.Hino)
	for _, h := range res.Hits {
		o, err := a.m.Orgs.Get(ctx, sys, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		has := false
		for _, c := range o.Profile.Certifications {
			has = has || strings.Contains(c, "ISO9001") || strings.Contains(c, "ISO 9001")
		}
		if !has {
			t.Errorf("hit %s (%s) lacks the required ISO9001: %v", h.ExternalID, h.Name, o.Profile.Certifications)
		}
		if len(h.Why.Met) == 0 {
			t.Errorf("hit %s does not say why it is there", h.ExternalID)
		}
	}

	// Notation: the same firms for アルマイト and 陽極酸化, ５軸 and 5軸.
	for _, pair := range [][2]string{{"アルマイト", "陽極酸化"}, {"５軸加工", "5軸加工"}, {"ワイヤーカット", "ワイヤ放電加工"}} {
		x, y := searchIDs(t, anon, pair[0], ""), searchIDs(t, anon, pair[1], "")
		if len(x) == 0 || len(y) == 0 || x[0] != y[0] {
			t.Errorf("%s → %v, %s → %v: want the same first hit", pair[0], first(x, 5), pair[1], first(y, 5))
		}
	}
	// English finds the Japanese profiles.
	if ids := searchIDs(t, anon, "anodizing", ""); len(ids) == 0 || !contains(searchIDs(t, anon, "アルマイト", ""), ids[0]) {
		t.Errorf("anodizing → %v", first(ids, 5))
	}

	// Facets and filters; a filter is resolved through the thesaurus.
	var f match.Result
	anon.json("GET", "/api/v1/search?q="+url.QueryEscape("切削")+"&material="+url.QueryEscape("SUS")+"&certification=ISO9001", nil, &f)
	if f.Total == 0 || len(f.Facets["process"]) == 0 {
		t.Errorf("filtered search: %d hits, facets %v", f.Total, f.Facets)
	}

	// Bad filters: a 400 naming the filter, in both languages.
	var e apiError
	if st := anon.json("GET", "/api/v1/search?q=x&process="+url.QueryEscape("量子テレポート加工"), nil, &e); st != http.StatusBadRequest || len(e.Error.Fields) == 0 || e.Error.Fields[0].Field != "filters.processes" || !strings.Contains(e.Error.Fields[0].JA, "量子テレポート加工") {
		t.Errorf("unknown process filter: %d %+v", st, e)
	}
	if st := anon.json("POST", "/api/v1/match", map[string]any{"text": "切削", "filters": map[string]any{"certifications": []string{"ISO99999"}}}, &e); st != http.StatusBadRequest {
		t.Errorf("unknown certification filter: %d", st)
	}
	if st, _, _ := anon.do("POST", "/api/v1/match", strings.NewReader(`{"text": "切削"`), "application/json"); st != http.StatusBadRequest {
		t.Errorf("malformed body: %d", st)
	}
	if st := anon.json("POST", "/api/v1/match", map[string]any{"text": strings.Repeat("切", 10001)}, &e); st != http.StatusUnprocessableEntity || e.Error.Fields[0].Field != "text" {
		t.Errorf("too long: %d %+v", st, e)
	}
	// Odd input gets an answer, never a 500.
	for _, q := range []string{"", "   ", "、。！？…", "🔩🛠️", "'; DROP TABLE organizations; --", ".*[a-z]+(\\", "SUS304の ｱﾙﾏｲﾄ and 5-axis 加工", strings.Repeat("めっき ", 1600)} {
		for _, kind := range []string{"search", "rfq", "needs", "partner"} {
			if st := anon.json("POST", "/api/v1/match", map[string]any{"kind": kind, "text": q}, nil); st != http.StatusOK {
				t.Errorf("%s %q: status %d", kind, first([]string{q}, 1), st)
			}
		}
		if st := anon.json("GET", "/api/v1/search?q="+url.QueryEscape(q), nil, nil); st != http.StatusOK {
			t.Errorf("search %q: status %d", q, st)
		}
		if st, _ := anon.get("/search?q=" + url.QueryEscape(q)); st != http.StatusOK {
			t.Errorf("search page %q: status %d", q, st)
		}
	}

	// Joint orders: groups that cover every step, with a leader.
	var g struct{ Groups []match.Group }
	if st := anon.json("POST", "/api/v1/joint-groups", map[string]any{"text": "アルミの切削部品に、めっきと組立までまとめてお願いしたい"}, &g); st != http.StatusOK || len(g.Groups) == 0 {
		t.Fatalf("joint groups: %d %+v", st, g)
	}
	for _, gr := range g.Groups {
		if gr.Leader == 0 || len(gr.Coverage) < 2 {
			t.Errorf("group without leader or coverage: %+v", gr)
		}
		for _, c := range gr.Coverage {
			if len(c.Members) == 0 {
				t.Errorf("step %s is not covered: %+v", c.Step, gr)
			}
		}
	}

	// Similar organizations: in this municipality, never the organization itself.
	c1, _ := a.m.Orgs.GetByExternalID(ctx, sys, "C0001")
	var sim struct{ Items []match.Hit }
	if st := anon.json("GET", fmt.Sprintf("/api/v1/organizations/%d/similar", c1.ID), nil, &sim); st != http.StatusOK || len(sim.Items) == 0 {
		t.Errorf("similar: %d %d", st, len(sim.Items))
	}
	for _, h := range sim.Items {
		if h.ID == c1.ID {
			t.Error("an organization is similar to itself")
		}
	}
}

type apiError struct {
	Error struct {
		Code   string
		Fields []struct{ Field, JA, EN string }
	}
}

func first(l []string, n int) []string {
	if len(l) > n {
		l = l[:n]
	}
	for i, s := range l {
		if len([]rune(s)) > 40 {
			l[i] = string([]rune(s)[:40]) + "…"
		}
	}
	return l
}

// TestSynonymsApplyWithoutRestart: a municipality's own word finds what the
// word it stands for finds, at once, only in that municipality; staff only.
func TestSynonymsApplyWithoutRestart(t *testing.T) {
	a := start(t, store.SQLite)
	anon := a.anonymous()
	staff := a.token("admin@demo.invalid")
	word := "ぴかぴか仕上げ"
	target := searchIDs(t, anon, "電解研磨", "")
	if len(target) == 0 {
		t.Fatal("no hits for 電解研磨")
	}
	understood := func() []match.Term {
		var r match.Result
		anon.json("POST", "/api/v1/match", map[string]any{"kind": "search", "text": word}, &r)
		return r.Understood.Processes
	}
	if p := understood(); len(p) != 0 {
		t.Fatalf("before the entry %s is already understood: %+v", word, p)
	}
	// Not for the public, nor for coordinators.
	if st := anon.json("PUT", "/api/v1/synonyms", map[string]any{"canonical": "電解研磨", "variants": []string{word}}, nil); st != http.StatusUnauthorized && st != http.StatusForbidden {
		t.Errorf("anonymous PUT: %d", st)
	}
	if st := a.token("coordinator@demo.invalid").json("PUT", "/api/v1/synonyms", map[string]any{"canonical": "電解研磨", "variants": []string{word}}, nil); st != http.StatusForbidden {
		t.Errorf("coordinator PUT: %d", st)
	}
	var e apiError
	if st := staff.json("PUT", "/api/v1/synonyms", map[string]any{"canonical": "電解研磨", "variants": []string{}}, &e); st != http.StatusUnprocessableEntity || len(e.Error.Fields) == 0 || e.Error.Fields[0].Field != "variants" {
		t.Errorf("empty variants: %d %+v", st, e)
	}
	if st := staff.json("PUT", "/api/v1/synonyms", map[string]any{"canonical": "電解研磨", "variants": []string{word}, "kind": "process"}, nil); st != http.StatusOK {
		t.Fatalf("PUT: %d", st)
	}
	got := searchIDs(t, anon, word, "")
	if len(got) == 0 || got[0] != target[0] {
		t.Errorf("%s → %v, want first %s as for 電解研磨", word, first(got, 5), target[0])
	}
	// Another municipality does not get Hino's words.
	var r match.Result
	anon.json("POST", "/api/v1/match?municipality="+demo.Hachioji, map[string]any{"kind": "search", "text": word}, &r)
	if len(r.Understood.Processes) != 0 {
		t.Errorf("八王子 understands Hino's entry: %+v", r.Understood.Processes)
	}
	// Listed, audited, removable.
	var list struct{ Items []struct{ Canonical string } }
	staff.json("GET", "/api/v1/synonyms", nil, &list)
	if len(list.Items) != 1 || list.Items[0].Canonical != "電解研磨" {
		t.Errorf("list: %+v", list)
	}
	if st := staff.json("DELETE", "/api/v1/synonyms/"+url.PathEscape("電解研磨"), nil, nil); st != http.StatusNoContent {
		t.Errorf("DELETE: %d", st)
	}
	if p := understood(); len(p) != 0 {
		t.Errorf("after removal %s is still understood: %+v", word, p)
	}
	var n int
	a.m.DB.R.QueryRow("SELECT COUNT(*) FROM audit_log WHERE entity = 'synonym'").Scan(&n)
	if n != 2 {
		t.Errorf("%d audit entries for synonyms, want 2", n)
	}
}

// TestSearchFollowsChanges: a profile published, changed or archived on one
// instance is found (or no longer found) on another sharing the database,
// in SQLite and PostgreSQL.
func TestSearchFollowsChanges(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			a := start(t, d)
			cfg := a.m.Config
			cfg.Demo = false
			cfg.Addr = "127.0.0.1:0"
			m2 := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
			ctx := context.Background()
			if err := m2.Open(ctx); err != nil {
				t.Fatal(err)
			}
			m2.Search.Poll = 50 * time.Millisecond
			if err := m2.Prepare(ctx); err != nil {
				t.Fatal(err)
			}
			if err := m2.Run(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { m2.Close() })
			other := &testApp{t: t, m: m2, base: m2.URL()}
			here, there := a.anonymous(), other.anonymous()

			sys := auth.System("t", demo.Hino)
			o, _ := a.m.Orgs.GetByExternalID(ctx, sys, "C0005")
			word := "ミエルカ特殊曲面研削"
			found := func(c *client) bool { return contains(searchIDs(t, c, word, ""), "C0005") }
			wait := func(c *client, want bool, what string) {
				t.Helper()
				deadline := time.Now().Add(10 * time.Second)
				for found(c) != want {
					if time.Now().After(deadline) {
						t.Fatalf("%s: found = %v after 10 s", what, !want)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			if found(here) || found(there) {
				t.Fatal("the word is found before it was written")
			}
			p := o.Profile
			p.Specialties = append(p.Specialties, word)
			o, err := a.m.Orgs.Update(ctx, sys, o.ID, o.Version, p)
			if err != nil {
				t.Fatal(err)
			}
			wait(here, true, "this instance after the change")
			wait(there, true, "the other instance after the change")
			if _, err := a.m.Orgs.Archive(ctx, sys, o.ID, o.Version, "廃業"); err != nil {
				t.Fatal(err)
			}
			wait(here, false, "this instance after archiving")
			wait(there, false, "the other instance after archiving")
			// The other instance's public pages follow too.
			if _, b := there.get("/search?q=" + url.QueryEscape(o.Profile.Name)); strings.Contains(string(b), fmt.Sprintf("/companies/%d\"", o.ID)) {
				t.Error("the other instance's search page still links the archived company")
			}
		})
	}
}
