package web

import (
	"net/http"
	"sync"
	"testing"
)

// TestPageCacheRendersOnce: visitors asking for the same missing page at
// once get the one rendering; a failed rendering lets each render its own.
func TestPageCacheRendersOnce(t *testing.T) {
	c := newPageCache(10, 2)
	_, f, mine := c.claim("k")
	if !mine || f == nil {
		t.Fatal("the first visitor should render the page")
	}
	var wg sync.WaitGroup
	got := make([]*cachedPage, 8)
	for i := range got {
		_, wf, m := c.claim("k")
		if m || wf != f {
			t.Fatalf("visitor %d was told to render too", i)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-wf.done
			got[i] = wf.page
		}()
	}
	page := &cachedPage{key: "k", status: http.StatusOK, body: []byte("x")}
	c.land("k", f, page)
	wg.Wait()
	for i, p := range got {
		if p != page {
			t.Errorf("visitor %d got %v", i, p)
		}
	}
	if p, _, _ := c.claim("k"); p != page {
		t.Error("the page was not cached")
	}

	_, f, _ = c.claim("e")
	_, wf, _ := c.claim("e")
	c.land("e", f, nil)
	<-wf.done
	if wf.page != nil {
		t.Error("a failed rendering handed out a page")
	}
	if _, _, mine := c.claim("e"); !mine {
		t.Error("after a failure the next visitor should render")
	}
	// Error pages are handed to those waiting but not kept.
	_, f, _ = c.claim("bad")
	c.land("bad", f, &cachedPage{key: "bad", status: http.StatusBadRequest})
	if _, _, mine := c.claim("bad"); !mine {
		t.Error("an error page was cached")
	}
}

// TestPageCacheEvicts keeps the most recently used pages.
func TestPageCacheEvicts(t *testing.T) {
	c := newPageCache(2, 1)
	for _, k := range []string{"a", "b", "c"} {
		_, f, _ := c.claim(k)
		c.land(k, f, &cachedPage{key: k, status: http.StatusOK})
	}
	if p, _, _ := c.claim("a"); p != nil {
		t.Error("the oldest page was kept")
	}
	if p, _, _ := c.claim("c"); p == nil {
		t.Error("the newest page was dropped")
	}
}
