package app_test

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"mieruka/internal/app/apptest"
	"mieruka/internal/store"
)

// BenchmarkPublicSearchUncached: one public search with a query and two
// facets that misses the page cache every time (engine, facets and template
// for each request), on the demo city. Run with -cpuprofile to see where a
// miss spends its time.
func BenchmarkPublicSearchUncached(b *testing.B) {
	m := apptest.Demo(b, store.SQLite)
	u := m.URL() + "/search?q=" + url.QueryEscape("ステンレス 精密") + "&process=" + url.QueryEscape("切削加工") + "&certification=ISO9001&n="
	get := func(n int) int {
		resp, err := http.Get(u + strconv.Itoa(n))
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("%d: %s", resp.StatusCode, body)
		}
		return len(body)
	}
	size := get(-1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		get(i)
	}
	b.ReportMetric(float64(size)/1024, "KB/page")
}
