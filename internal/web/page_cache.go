package web

import (
	"bytes"
	lru "container/list"
	"io"
	"net/http"
	"sync"

	"mieruka/internal/httpx"
)

// The public pages are the same for every anonymous visitor but for the form
// token, so they are rendered once per directory snapshot and served from
// memory: a page is read far more often than a profile changes. The token
// is written into the page as a placeholder and replaced per request.

const csrfPlaceholder = "CSRF-PLACEHOLDER-9b1f4e7a2c"

// pageCache is a small LRU of rendered pages. A page missing from it is
// rendered once however many visitors ask for it at the same moment (the
// others wait for that rendering), and at most slots pages are rendered at
// a time: under load, visitors queue in order instead of all slowing down
// together.
type pageCache struct {
	mu       sync.Mutex
	max      int
	items    map[string]*lru.Element
	order    *lru.List
	inflight map[string]*pageFlight
	slots    chan struct{}
}

type pageFlight struct {
	done chan struct{}
	page *cachedPage // nil: the rendering failed; render your own
}

type cachedPage struct {
	key    string
	status int
	body   []byte
}

func newPageCache(max, slots int) *pageCache {
	return &pageCache{max: max, items: map[string]*lru.Element{}, order: lru.New(),
		inflight: map[string]*pageFlight{}, slots: make(chan struct{}, slots)}
}

// claim returns the page if it is cached; otherwise either a flight to wait
// for (someone else renders it) or, with mine true, the flight this caller
// must complete with land.
func (c *pageCache) claim(key string) (page *cachedPage, f *pageFlight, mine bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cachedPage), nil, false
	}
	if f, ok := c.inflight[key]; ok {
		return nil, f, false
	}
	f = &pageFlight{done: make(chan struct{})}
	c.inflight[key] = f
	return nil, f, true
}

// land ends a flight, caching the page if there is one.
func (c *pageCache) land(key string, f *pageFlight, p *cachedPage) {
	if p != nil && p.status == http.StatusOK {
		c.put(p)
	}
	c.mu.Lock()
	delete(c.inflight, key)
	c.mu.Unlock()
	f.page = p
	close(f.done)
}

func (c *pageCache) put(p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[p.key]; ok {
		e.Value = p
		c.order.MoveToFront(e)
		return
	}
	c.items[p.key] = c.order.PushFront(p)
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(*cachedPage).key)
	}
}

// cached serves a public page from the cache when the visitor is anonymous,
// rendering it with build on a miss. version names what the page is made of
// (the directory snapshot), so a changed registry is seen at once. A visitor
// with a message waiting (a flash, e.g. after signing out) gets the page
// rendered for them, so that the message shows there and is cleared.
func (s *Server) cached(w http.ResponseWriter, r *http.Request, q *httpx.Req, version string, build func() (int, string, *Page, error)) {
	_, flashErr := r.Cookie(flashCookie)
	if q.User != nil || r.Method != http.MethodGet || flashErr == nil {
		status, name, p, err := build()
		if err != nil {
			s.fail(w, r, q, err)
			return
		}
		s.render(w, r, status, name, p)
		return
	}
	key := q.Site.Code + "|" + q.Lang + "|" + version + "|" + r.URL.RequestURI()
	cp, f, mine := s.pages.claim(key)
	if cp != nil {
		s.writeCached(w, q, cp)
		return
	}
	if !mine {
		select {
		case <-f.done:
		case <-r.Context().Done():
			return
		}
		if f.page != nil {
			s.writeCached(w, q, f.page)
			return
		}
		// The rendering failed: render this one ourselves (its own error).
		f = nil
	}
	var page *cachedPage
	if f != nil {
		defer func() { s.pages.land(key, f, page) }()
	}
	select {
	case s.pages.slots <- struct{}{}:
		defer func() { <-s.pages.slots }()
	case <-r.Context().Done():
		return
	}
	status, name, p, err := build()
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	token := q.CSRF
	q.CSRF = csrfPlaceholder
	body, err := s.execute(name, p)
	q.CSRF = token
	if err != nil {
		s.Log.Error("render", "template", name, "error", err)
		http.Error(w, "500 template error", http.StatusInternalServerError)
		return
	}
	page = &cachedPage{key: key, status: status, body: body}
	s.writeCached(w, q, page)
}

func (s *Server) writeCached(w http.ResponseWriter, q *httpx.Req, cp *cachedPage) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(cp.status)
	// The visitor's form token in place of the placeholder, written piece
	// by piece: most pages have no form, and none is copied.
	body := cp.body
	for {
		i := bytes.Index(body, []byte(csrfPlaceholder))
		if i < 0 {
			w.Write(body)
			return
		}
		w.Write(body[:i])
		io.WriteString(w, q.CSRF)
		body = body[i+len(csrfPlaceholder):]
	}
}
