package match

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestCorpusVariants: every process-like item the demo profiles list in
// their PR text (■…, 対応工程：…, 主な工程は…) is read as some process or
// specialty. (A coverage check of the vocabulary on the corpus' wording.)
func TestCorpusVariants(t *testing.T) {
	docs := loadDemo(t)
	re1 := regexp.MustCompile(`■([^■。]+)`)
	re2 := regexp.MustCompile(`(?:対応工程：|主な工程は)([^。]+?)(?:です)?。`)
	re3 := regexp.MustCompile(`([^。、]+?)(?:も自社で対応可能です|にも対応しています|まで一貫して行います)`)
	items := map[string]int{}
	for _, d := range docs {
		for _, m := range re1.FindAllStringSubmatch(d.PRText, -1) {
			items[strings.TrimSpace(m[1])]++
		}
		for _, re := range []*regexp.Regexp{re2, re3} {
			for _, m := range re.FindAllStringSubmatch(d.PRText, -1) {
				s := m[1]
				if i := strings.LastIndex(s, "社内で"); i >= 0 {
					s = s[i+len("社内で"):]
				}
				for _, p := range regexp.MustCompile(`[・、]`).Split(s, -1) {
					items[strings.TrimSpace(p)]++
				}
			}
		}
	}
	var miss []string
	for it := range items {
		if it == "" {
			continue
		}
		got := false
		for k := range conceptsIn(it) {
			if strings.HasPrefix(k, "proc:") || strings.HasPrefix(k, "spec:") || strings.HasPrefix(k, "equip:") {
				got = true
			}
		}
		if !got {
			miss = append(miss, it)
		}
	}
	sort.Strings(miss)
	if os.Getenv("TOPICPROBE") != "" {
		t.Logf("%d items, %d not read: %v", len(items), len(miss), miss)
	}
	if len(miss) > len(items)/10 {
		t.Errorf("%d of %d process items not read: %v", len(miss), len(items), miss)
	}
}
