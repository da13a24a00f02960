package main

import (
	"os"
	"strconv"
	"testing"
)

// BenchmarkMatching prints build time, index memory and p50/p99 latency of
// free text, free text + 2 filters and RFQ ranking for mieruka and SQLite
// FTS5 trigram at 100,000 synthetic organizations (MATCH_PERF_N to change):
//
//	go test ./bench/matching -run XXX -bench Matching -benchtime 1x
//
// It reports figures; it never fails on time.
func BenchmarkMatching(b *testing.B) {
	n := 100000
	if s := os.Getenv("MATCH_PERF_N"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v > 0 {
			n = v
		}
	}
	for i := 0; i < b.N; i++ {
		if err := perfBench(n, 300, "../../internal/demo/data", "testdata"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEvalTable runs the metric table on the dev sets (fast; a smoke test of
// the evaluation program).
func TestEvalTable(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	sets := loadSets("testdata")
	if len(sets) != 3 || len(sets[0].queries) != 30 || len(sets[1].queries) != 24 {
		t.Fatalf("sets: %d", len(sets))
	}
}
