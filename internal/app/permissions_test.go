package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"mieruka/internal/auth"
	"mieruka/internal/demo"
	"mieruka/internal/httpx"
	"mieruka/internal/store"
)

var roleEmail = map[auth.Role]string{
	auth.RoleAdmin:       "admin@demo.invalid",
	auth.RoleStaff:       "staff@demo.invalid",
	auth.RoleCoordinator: "coordinator@demo.invalid",
	auth.RoleMember:      "member@demo.invalid",
	auth.RoleBank:        "bank@demo.invalid",
}

// fill turns a route pattern into a path with real or harmless values.
type fillValues struct {
	org, user int64
}

func (f fillValues) path(pattern string) string {
	p := strings.ReplaceAll(pattern, "{$}", "")
	switch {
	case strings.HasPrefix(p, "/staff/users/"), strings.HasPrefix(p, "/api/v1/users/"):
		p = strings.ReplaceAll(p, "{id}", fmt.Sprint(f.user))
	case strings.Contains(p, "/tokens/"), strings.Contains(p, "/jobs/"):
		p = strings.ReplaceAll(p, "{id}", "999999")
	default:
		p = strings.ReplaceAll(p, "{id}", fmt.Sprint(f.org))
	}
	p = strings.ReplaceAll(p, "{facet}", "process")
	p = strings.ReplaceAll(p, "{term}", url.PathEscape("存在しない用語"))
	p = strings.ReplaceAll(p, "{number}", "7123456789012")
	return p
}

// TestPermissionTable walks every route of the permission table with every
// role and checks that the route lets in exactly the roles that hold its
// permission. Requests carry no valid payload, so that nothing changes: a
// permitted role gets a 2xx, a 3xx or a 4xx about the input — never 401/403.
func TestPermissionTable(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			a := start(t, d)
			ctx := context.Background()
			hino := auth.System("test", demo.Hino)
			other, err := a.m.Orgs.GetByExternalID(ctx, hino, "C0002")
			if err != nil {
				t.Fatal(err)
			}
			u, _, err := a.m.Auth.CreateUser(ctx, hino, auth.NewUser{Email: "throwaway@demo.invalid", Role: auth.RoleStaff})
			if err != nil {
				t.Fatal(err)
			}
			f := fillValues{org: other.ID, user: u.ID}
			routes := a.m.Router.Routes()
			// Sign-out ends the session: walk it last.
			sort.SliceStable(routes, func(i, j int) bool { return routes[j].Pattern == "/logout" && routes[i].Pattern != "/logout" })
			if len(routes) < 40 {
				t.Fatalf("only %d routes", len(routes))
			}
			checked := 0
			for _, role := range auth.AllRoles {
				var page, api *client
				if role == auth.RoleAnonymous {
					page, api = a.anonymous(), a.anonymous()
				} else {
					page, api = a.as(roleEmail[role]), a.token(roleEmail[role])
				}
				for _, rt := range routes {
					c := page
					if rt.Kind == httpx.API {
						c = api
					}
					path := f.path(rt.Pattern)
					var st int
					var loc string
					switch rt.Method {
					case "GET":
						s, _, h := c.do("GET", path, nil, "")
						st, loc = s, h.Get("Location")
					default:
						if rt.Kind == httpx.API {
							st = c.json(rt.Method, path, map[string]any{}, nil)
						} else {
							st, _ = c.form(rt.Method, path, url.Values{"version": {"0"}})
						}
					}
					allowed := role.Can(rt.Perm)
					name := fmt.Sprintf("%s %s as %q", rt.Method, rt.Pattern, role)
					switch {
					case allowed && (st == http.StatusUnauthorized || st == http.StatusForbidden || st >= 500 || strings.HasPrefix(loc, "/login")):
						t.Errorf("%s: permitted (%s) but got %d %s", name, rt.Perm, st, loc)
					case !allowed && role == auth.RoleAnonymous && rt.Kind == httpx.Page && rt.Method == "GET":
						if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
							t.Errorf("%s: want a redirect to /login, got %d %q", name, st, loc)
						}
					case !allowed && role == auth.RoleAnonymous:
						if st != http.StatusUnauthorized {
							t.Errorf("%s: want 401, got %d", name, st)
						}
					case !allowed:
						if st != http.StatusForbidden {
							t.Errorf("%s: want 403, got %d", name, st)
						}
					}
					checked++
				}
			}
			t.Logf("%d routes × %d roles = %d requests checked", len(routes), len(auth.AllRoles), checked)
		})
	}
}

// TestPermissionTableGolden keeps the permission table itself under review:
// testdata/permissions.txt is the table as it should be, and a few rules hold
// for every route whatever the table says. Run with -update to rewrite the
// golden file after a deliberate change.
func TestPermissionTableGolden(t *testing.T) {
	a := start(t, store.SQLite)
	var lines []string
	for _, rt := range a.m.Router.Routes() {
		lines = append(lines, fmt.Sprintf("%-6s %-45s %s", rt.Method, rt.Pattern, rt.Perm))
		// POST /match and /joint-groups are queries sent as a body (requests
		// run to pages of text); they change nothing.
		query := rt.Method == "POST" && (rt.Pattern == "/api/v1/match" || rt.Pattern == "/api/v1/joint-groups")
		writes := rt.Method != "GET" && rt.Method != "HEAD" && !query
		switch {
		case strings.HasPrefix(rt.Pattern, "/staff") && !auth.RoleStaff.Can(rt.Perm) && !auth.RoleAdmin.Can(rt.Perm):
			t.Errorf("%s %s: a staff page that staff cannot use (%s)", rt.Method, rt.Pattern, rt.Perm)
		case strings.HasPrefix(rt.Pattern, "/staff") && (auth.RoleMember.Can(rt.Perm) || auth.RoleAnonymous.Can(rt.Perm)):
			t.Errorf("%s %s: a staff page open to members or the public (%s)", rt.Method, rt.Pattern, rt.Perm)
		case strings.HasPrefix(rt.Pattern, "/api/") && writes && auth.RoleAnonymous.Can(rt.Perm):
			t.Errorf("%s %s: an API write open to the public", rt.Method, rt.Pattern)
		case strings.Contains(rt.Pattern, "/history") && auth.RoleMember.Can(rt.Perm):
			t.Errorf("%s %s: history (which holds internal notes) open to members", rt.Method, rt.Pattern)
		}
	}
	checkGolden(t, "testdata/permissions.txt", strings.Join(lines, "\n")+"\n")
}
