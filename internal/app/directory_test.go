package app_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"mieruka/internal/auth"
	"mieruka/internal/demo"
	"mieruka/internal/directory"
	"mieruka/internal/store"
)

// TestDirectorySnapshotBuiltOnce: after a change, the requests that arrive
// together wait for one build (not one each), and what they get shows the
// change.
func TestDirectorySnapshotBuiltOnce(t *testing.T) {
	a := start(t, store.SQLite)
	ctx := context.Background()
	before, err := a.m.Directory.Snapshot(ctx, demo.Hino)
	if err != nil {
		t.Fatal(err)
	}
	sys := auth.System("t", demo.Hino)
	o, _ := a.m.Orgs.GetByExternalID(ctx, sys, "C0003")
	p := o.Profile
	p.CatchPhrase = "一度だけ組み立てる"
	if _, err := a.m.Orgs.Update(ctx, sys, o.ID, o.Version, p); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([]*directory.Snapshot, 32)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sn, err := a.m.Directory.Snapshot(ctx, demo.Hino)
			if err != nil {
				t.Error(err)
			}
			got[i] = sn
		}()
	}
	wg.Wait()
	for i, sn := range got {
		if sn != got[0] {
			t.Fatalf("request %d got a snapshot of its own: %d builds for one change", i, len(got))
		}
	}
	if got[0] == before {
		t.Fatal("the snapshot from before the change was served after it")
	}
	if e, ok := got[0].Get(o.ID); !ok || e.Profile.CatchPhrase != "一度だけ組み立てる" {
		t.Errorf("the new snapshot does not show the change")
	}
	// A request that gives up does not cancel the build others wait for.
	a.m.Directory.Invalidate(demo.Hino)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := a.m.Directory.Snapshot(cctx, demo.Hino); err == nil {
		t.Log("the canceled request was served (the build finished first)")
	}
	if sn, err := a.m.Directory.Snapshot(ctx, demo.Hino); err != nil || sn == got[0] {
		t.Errorf("after Invalidate: %v, same snapshot %v", err, sn == got[0])
	}
}

// TestFlashOnCachedPage: signing out lands on the public home page, which is
// cached for anonymous visitors; the message shows there all the same, once.
func TestFlashOnCachedPage(t *testing.T) {
	a := start(t, store.SQLite)
	a.anonymous().get("/") // the home page is in the cache
	c := a.as("staff@demo.invalid")
	if st, _ := c.form("POST", "/logout", nil); st != http.StatusSeeOther {
		t.Fatalf("logout: %d", st)
	}
	if _, body := c.get("/"); !strings.Contains(string(body), "ログアウトしました") {
		t.Error("the home page after signing out does not say ログアウトしました")
	}
	if _, body := c.get("/login"); strings.Contains(string(body), "ログアウトしました") {
		t.Error("the message shows a second time on the next page")
	}
}
