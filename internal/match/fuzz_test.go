package match

import (
	"context"
	"sync"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"φ0.3mmの微細穴あけができるステンレス精密切削の協力工場を探しています。ロット100個、ISO9001必須。",
	"ｳﾁはﾌﾟﾚｽ屋です。月1万ｾｯﾄくらい回せる板金屋さんか溶接屋さん、いませんかね？",
	"TIG is not acceptable, so the supplier must have laser welding in house. First batch 40 pcs.",
	"青梅とか町田だと遠すぎるので、そこは除外でお願いします。立川市内の会社に限ります。",
	"1500×800のアルミベースプレート、全長4m級、φ25×L300、±0.002mm、２万コ",
	"", "。", "🙂", "'; DROP TABLE x; --", ".*[(", "市内市内", "ー", "ｰｰｰ", "\u0301\u0302", "NG NG以外ではなく",
}

// FuzzNormalize: offsets stay inside the input, in order, and spans cut the
// input at rune boundaries.
func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := normalize(s)
		if len(n.r) != len(n.st) || len(n.r) != len(n.en) || len(n.r) != len(n.kana) {
			t.Fatalf("length mismatch")
		}
		prev := 0
		for i := range n.r {
			st, en := int(n.st[i]), int(n.en[i])
			if st < prev || st > en || en > len(s) {
				t.Fatalf("bad offsets %d %d (len %d)", st, en, len(s))
			}
			if utf8.ValidString(s) && (!utf8.ValidString(s[st:en])) {
				t.Fatalf("span cuts a rune")
			}
			prev = st
		}
		// normalising twice changes nothing more
		if a, b := normString(s), normString(normString(s)); utf8.ValidString(s) && a != b {
			t.Fatalf("not idempotent: %q → %q → %q", s, a, b)
		}
	})
}

// FuzzUnderstand: the analyser and constraint reader never panic and every
// span they report lies inside the query.
func FuzzUnderstand(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "rfq")
	}
	an := &docAnalyzer{v: baseVocab, tries: []*trie{baseVocab.trie}}
	f.Fuzz(func(t *testing.T, s, kind string) {
		q := Query{Text: s, Kind: QueryKind(kind)}
		a := an.understand(q, "日野市")
		check := func(ts []Term) {
			for _, x := range ts {
				if x.Start < 0 || x.End > len(s) || x.Start > x.End {
					t.Fatalf("span %d..%d outside %d", x.Start, x.End, len(s))
				}
			}
		}
		u := a.u
		check(u.Processes)
		check(u.Materials)
		check(u.Certifications)
		check(u.Excluded)
		check(u.Context)
		if u.SizeMM < 0 || u.HoleMM < 0 || u.Quantity < 0 {
			t.Fatalf("negative numbers: %+v", u)
		}
	})
}

var (
	fuzzEngOnce sync.Once
	fuzzEng     *Engine
)

// FuzzSearch: any text and filter value gives results or a FilterError.
func FuzzSearch(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "日野市", "めっき")
	}
	f.Fuzz(func(t *testing.T, s, city, proc string) {
		fuzzEngOnce.Do(func() {
			fuzzEng = New()
			docs := loadDemo(t)
			_ = fuzzEng.Build(docs[:120])
		})
		q := Query{Text: s, Kind: KindRFQ}
		if city != "" {
			q.Filters.Cities = []string{city}
		}
		if proc != "" {
			q.Filters.Processes = []string{proc}
		}
		res, err := fuzzEng.Search(context.Background(), q)
		if err != nil {
			if _, ok := err.(*FilterError); !ok {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if res.Hits == nil {
			t.Fatalf("nil hits")
		}
		if _, err := fuzzEng.JointGroups(context.Background(), q); err != nil {
			if _, ok := err.(*FilterError); !ok {
				t.Fatalf("joint: %v", err)
			}
		}
	})
}

// FuzzNormalizeFastPath: the NFKC quick-span fast path gives exactly the
// plain result.
func FuzzNormalizeFastPath(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Add("か\u3099きく")
	f.Add("ﾊﾞﾚﾙ研摩ｶﾞｷﾞ")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // invalid bytes: only bounds matter (FuzzNormalize)
		}
		a, b := normalize(s), normalizeRef(s)
		// the text is the same; offsets may be finer on the fast path
		// (a base character without the combining mark that follows it)
		if string(a.r) != string(b.r) || len(a.st) != len(b.st) {
			t.Fatalf("%q: %q vs %q", s, string(a.r), string(b.r))
		}
		for i := range a.st {
			if b.en[i] <= b.st[i] {
				continue // the plain path gives pieces of an expansion an empty span
			}
			if a.st[i] < b.st[i] || a.en[i] > b.en[i] || a.kana[i] != b.kana[i] {
				t.Fatalf("%q: offsets %d..%d outside %d..%d at %d", s, a.st[i], a.en[i], b.st[i], b.en[i], i)
			}
		}
	})
}
