// Package httpx is the HTTP edge shared by the HTML pages (internal/web) and
// the JSON API (internal/api): a router whose every route names the
// permission it needs (the permission table lives next to the routes), who is
// asking (session cookie or API token), in which language and municipality,
// CSRF protection, body limits, security headers, and the one place where an
// error code becomes an HTTP status.
package httpx

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/municipality"
)

// Kind says whether a route answers with HTML or JSON, which decides how
// errors and missing sign-ins look.
type Kind int

const (
	Page Kind = iota
	API
)

// Route is one entry of the permission table.
type Route struct {
	Method  string
	Pattern string // http.ServeMux pattern without the method, e.g. /staff/organizations/{id}
	Perm    auth.Permission
	Kind    Kind
	// MaxBody limits the request body (default 1 MiB).
	MaxBody int64
	// AllowPasswordChange lets a user who must change their password reach
	// the route (the password page itself, sign-out).
	AllowPasswordChange bool
	Handler             func(w http.ResponseWriter, r *http.Request, q *Req)
}

// Req is what the edge knows about a request.
type Req struct {
	Actor        auth.Actor
	User         *auth.User
	Lang         string // "ja" or "en"
	Municipality municipality.Municipality
	// Site is the municipality whose public pages the request shows: the
	// one in the path (/m/{municipality}/…), ?municipality=, or the
	// default. For the public it is also Municipality; staff keep their own.
	Site municipality.Municipality
	// DefaultSite is the municipality unqualified public URLs show.
	DefaultSite string
	CSRF        string // the token forms must send back
	Via         string // "session", "token" or "" (anonymous)
	Session     string // the session token, for sign-out
	Start       time.Time
}

// T picks the Japanese or English text for the request's language.
func (q *Req) T(ja, en string) string {
	if q.Lang == "en" {
		return en
	}
	return ja
}

// Env holds what the edge needs from the rest of the application.
type Env struct {
	Auth                *auth.Service
	Municipalities      *municipality.Service
	DefaultMunicipality string
	SecureCookies       bool
	TrustProxy          bool
	CSRFKey             []byte
	Log                 *slog.Logger
	// RenderError draws an error page for HTML routes.
	RenderError func(w http.ResponseWriter, r *http.Request, q *Req, status int, e *errs.Error)
}

// Router registers routes with their permissions.
type Router struct {
	env    *Env
	mux    *http.ServeMux
	routes []Route
}

// NewRouter returns an empty router.
func NewRouter(env *Env) *Router {
	return &Router{env: env, mux: http.NewServeMux()}
}

// Routes returns the permission table, in registration order.
func (rt *Router) Routes() []Route { return append([]Route(nil), rt.routes...) }

// Raw registers a handler outside the permission table (static files,
// health checks): it must be public and must not change anything.
func (rt *Router) Raw(pattern string, h http.Handler) { rt.mux.Handle(pattern, h) }

// Handle registers a route.
func (rt *Router) Handle(route Route) {
	if route.Perm == "" {
		panic("httpx: route " + route.Method + " " + route.Pattern + " has no permission")
	}
	if route.MaxBody == 0 {
		route.MaxBody = 1 << 20
	}
	rt.routes = append(rt.routes, route)
	rt.mux.HandleFunc(route.Method+" "+route.Pattern, func(w http.ResponseWriter, r *http.Request) {
		rt.serve(w, r, route)
	})
}

// ServeHTTP serves the routes behind the common headers and a panic guard.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	if rt.env.SecureCookies {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			rt.env.Log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v)
			http.Error(w, "500 internal server error", http.StatusInternalServerError)
		}
	}()
	rt.mux.ServeHTTP(w, r)
}

const (
	sessionCookie = "mieruka_session"
	csrfCookie    = "mieruka_csrf"
	langCookie    = "mieruka_lang"
)

