// Command visits measures the company-visit pages on a city-sized history:
// 200 companies × 10 years of visits (≈20,000 visits, ≈50,000 CompanyIssues
// and referrals), on SQLite and PostgreSQL.
//
//	go run ./bench/visits [-companies 200] [-years 10] [-runs 200] [-export-runs 5]
//
// It starts a real mieruka (app.Main) on each database, loads the history
// through the visit service's bulk import, signs in as staff and times, over
// HTTP, the pages people wait for: the timeline of the busiest company, the
// planning page (the not-visited list with the person's agenda) and the
// fiscal-year XLSX export; and the same calls on the service, without HTTP
// and templates. It prints p50 and p99 of each. PostgreSQL runs when
// MIERUKA_TEST_POSTGRES_URL is set or scripts/pg-start can start a server.
package main

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"mieruka/internal/app"
	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/org"
	"mieruka/internal/visit"
)

const muni = "132128"

func main() {
	companies := flag.Int("companies", 200, "companies")
	years := flag.Int("years", 10, "years of history")
	runs := flag.Int("runs", 200, "requests per page (p50/p99 of these)")
	exportRuns := flag.Int("export-runs", 5, "exports per database")
	only := flag.String("only", "", "sqlite or postgres: measure one database")
	flag.Parse()
	fmt.Printf("mieruka visit benchmark: %d companies × %d years, %d requests per page, %d exports; %d CPUs, %s\n",
		*companies, *years, *runs, *exportRuns, runtime.NumCPU(), runtime.Version())
	if *only != "postgres" {
		measure("SQLite", "", *companies, *years, *runs, *exportRuns)
	}
	if *only != "sqlite" {
		admin, stop := postgres()
		defer stop()
		if admin != "" {
			u, drop := freshDatabase(admin)
			defer drop()
			measure("PostgreSQL", u, *companies, *years, *runs, *exportRuns)
		}
	}
}

