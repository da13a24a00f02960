package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/demo"
	"mieruka/internal/httpx"
	"mieruka/internal/store"
	"mieruka/internal/visit"
)

// Markers written into confidential fields: whoever may not read them must
// never get a page or an answer that contains them.
const (
	markVisitNotes = "社外秘VISITNOTE"
	markIssue      = "社外秘ISSUEDETAIL"
	markConsNotes  = "社外秘CONSNOTE"
	markRefNotes   = "社外秘REFNOTE"
)

// visitFixture is a set of records of each kind, each visible to some
// people and not to others.
type visitFixture struct {
	withBank, withoutBank visit.Visit
	issue                 visit.CompanyIssue
	ownCons, otherCons    visit.Consultation
	ownRef, otherRef      visit.Referral
	feedID                int64
	feedSecret            string
	org                   int64
}

func makeVisitFixture(t *testing.T, a *testApp) visitFixture {
	t.Helper()
	ctx := context.Background()
	hino := auth.System("test", demo.Hino)
	user := func(email string) auth.Actor {
		u, err := a.m.Auth.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor("127.0.0.1")
	}
	coord, bank := user("coordinator@demo.invalid"), user("bank@demo.invalid")
	c1, _ := a.m.Orgs.GetByExternalID(ctx, hino, "C0001") // the member's company
	c2, _ := a.m.Orgs.GetByExternalID(ctx, hino, "C0002")
	agency, err := a.m.Orgs.GetByExternalID(ctx, hino, "A003")
	if err != nil {
		t.Fatal(err)
	}
	var f visitFixture
	f.org = c2.ID
	at := time.Now().Add(-48 * time.Hour).Truncate(time.Minute)
	in := visit.VisitInput{OrganizationID: c2.ID, StartsAt: at, Purpose: "事業承継の意向確認", Notes: markVisitNotes, AttendeeIDs: []int64{coord.UserID, bank.UserID},
		NewIssues: []visit.IssueInput{{Title: "後継者が未定", Detail: markIssue}}}
	if f.withBank, err = a.m.Visits.CreateVisit(ctx, coord, in); err != nil {
		t.Fatal(err)
	}
	in.AttendeeIDs, in.OrganizationID, in.NewIssues = []int64{coord.UserID}, c1.ID, []visit.IssueInput{{Title: "設備更新", Detail: markIssue}}
	if f.withoutBank, err = a.m.Visits.CreateVisit(ctx, coord, in); err != nil {
		t.Fatal(err)
	}
	f.issue = f.withoutBank.Issues[0]
	if f.ownCons, err = a.m.Visits.CreateConsultation(ctx, coord, visit.ConsultationInput{OrganizationID: c1.ID, Category: visit.CatFinance, Subject: "設備資金の相談", Notes: markConsNotes}); err != nil {
		t.Fatal(err)
	}
	if f.otherCons, err = a.m.Visits.CreateConsultation(ctx, coord, visit.ConsultationInput{OrganizationID: c2.ID, Category: visit.CatDX, Subject: "IoT導入", Notes: markConsNotes}); err != nil {
		t.Fatal(err)
	}
	if f.ownRef, err = a.m.Visits.CreateReferral(ctx, coord, visit.ReferralInput{ConsultationID: f.ownCons.ID, AgencyID: agency.ID, Notes: markRefNotes}); err != nil {
		t.Fatal(err)
	}
	if f.otherRef, err = a.m.Visits.CreateReferral(ctx, coord, visit.ReferralInput{ConsultationID: f.otherCons.ID, AgencyID: agency.ID, Notes: markRefNotes}); err != nil {
		t.Fatal(err)
	}
	var feed visit.Feed
	if f.feedSecret, feed, err = a.m.Visits.CreateFeed(ctx, coord, "test"); err != nil {
		t.Fatal(err)
	}
	f.feedID = feed.ID
	return f
}

// visitRoute reports whether a route is one of the visit routes.
func visitRoute(pattern string) bool {
	for _, p := range []string{"/visits", "/company-issues", "/consultations", "/referrals", "/timeline", "/planning", "/agencies", "/support-agencies",
		"/visit-counts", "/visit-reports", "/calendar"} {
		if strings.Contains(pattern, p) {
			return true
		}
	}
	return false
}

// who is a person the walk asks as.
type who struct {
	name  string
	role  auth.Role
	email string // "" for the public
	hino  bool   // of 日野市, where the records are
}