// ClientIP is the address of the client, behind a trusted proxy its
// X-Forwarded-For.
func (env *Env) ClientIP(r *http.Request) string {
	if env.TrustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			return strings.TrimSpace(strings.Split(f, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (rt *Router) serve(w http.ResponseWriter, r *http.Request, route Route) {
	env := rt.env
	q := &Req{Start: time.Now(), Lang: "ja"}
	ip := env.ClientIP(r)
	ctx := r.Context()

	// Who is asking.
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			rt.fail(w, r, q, route, errs.New(errs.Unauthorized, "Authorization ヘッダーは Bearer トークンにしてください", "The Authorization header must carry a Bearer token"))
			return
		}
		u, err := env.Auth.TokenUser(ctx, strings.TrimSpace(secret))
		if err != nil {
			rt.fail(w, r, q, route, err)
			return
		}
		q.User, q.Via = &u, "token"
	} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if u, err := env.Auth.SessionUser(ctx, c.Value); err == nil {
			q.User, q.Via, q.Session = &u, "session", c.Value
		} else if !errs.Is(err, errs.Unauthorized) {
			rt.fail(w, r, q, route, err)
			return
		}
	}

	// Language: an explicit choice, then the account's, then the browser's.
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "en" || c.Value == "ja") {
		q.Lang = c.Value
	} else if q.User != nil {
		q.Lang = q.User.Lang
	} else if strings.HasPrefix(r.Header.Get("Accept-Language"), "en") {
		q.Lang = "en"
	}
	if l := r.URL.Query().Get("lang"); l == "en" || l == "ja" {
		q.Lang = l
	}

	// Which municipality: the user's own; for the public the one asked for
	// (in the path or ?municipality=) or the default.
	site := env.DefaultMunicipality
	if m := r.PathValue("municipality"); m != "" {
		site = m
	} else if m := r.URL.Query().Get("municipality"); m != "" {
		site = m
	}
	sm, err := env.Municipalities.Get(ctx, site)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			err = errs.NotFoundf("自治体が見つかりません", "No such municipality")
		}
		rt.fail(w, r, q, route, err)
		return
	}
	q.Site, q.Municipality, q.DefaultSite = sm, sm, env.DefaultMunicipality
	if q.User != nil && q.User.Municipality != sm.Code {
		m, err := env.Municipalities.Get(ctx, q.User.Municipality)
		if err != nil {
			rt.fail(w, r, q, route, err)
			return
		}
		q.Municipality = m
	}
	if q.User != nil {
		q.Actor = q.User.Actor(ip)
	} else {
		q.Actor = auth.Anonymous(sm.Code)
		q.Actor.IP = ip
	}
	q.Actor.Lang = q.Lang

	// CSRF: every browser request that changes something carries the token
	// of its signed double-submit cookie. Token-authenticated API calls send
	// no cookies and need none.
	r.Body = http.MaxBytesReader(w, r.Body, route.MaxBody)
	q.CSRF = env.csrfToken(w, r)
	if r.Method != http.MethodGet && r.Method != http.MethodHead && q.Via != "token" {
		if !env.checkCSRF(r) {
			rt.fail(w, r, q, route, errs.New(errs.Forbidden, "フォームの有効期限が切れました。ページを再読み込みして、もう一度送信してください", "The form has expired. Reload the page and send it again"))
			return
		}
	}

	if !q.Actor.Can(route.Perm) {
		if !q.Actor.SignedIn() {
			rt.fail(w, r, q, route, errs.New(errs.Unauthorized, "ログインしてください", "Please sign in"))
			return
		}
		rt.fail(w, r, q, route, errs.New(errs.Forbidden, "この操作を行う権限がありません", "You do not have permission to do this"))
		return
	}
	if q.User != nil && q.User.MustChangePassword && !route.AllowPasswordChange {
		if route.Kind == Page {
			http.Redirect(w, r, "/password", http.StatusSeeOther)
			return
		}
		rt.fail(w, r, q, route, errs.New(errs.Forbidden, "パスワードを変更してから利用してください", "Change your password before using the API"))
		return
	}
	route.Handler(w, r.WithContext(context.WithValue(ctx, reqKey{}, q)), q)
}

type reqKey struct{}

// FromContext returns the Req of a request served by a Router.
func FromContext(ctx context.Context) *Req {
	q, _ := ctx.Value(reqKey{}).(*Req)
	return q
}

func (rt *Router) fail(w http.ResponseWriter, r *http.Request, q *Req, route Route, err error) {
	e := errs.As(err)
	if route.Kind == Page && e.Code == errs.Unauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	Fail(rt.env, w, r, q, route.Kind, err)
}

