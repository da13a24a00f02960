package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"mieruka/internal/app"
	"mieruka/internal/app/apptest"
	"mieruka/internal/auth"
	"mieruka/internal/demo"
	"mieruka/internal/store"
)

// testApp is a real mieruka with the demo data, started on a free port.
type testApp struct {
	t        *testing.T
	m        *app.Main
	base     string
	accounts map[string]demo.Account // by e-mail
}

// start runs mieruka with the demo city on a fresh copy of the seeded
// database of the dialect.
func start(t *testing.T, d store.Dialect) *testApp {
	t.Helper()
	m := apptest.Demo(t, d)
	a := &testApp{t: t, m: m, base: m.URL(), accounts: map[string]demo.Account{}}
	for _, acc := range m.DemoAccounts {
		a.accounts[acc.Email] = acc
	}
	return a
}

// client is a browser-like client: cookies, and the CSRF token of the last
// page it read.
type client struct {
	a    *testApp
	http *http.Client
	csrf string
	// bearer, when set, authenticates instead of cookies.
	bearer string
}

func (a *testApp) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	c := &client{a: a, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	c.get("/login") // sets the CSRF cookie
	return c
}

// as signs in as the demo account with that e-mail.
func (a *testApp) as(email string) *client {
	a.t.Helper()
	c := a.anonymous()
	acc, ok := a.accounts[email]
	if !ok {
		a.t.Fatalf("no demo account %s", email)
	}
	st, _ := c.form("POST", "/login", url.Values{"email": {email}, "password": {acc.Password}})
	if st != http.StatusSeeOther {
		a.t.Fatalf("sign-in as %s: status %d", email, st)
	}
	c.get("/password") // any page, to read a CSRF token
	return c
}

// token returns an API client with a fresh token of the account.
func (a *testApp) token(email string) *client {
	a.t.Helper()
	u, err := a.m.Auth.UserByEmail(context.Background(), email)
	if err != nil {
		a.t.Fatal(err)
	}
	secret, _, err := a.m.Auth.CreateToken(context.Background(), auth.System("test", u.Municipality), u.ID, "test")
	if err != nil {
		a.t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	return &client{a: a, bearer: secret, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (c *client) do(method, path string, body io.Reader, ctype string) (int, []byte, http.Header) {
	c.a.t.Helper()
	req, err := http.NewRequest(method, c.a.base+path, body)
	if err != nil {
		c.a.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	} else if c.csrf != "" && method != "GET" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfRE.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp.StatusCode, b, resp.Header
}

func (c *client) get(path string) (int, []byte) {
	st, b, _ := c.do("GET", path, nil, "")
	return st, b
}

// form posts a form with the CSRF token the last page carried.
func (c *client) form(method, path string, v url.Values) (int, []byte) {
	if v == nil {
		v = url.Values{}
	}
	if c.csrf != "" {
		v.Set("csrf_token", c.csrf)
	}
	st, b, _ := c.do(method, path, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded")
	return st, b
}

// json sends v as JSON (nil: no body) and decodes the answer into out.
func (c *client) json(method, path string, v any, out any) int {
	c.a.t.Helper()
	var body io.Reader
	ctype := ""
	if v != nil {
		b, _ := json.Marshal(v)
		body, ctype = bytes.NewReader(b), "application/json"
	}
	st, b, _ := c.do(method, path, body, ctype)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			c.a.t.Fatalf("%s %s: %d, not JSON: %s", method, path, st, b)
		}
	}
	return st
}
