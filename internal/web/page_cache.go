package web

import (
	"bytes"
	lru "container/list"
	"net/http"
	"sync"

	"mieruka/internal/httpx"
)

// The public pages are the same for every anonymous visitor but for the form
// token, so they are rendered once per directory snapshot and served from
// memory: a page is read far more often than a profile changes. The token
// is written into the page as a placeholder and replaced per request.

const csrfPlaceholder = "CSRF-PLACEHOLDER-9b1f4e7a2c"

// pageCache is a small LRU of rendered pages.
type pageCache struct {
	mu    sync.Mutex
	max   int
	items map[string]*lru.Element
	order *lru.List
}

type cachedPage struct {
	key    string
	status int
	body   []byte
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, items: map[string]*lru.Element{}, order: lru.New()}
}

func (c *pageCache) get(key string) (*cachedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cachedPage), true
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
// (the directory snapshot), so a changed registry is seen at once.
func (s *Server) cached(w http.ResponseWriter, r *http.Request, q *httpx.Req, version string, build func() (int, string, *Page, error)) {
	if q.User != nil || r.Method != http.MethodGet {
		status, name, p, err := build()
		if err != nil {
			s.fail(w, r, q, err)
			return
		}
		s.render(w, r, status, name, p)
		return
	}
	key := q.Site.Code + "|" + q.Lang + "|" + version + "|" + r.URL.RequestURI()
	if cp, ok := s.pages.get(key); ok {
		s.writeCached(w, q, cp)
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
	cp := &cachedPage{key: key, status: status, body: body}
	if status == http.StatusOK {
		s.pages.put(cp)
	}
	s.writeCached(w, q, cp)
}

func (s *Server) writeCached(w http.ResponseWriter, q *httpx.Req, cp *cachedPage) {
	body := bytes.ReplaceAll(cp.body, []byte(csrfPlaceholder), []byte(q.CSRF))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(cp.status)
	w.Write(body)
}