// Status maps an error code to its HTTP status.
func Status(c errs.Code) int {
	switch c {
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.BadRequest:
		return http.StatusBadRequest
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Conflict:
		return http.StatusConflict
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge
	case errs.RateLimited:
		return http.StatusTooManyRequests
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Normalize turns transport errors (a body over the limit, a client gone)
// into coded errors.
func Normalize(err error) *errs.Error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errs.New(errs.TooLarge, "送信されたデータが大きすぎます", "The request body is too large")
	}
	return errs.As(err)
}

// Fail answers with an error: JSON for the API, an error page for pages.
func Fail(env *Env, w http.ResponseWriter, r *http.Request, q *Req, kind Kind, err error) {
	e := Normalize(err)
	status := Status(e.Code)
	if status >= 500 {
		env.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	}
	if kind == API || env.RenderError == nil {
		if e.Code == errs.Unauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="mieruka"`)
		}
		JSON(w, status, map[string]any{"error": ErrorBody(e, q)})
		return
	}
	env.RenderError(w, r, q, status, e)
}

// ErrorBody is the JSON form of an error.
func ErrorBody(e *errs.Error, q *Req) map[string]any {
	lang := "ja"
	if q != nil {
		lang = q.Lang
	}
	body := map[string]any{"code": e.Code, "message": e.Message(lang), "ja": e.JA, "en": e.EN}
	if len(e.Fields) > 0 {
		body["fields"] = e.Fields
	}
	if e.Current != nil {
		body["current"] = e.Current
	}
	return body
}

// JSON writes v as JSON with the status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// DecodeJSON reads a JSON body into v, refusing unknown fields and trailing
// data, with messages people can act on.
func DecodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errs.New(errs.BadRequest, "Content-Type は application/json にしてください", "Send the body as application/json")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return Normalize(err)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return errs.Fields{{Field: te.Field, JA: "値の型が正しくありません（" + te.Value + "）", EN: "wrong type of value (" + te.Value + ")"}}.Err()
		}
		return errs.New(errs.BadRequest, "JSONとして読めません: "+err.Error(), "The body is not valid JSON: "+err.Error())
	}
	if dec.More() {
		return errs.New(errs.BadRequest, "JSONの後に余分なデータがあります", "Unexpected data after the JSON value")
	}
	return nil
}

// csrfToken returns the form token bound to the visitor's CSRF cookie,
// setting the cookie on first visit.
func (env *Env) csrfToken(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(csrfCookie)
	val := ""
	if err == nil && len(c.Value) >= 32 {
		val = c.Value
	} else {
		b := make([]byte, 24)
		rand.Read(b)
		val = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: val, Path: "/", HttpOnly: true, Secure: env.SecureCookies, SameSite: http.SameSiteLaxMode})
		// The request itself may be the first one: remember the cookie so
		// that a form rendered now carries a token that will check.
		r.AddCookie(&http.Cookie{Name: csrfCookie, Value: val})
	}
	return env.sign(val)
}

func (env *Env) sign(v string) string {
	m := hmac.New(sha256.New, env.CSRFKey)
	m.Write([]byte("csrf:" + v))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (env *Env) checkCSRF(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		ct := r.Header.Get("Content-Type")
		if strings.HasPrefix(ct, "multipart/form-data") {
			if err := r.ParseMultipartForm(32 << 20); err == nil {
				got = r.PostFormValue("csrf_token")
			}
		} else {
			got = r.PostFormValue("csrf_token")
		}
	}
	return got != "" && hmac.Equal([]byte(got), []byte(env.sign(c.Value)))
}

// SetSession starts a browser session.
func (env *Env) SetSession(w http.ResponseWriter, token string, ttl time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: env.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(ttl.Seconds())})
}

// ClearSession ends a browser session.
func (env *Env) ClearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: env.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// SetLang remembers a language choice.
func (env *Env) SetLang(w http.ResponseWriter, lang string) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", Secure: env.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
}

// SafeNext returns next if it is a path on this site, else fallback: a
// sign-in link must not send people elsewhere.
func SafeNext(next, fallback string) string {
	if strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") && !strings.HasPrefix(next, "/\\") {
		return next
	}
	return fallback
}

// Send writes a file's bytes: inline (a PDF to look at) or as an attachment
// (to save).
func Send(w http.ResponseWriter, contentType, name string, b []byte, inline bool) {
	disp := "attachment"
	if inline {
		disp = "inline"
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", disp+`; filename="`+strings.NewReplacer(`"`, "", "\r", "", "\n", "").Replace(name)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}
