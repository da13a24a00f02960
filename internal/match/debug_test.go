package match

import (
	"os"
	"testing"
)

func TestDebugScan(t *testing.T) {
	s := os.Getenv("SCAN")
	if s == "" {
		t.Skip()
	}
	v := baseVocab
	n := normalize(s)
	t.Logf("norm: %s", string(n.r))
	scanTries(&n, []*trie{v.trie}, func(m mention) {
		t.Logf("%s [%s]", v.concepts[m.c].key, string(n.r[m.start:m.end]))
	})
}