// TestVisitAccess walks every visit route × every role (and a user of
// another municipality) × every record the route can name, and checks the
// status each gets and that confidential text never reaches anyone who may
// not read it.
func TestVisitAccess(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			a := start(t, d)
			f := makeVisitFixture(t, a)
			people := []who{
				{"admin", auth.RoleAdmin, "admin@demo.invalid", true}, {"staff", auth.RoleStaff, "staff@demo.invalid", true},
				{"coordinator", auth.RoleCoordinator, "coordinator@demo.invalid", true}, {"bank", auth.RoleBank, "bank@demo.invalid", true},
				{"member", auth.RoleMember, "member@demo.invalid", true}, {"public", auth.RoleAnonymous, "", false},
				{"八王子 staff", auth.RoleStaff, "staff@hachioji.demo.invalid", false},
			}
			// records by the kind of id a route names, with who may see each.
			type record struct {
				id      int64
				visible func(w who) bool
				marks   []string // confidential text of the record
			}
			staffOnly := func(w who) bool { return w.hino && auth.Role(w.role).Can(auth.PermVisitRead) }
			records := map[string][]record{
				"visit": {
					{f.withBank.ID, func(w who) bool { return staffOnly(w) || (w.hino && w.role == auth.RoleBank) }, []string{markVisitNotes, markIssue}},
					{f.withoutBank.ID, staffOnly, []string{markVisitNotes, markIssue}},
				},
				"issue": {{f.issue.ID, staffOnly, []string{markIssue}}},
				"consultation": {
					{f.ownCons.ID, func(w who) bool { return staffOnly(w) || (w.hino && w.role == auth.RoleMember) }, []string{markConsNotes, markRefNotes}},
					{f.otherCons.ID, staffOnly, []string{markConsNotes, markRefNotes}},
				},
				"referral": {
					{f.ownRef.ID, func(w who) bool { return staffOnly(w) || (w.hino && w.role == auth.RoleMember) }, []string{markRefNotes}},
					{f.otherRef.ID, staffOnly, []string{markRefNotes}},
				},
				"org":  {{f.org, staffOnly, nil}},
				"feed": {{f.feedID, func(w who) bool { return w.email == "coordinator@demo.invalid" }, nil}},
			}
			kindOf := func(pattern string) string {
				switch {
				case strings.Contains(pattern, "/visits/{id}"):
					return "visit"
				case strings.Contains(pattern, "/company-issues/{id}"):
					return "issue"
				case strings.Contains(pattern, "/consultations/{id}"):
					return "consultation"
				case strings.Contains(pattern, "/referrals/{id}"):
					return "referral"
				case strings.Contains(pattern, "/organizations/{id}"):
					return "org"
				case strings.Contains(pattern, "/calendar"):
					return "feed"
				}
				return ""
			}
			var routes []httpx.Route
			for _, rt := range a.m.Router.Routes() {
				if visitRoute(rt.Pattern) {
					routes = append(routes, rt)
				}
			}
			if len(routes) < 50 {
				t.Fatalf("only %d visit routes", len(routes))
			}
			checked := 0
			for _, w := range people {
				var page, api *client
				if w.email == "" {
					page, api = a.anonymous(), a.anonymous()
				} else {
					if _, ok := a.accounts[w.email]; !ok {
						t.Fatalf("no demo account %s", w.email)
					}
					page, api = a.as(w.email), a.token(w.email)
				}
				for _, rt := range routes {
					c := page
					if rt.Kind == httpx.API {
						c = api
					}
					if rt.Pattern == "/calendar/{token}" {
						continue // checked below: its credential is its path
					}
					kind := kindOf(rt.Pattern)
					recs := []record{{0, func(who) bool { return true }, nil}}
					if strings.Contains(rt.Pattern, "{id}") {
						recs = records[kind]
					}
					query := ""
					if rt.Pattern == "/staff/referrals/new" { // a referral starts from a consultation
						recs, query = records["consultation"], "?consultation_id="
					}
					for _, rec := range recs {
						if kind == "feed" && rt.Method != "GET" && rec.visible(w) {
							continue // revoking the owner's feed is tested on its own
						}
						path := strings.ReplaceAll(rt.Pattern, "{id}", fmt.Sprint(rec.id))
						if query != "" {
							path += query + fmt.Sprint(rec.id)
						}
						var st int
						var body []byte
						var loc string
						switch {
						case rt.Method == "GET":
							var h http.Header
							st, body, h = c.do("GET", path, nil, "")
							loc = h.Get("Location")
						case rt.Kind == httpx.API:
							// A stale version: allowed and visible gets 409
							// (or 422), never a change.
							st = c.json(rt.Method, path, map[string]any{"version": 0, "title": "x", "subject": "x", "category": "dx", "agency_id": 1}, nil)
						default:
							st, body = c.form(rt.Method, path, url.Values{"version": {"0"}})
						}
						allowed := w.role.Can(rt.Perm)
						name := fmt.Sprintf("%s %s as %s", rt.Method, path, w.name)
						switch {
						case !allowed && w.role == auth.RoleAnonymous && rt.Kind == httpx.Page && rt.Method == "GET":
							if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
								t.Errorf("%s: want a redirect to sign in, got %d %s", name, st, loc)
							}
						case !allowed && w.role == auth.RoleAnonymous:
							if st != http.StatusUnauthorized {
								t.Errorf("%s: want 401, got %d", name, st)
							}
						case !allowed:
							if st != http.StatusForbidden {
								t.Errorf("%s: want 403, got %d", name, st)
							}
						case rec.id != 0 && !rec.visible(w):
							if st != http.StatusNotFound {
								t.Errorf("%s: a record they may not see: want 404, got %d", name, st)
							}
						case rt.Method == "GET":
							if st != http.StatusOK {
								t.Errorf("%s: want 200, got %d", name, st)
							}
						default:
							if st == http.StatusUnauthorized || st == http.StatusForbidden || st == http.StatusNotFound || st >= 500 || st < 300 {
								t.Errorf("%s: a refused write should be 4xx about the input or the version, got %d", name, st)
							}
						}
						// Confidential text: only staff and coordinators of 日野 ever see it.
						if !staffOnly(w) {
							for _, m := range []string{markVisitNotes, markIssue, markConsNotes, markRefNotes} {
								if strings.Contains(string(body), m) {
									t.Errorf("%s: the answer carries confidential text %s", name, m)
								}
							}
						}
						checked++
					}
				}
			}
			t.Logf("%d visit routes, %d people, %d requests", len(routes), len(people), checked)

			// Lists: bank staff list exactly their visit, members their
			// consultations and referrals, 八王子 nothing of 日野.
			var vl struct {
				Items []visit.Visit `json:"items"`
				Total int           `json:"total"`
			}
			a.token("bank@demo.invalid").json("GET", "/api/v1/visits?per_page=500", nil, &vl)
			for _, v := range vl.Items {
				if !v.Attended(a.userID(t, "bank@demo.invalid")) || v.Notes != "" {
					t.Errorf("bank lists visit %d (notes %q)", v.ID, v.Notes)
				}
			}
			if vl.Total == 0 {
				t.Error("bank lists no visits")
			}
			var cl struct {
				Items []visit.Consultation `json:"items"`
			}
			a.token("member@demo.invalid").json("GET", "/api/v1/consultations?per_page=500", nil, &cl)
			c1 := a.orgID(t, demo.Hino, "C0001")
			for _, c := range cl.Items {
				if c.OrganizationID != c1 || c.Notes != "" {
					t.Errorf("member lists consultation %d of %d", c.ID, c.OrganizationID)
				}
			}
			hachi := a.token("staff@hachioji.demo.invalid")
			vl.Items, vl.Total = nil, 0
			hachi.json("GET", "/api/v1/visits?per_page=500", nil, &vl)
			if vl.Total != 0 {
				t.Errorf("八王子 lists %d 日野 visits", vl.Total)
			}
			// The calendar feed: its secret is the credential; revoked, it is gone.
			anon := a.anonymous()
			st, body, h := anon.do("GET", visit.FeedPath(f.feedSecret), nil, "")
			if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/calendar") || !strings.Contains(string(body), "BEGIN:VCALENDAR") || strings.Contains(string(body), markVisitNotes) {
				t.Errorf("feed: %d %s", st, h.Get("Content-Type"))
			}
			if st, _ := anon.get("/calendar/cal_guess.ics"); st != http.StatusNotFound {
				t.Errorf("a guessed feed: %d", st)
			}
			owner := a.as("coordinator@demo.invalid")
			owner.get("/account/calendar")
			if st, _ := owner.form("POST", fmt.Sprintf("/account/calendar/%d/revoke", f.feedID), nil); st != http.StatusSeeOther {
				t.Errorf("revoke: %d", st)
			}
			if st, _ := anon.get(visit.FeedPath(f.feedSecret)); st != http.StatusNotFound {
				t.Errorf("a revoked feed: %d", st)
			}
			// Nothing of it is public: not the home page, not the public
			// organization pages or API, not the registry search.
			for _, p := range []string{"/", fmt.Sprintf("/companies/%d", f.org), fmt.Sprintf("/api/v1/organizations/%d", f.org), "/api/v1/organizations?q=" + url.QueryEscape("社外秘"),
				"/search?q=" + url.QueryEscape("社外秘"), "/search?q=" + url.QueryEscape("後継者"), "/sitemap.xml"} {
				_, b := anon.get(p)
				for _, m := range []string{markVisitNotes, markIssue, markConsNotes, markRefNotes, "事業承継の意向確認"} {
					if strings.Contains(string(b), m) {
						t.Errorf("public %s shows %s", p, m)
					}
				}
			}
		})
	}
}

func (a *testApp) userID(t *testing.T, email string) int64 {
	u, err := a.m.Auth.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func (a *testApp) orgID(t *testing.T, muni, ext string) int64 {
	o, err := a.m.Orgs.GetByExternalID(context.Background(), auth.System("test", muni), ext)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}