func measure(name, dbURL string, companies, years, runs, exportRuns int) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "mieruka-visitbench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	cfg := app.Config{Addr: "127.0.0.1:0", DataDir: dir, DatabaseURL: dbURL, Municipality: muni, MailFrom: "mieruka <no-reply@bench.invalid>",
		Workers: 0, LogFormat: "text", LogLevel: "error", ShutdownWait: 5e9}
	m := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	if err := m.Open(ctx); err != nil {
		log.Fatal(err)
	}
	if err := m.Prepare(ctx); err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	busiest, fy, n, staff := load(ctx, m, companies, years)
	fmt.Printf("\n%s: loaded %d visits, %d CompanyIssues, %d consultations, %d referrals in %s\n", name, n.Visits, n.CompanyIssues, n.Consultations, n.Referrals, time.Since(start).Round(time.Millisecond))
	if err := m.Run(ctx); err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	c := signIn(m.URL(), staff)
	get := func(path string) func() {
		return func() {
			resp, err := c.Get(m.URL() + path)
			if err != nil {
				log.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || n == 0 {
				log.Fatalf("%s: %d", path, resp.StatusCode)
			}
		}
	}
	actor := auth.System("bench", muni)
	tl, _ := m.Visits.Timeline(ctx, actor, busiest.id, visit.TimelineQuery{})
	fmt.Printf("busiest company: %s, %d visits; the first timeline page holds %d items\n", busiest.name, busiest.visits, len(tl.Items))
	nv, _ := m.Visits.NotVisited(ctx, actor, visit.PlanningQuery{})
	fmt.Printf("not visited for %d months: %d companies\n", nv.Months, nv.Total)
	rows := []struct {
		what string
		n    int
		fn   func()
	}{
		{"page: company timeline (busiest)", runs, get(fmt.Sprintf("/staff/organizations/%d/timeline", busiest.id))},
		{"page: planning (not-visited list + agenda)", runs, get("/staff/planning")},
		{"API: timeline (busiest), 50 items", runs, get(fmt.Sprintf("/api/v1/organizations/%d/timeline", busiest.id))},
		{"API: not-visited list", runs, get("/api/v1/planning/not-visited")},
		{"service: Timeline (busiest)", runs, func() { m.Visits.Timeline(ctx, actor, busiest.id, visit.TimelineQuery{}) }},
		{"service: NotVisited", runs, func() { m.Visits.NotVisited(ctx, actor, visit.PlanningQuery{}) }},
		{"service: Counts (a fiscal year)", runs, func() { m.Visits.Counts(ctx, actor, fy) }},
		{fmt.Sprintf("export: FY%d XLSX, all sheets (HTTP)", fy), exportRuns, get(fmt.Sprintf("/staff/visit-reports/export?fy=%d&format=xlsx", fy))},
		{fmt.Sprintf("export: FY%d CSV, visits (HTTP)", fy), exportRuns, get(fmt.Sprintf("/staff/visit-reports/export?fy=%d&format=csv&kind=visits", fy))},
	}
	fmt.Printf("%-46s %10s %10s %10s\n", "", "p50", "p99", "max")
	for _, r := range rows {
		r.fn() // warm up
		ds := make([]time.Duration, r.n)
		for i := range ds {
			t := time.Now()
			r.fn()
			ds[i] = time.Since(t)
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		p := func(q float64) time.Duration { return ds[min(len(ds)-1, int(q*float64(len(ds))))] }
		fmt.Printf("%-46s %10s %10s %10s\n", r.what, ms(p(0.50)), ms(p(0.99)), ms(ds[len(ds)-1]))
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

type company struct {
	id     int64
	name   string
	visits int
}

// load writes the history: companies, people, agencies, then the visits
// with their issues and referrals, and consultations, in one bulk import.
func load(ctx context.Context, m *app.Main, companies, years int) (company, int, visit.BulkCounts, string) {
	sys := auth.System("bench", muni)
	rng := rand.New(rand.NewPCG(1, 2))
	var orgs []company
	for i := 0; i < companies; i++ {
		o, err := m.Orgs.Create(ctx, sys, org.NewOrganization{Kind: org.KindCompany, Published: true, Profile: org.Profile{
			Name: fmt.Sprintf("株式会社ベンチ精工%03d", i), NameKana: "ベンチセイコウ" + kana(i), Address: org.Address{Prefecture: "東京都", City: "日野市"}}})
		if err != nil {
			log.Fatalf("company: %v %+v", err, errs.As(err).Fields)
		}
		orgs = append(orgs, company{id: o.ID, name: o.Profile.Name})
	}
	var agencies []int64
	for i := 0; i < 10; i++ {
		kind := org.KindAgency
		if i >= 8 {
			kind = org.KindBank
		}
		o, err := m.Orgs.Create(ctx, sys, org.NewOrganization{Kind: kind, Profile: org.Profile{Name: fmt.Sprintf("支援機関%02d", i), Specialties: []string{"事業承継", "販路開拓"}}})
		if err != nil {
			log.Fatalf("agency: %v %+v", err, errs.As(err).Fields)
		}
		agencies = append(agencies, o.ID)
	}
	var people []int64
	staffEmail := "bench-staff@bench.invalid"
	for i, role := range []auth.Role{auth.RoleStaff, auth.RoleCoordinator, auth.RoleCoordinator, auth.RoleCoordinator, auth.RoleCoordinator} {
		email := fmt.Sprintf("bench-%d@bench.invalid", i)
		if i == 0 {
			email = staffEmail
		}
		u, _, err := m.Auth.CreateUser(ctx, sys, auth.NewUser{Email: email, Role: role, Name: fmt.Sprintf("担当%d", i), Password: "bench password 1"})
		if err != nil {
			log.Fatalf("user: %v %+v", err, errs.As(err).Fields)
		}
		m.Auth.ClearPasswordChange(ctx, u.ID)
		people = append(people, u.ID)
	}
	now := time.Now().In(jp.JST)
	start := now.AddDate(-years, 0, 0)
	caps := visit.Capabilities
	outcomes := visit.Outcomes
	var b visit.Bulk
	// Visits per company vary; one company (the busiest) gets four times
	// the average: 20,000 visits in all for 200 companies and 10 years.
	perYear := 11.0
	for ci := range orgs {
		rate := perYear * (0.5 + rng.Float64())
		if ci == 0 {
			rate = perYear * 4
		}
		n := int(rate * float64(years))
		// A third of the companies have not been visited for a while (the
		// planning list's companies): their history ends one to four years ago.
		end := now
		if ci%3 == 2 {
			end = now.AddDate(0, -12-rng.IntN(36), 0)
			n = n * int(end.Sub(start).Hours()) / int(now.Sub(start).Hours())
		}
		for k := 0; k < n; k++ {
			at := start.Add(time.Duration(rng.Int64N(int64(end.Sub(start))))).Truncate(time.Minute)
			owner := people[1+rng.IntN(4)]
			in := visit.VisitInput{OrganizationID: orgs[ci].id, Status: visit.VisitDone, StartsAt: at, Minutes: 60, Purpose: "定期訪問",
				Capabilities: []visit.Capability{caps[rng.IntN(5)]}, Pillars: []visit.Pillar{visit.Pillar(1 + rng.IntN(5))}, LifeStage: visit.LifeStages[rng.IntN(5)],
				Notes: "受注は前年並み。設備の更新を検討している。次回は半年後に状況を伺う。", AttendeeIDs: []int64{owner}}
			bv := visit.BulkVisit{Visit: in, CreatedBy: owner}
			// 1.5 issues per visit, one referral per issue on average: ≈25,000 + ≈25,000.
			for j := 0; j < rng.IntN(4); j++ { // 1.5 on average
				st := visit.IssueResolved
				if rng.IntN(5) == 0 {
					st = visit.IssueOpen
				}
				bi := visit.BulkIssue{CreatedAt: at.Add(time.Hour), Issue: visit.IssueInput{Title: "後継者の確保", Status: st, OwnerID: owner,
					Capabilities: in.Capabilities, Pillars: in.Pillars, Measures: []string{visit.Measures[rng.IntN(len(visit.Measures))].Code}, DueOn: visit.DateOf(at.AddDate(0, 2, 0))}}
				for r := 0; r < rng.IntN(2)+rng.IntN(2); r++ { // one on average
					bi.Referrals = append(bi.Referrals, visit.ReferralInput{AgencyID: agencies[rng.IntN(len(agencies))], ReferredOn: visit.DateOf(at.AddDate(0, 0, 7)),
						Outcome: outcomes[rng.IntN(4)], OwnerID: owner, Measure: bi.Issue.Measures[0]})
				}
				bv.Issues = append(bv.Issues, bi)
			}
			b.Visits = append(b.Visits, bv)
			orgs[ci].visits++
		}
		for k := 0; k < years; k++ {
			at := start.Add(time.Duration(rng.Int64N(int64(end.Sub(start)))))
			b.Consultations = append(b.Consultations, visit.BulkConsultation{CreatedBy: people[1], Consultation: visit.ConsultationInput{OrganizationID: orgs[ci].id,
				Channel: visit.ChannelPhone, Category: visit.Categories[rng.IntN(len(visit.Categories))], Subject: "資金繰りの相談", Status: visit.ConsClosed, OwnerID: people[1], ReceivedAt: at}})
		}
	}
	n, err := m.Visits.Import(ctx, sys, b)
	if err != nil {
		log.Fatal(err)
	}
	m.DB.W.ExecContext(ctx, "ANALYZE") // both databases plan better with statistics
	return orgs[0], jp.FiscalYear(now) - 1, n, staffEmail
}

// kana spells a number in katakana, for readings that must be katakana.
func kana(n int) string {
	digits := []string{"ゼロ", "イチ", "ニ", "サン", "ヨン", "ゴ", "ロク", "ナナ", "ハチ", "キュウ"}
	var b strings.Builder
	for _, c := range fmt.Sprintf("%03d", n) {
		b.WriteString(digits[c-'0'])
	}
	return b.String()
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func signIn(base, email string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: time.Minute}
	resp, err := c.Get(base + "/login")
	if err != nil {
		log.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	tok := csrfRE.FindSubmatch(b)
	if tok == nil {
		log.Fatal("no CSRF token on the sign-in page")
	}
	resp, err = c.PostForm(base+"/login", url.Values{"email": {email}, "password": {"bench password 1"}, "csrf_token": {string(tok[1])}})
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		log.Fatalf("sign-in: %d", resp.StatusCode)
	}
	return c
}

// postgres returns the admin URL of a server to use, starting one with
// scripts/pg-start when none is given.
func postgres() (string, func()) {
	if u := os.Getenv("MIERUKA_TEST_POSTGRES_URL"); u != "" {
		return u, func() {}
	}
	out, err := exec.Command("scripts/pg-start").Output()
	if err != nil {
		fmt.Println("PostgreSQL: not measured (no MIERUKA_TEST_POSTGRES_URL, and scripts/pg-start failed)")
		return "", func() {}
	}
	var u, dir string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		k, v, _ := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		switch v = strings.Trim(v, "'"); k {
		case "MIERUKA_TEST_POSTGRES_URL":
			u = v
		case "PGDIR":
			dir = v
		}
	}
	return u, func() { exec.Command("scripts/pg-stop", dir).Run() }
}

func freshDatabase(admin string) (string, func()) {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	name := fmt.Sprintf("mieruka_visitbench_%d", os.Getpid())
	db.Exec("DROP DATABASE IF EXISTS " + name)
	if _, err := db.ExecContext(context.Background(), "CREATE DATABASE "+name); err != nil {
		log.Fatal(err)
	}
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String(), func() {
		if db, err := sql.Open("pgx", admin); err == nil {
			db.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
			db.Close()
		}
	}
}
