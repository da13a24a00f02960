package match

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

//go:embed data/*.tsv
var dataFS embed.FS

// ckind is the kind of a concept.
type ckind uint8

const (
	kNone  ckind = iota
	kProc        // process (taxonomy)
	kSpec        // specialty
	kMat         // material family
	kGrade       // material grade → family
	kCert        // certification
	kLot         // lot class
	kMkt         // market / customer industry
	kTopic       // research topic
	kKw          // keyword pointing to other concepts
	kEquip       // equipment → process
	kProd        // product / part
	kMod         // modifier (for combos)
	kTerm        // synonym ring added by staff
)

var kindNames = map[string]ckind{
	"proc": kProc, "spec": kSpec, "mat": kMat, "grade": kGrade, "cert": kCert, "lot": kLot,
	"mkt": kMkt, "topic": kTopic, "kw": kKw, "equip": kEquip, "prod": kProd, "mod": kMod, "term": kTerm,
}

// public kind names (SynonymEntry.Kind, Understanding)
var kindPublic = map[ckind]string{
	kProc: "process", kSpec: "specialty", kMat: "material", kGrade: "material", kCert: "certification",
	kLot: "lot", kMkt: "market", kTopic: "topic", kKw: "term", kEquip: "equipment", kProd: "product",
	kMod: "term", kTerm: "term",
}

func (k ckind) prefix() string {
	for n, v := range kindNames {
		if v == k {
			return n
		}
	}
	return "?"
}

type wlink struct {
	to int32
	w  float32
}

type concept struct {
	id       int32
	kind     ckind
	label    string
	key      string // kind:label
	en       string // first English variant, for messages
	isa      []int32
	rel      []wlink
	topic    []wlink
	infer    []wlink
	cap      []wlink
	with     []int32 // read together with this concept (アルミダイカスト → アルミ)
	prodlike bool
	generic  bool // a method word (シミュレーション): goes to the field already named
	weak     bool // a process rarely asked for as such (試作: usually the lot)
	enSet    bool
	anc      []int32 // transitive isa closure, without self
}

type combo struct {
	out    int32
	groups [][]int32 // every group must be present (any of its members)
}

type suppressRule struct {
	when int32
	drop []int32
}

type rePattern struct {
	re *regexp.Regexp
	c  int32
}

// vocab is the shared base thesaurus (immutable after load).
type vocab struct {
	concepts []*concept
	byKey    map[string]int32
	surfaces map[string][]int32 // normalised surface → concepts
	loose    map[string]bool    // normalised surfaces also written in hiragana
	res      []rePattern
	combos   []combo
	dcombos  []combo // read in profiles: capabilities that together imply another
	suppress []suppressRule
	trie     *trie
	topics   []int32 // topic concepts in taxonomy order
}

func (v *vocab) get(key string) (int32, bool) {
	id, ok := v.byKey[key]
	return id, ok
}

// lookupKind returns the concepts of kind k (or any kind if k == kNone)
// whose label or variant equals s after normalisation.
func (v *vocab) lookupKind(s string, kinds ...ckind) []int32 {
	ids := v.surfaces[normString(s)]
	if len(kinds) == 0 {
		return ids
	}
	var out []int32
	for _, id := range ids {
		for _, k := range kinds {
			if v.concepts[id].kind == k {
				out = append(out, id)
				break
			}
		}
	}
	return out
}

var baseVocab = mustLoadVocab()

func mustLoadVocab() *vocab {
	v, err := loadVocab(dataFS)
	if err != nil {
		panic("match: embedded vocabulary: " + err.Error())
	}
	return v
}

type rawLine struct {
	file  string
	line  int
	kind  string
	label string
	vars  []string
	links []string
}

func loadVocab(fsys fs.FS) (*vocab, error) {
	files, err := fs.Glob(fsys, "data/*.tsv")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var lines []rawLine
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		sc.Buffer(make([]byte, 1<<16), 1<<20)
		n := 0
		for sc.Scan() {
			n++
			l := sc.Text()
			if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
				continue
			}
			cols := strings.Split(l, "\t")
			for len(cols) < 4 {
				cols = append(cols, "")
			}
			rl := rawLine{file: f, line: n, kind: strings.TrimSpace(cols[0]), label: strings.TrimSpace(cols[1])}
			for _, x := range strings.Split(cols[2], "|") {
				if x = strings.TrimSpace(x); x != "" {
					rl.vars = append(rl.vars, x)
				}
			}
			rl.links = strings.Fields(cols[3])
			lines = append(lines, rl)
		}
	}
	v := &vocab{byKey: map[string]int32{}, surfaces: map[string][]int32{}, loose: map[string]bool{}}
	// pass 1: concepts
	for _, l := range lines {
		k, ok := kindNames[l.kind]
		if !ok {
			continue
		}
		key := l.kind + ":" + l.label
		if _, dup := v.byKey[key]; dup {
			return nil, fmt.Errorf("%s:%d: duplicate concept %s", l.file, l.line, key)
		}
		c := &concept{id: int32(len(v.concepts)), kind: k, label: l.label, key: key}
		v.concepts = append(v.concepts, c)
		v.byKey[key] = c.id
		if k == kTopic {
			v.topics = append(v.topics, c.id)
		}
	}
	// pass 2: surfaces and links
	for _, l := range lines {
		switch l.kind {
		case "combo", "dcombo":
			out, ok := v.byKey[l.label]
			if !ok {
				return nil, fmt.Errorf("%s:%d: combo output %q unknown", l.file, l.line, l.label)
			}
			cb := combo{out: out}
			for _, g := range strings.Split(strings.Join(l.vars, "|"), "+") {
				var grp []int32
				for _, key := range strings.Split(g, ",") {
					key = strings.TrimSpace(key)
					if key == "" {
						continue
					}
					id, ok := v.byKey[key]
					if !ok {
						return nil, fmt.Errorf("%s:%d: combo key %q unknown", l.file, l.line, key)
					}
					grp = append(grp, id)
				}
				if len(grp) > 0 {
					cb.groups = append(cb.groups, grp)
				}
			}
			if l.kind == "dcombo" {
				v.dcombos = append(v.dcombos, cb)
			} else {
				v.combos = append(v.combos, cb)
			}
			continue
		case "suppress":
			when, ok := v.byKey[l.label]
			if !ok {
				return nil, fmt.Errorf("%s:%d: suppress key %q unknown", l.file, l.line, l.label)
			}
			sr := suppressRule{when: when}
			for _, key := range strings.Split(strings.Join(l.vars, ","), ",") {
				if key = strings.TrimSpace(key); key == "" {
					continue
				}
				id, ok := v.byKey[key]
				if !ok {
					return nil, fmt.Errorf("%s:%d: suppress key %q unknown", l.file, l.line, key)
				}
				sr.drop = append(sr.drop, id)
			}
			v.suppress = append(v.suppress, sr)
			continue
		case "re":
			target, ok := v.byKey[l.label]
			if !ok {
				return nil, fmt.Errorf("%s:%d: re target %q unknown", l.file, l.line, l.label)
			}
			re, err := regexp.Compile("^(?:" + strings.Join(l.vars, "|") + ")$")
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", l.file, l.line, err)
			}
			v.res = append(v.res, rePattern{re: re, c: target})
			continue
		}
		id, ok := v.byKey[l.kind+":"+l.label]
		if !ok {
			return nil, fmt.Errorf("%s:%d: unknown line kind %q", l.file, l.line, l.kind)
		}
		c := v.concepts[id]
		v.addSurface(l.label, id)
		for _, s := range l.vars {
			v.addSurface(s, id)
			if !c.enSet && c.en == "" && isASCIIText(s) && len(s) > 3 {
				c.en = s
			}
		}
		for _, lk := range l.links {
			if lk == "prodlike" {
				c.prodlike = true
				continue
			}
			if lk == "generic" {
				c.generic = true
				continue
			}
			if lk == "weakproc" {
				c.weak = true
				continue
			}
			if strings.HasPrefix(lk, "en=") {
				c.en = strings.ReplaceAll(lk[3:], "_", " ")
				c.enSet = true
				continue
			}
			typ, rest, ok := strings.Cut(lk, "=")
			if !ok {
				return nil, fmt.Errorf("%s:%d: bad link %q", l.file, l.line, lk)
			}
			target, wstr, _ := strings.Cut(rest, "@")
			w := float32(1)
			if wstr != "" {
				f, err := strconv.ParseFloat(wstr, 32)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: bad weight in %q", l.file, l.line, lk)
				}
				w = float32(f)
			}
			if !strings.Contains(target, ":") {
				target = "topic:" + target
			}
			tid, ok := v.byKey[target]
			if !ok {
				return nil, fmt.Errorf("%s:%d: link target %q unknown", l.file, l.line, target)
			}
			switch typ {
			case "isa":
				c.isa = append(c.isa, tid)
			case "rel":
				c.rel = append(c.rel, wlink{tid, w})
			case "topic":
				c.topic = append(c.topic, wlink{tid, w})
			case "infer":
				c.infer = append(c.infer, wlink{tid, w})
			case "cap":
				c.cap = append(c.cap, wlink{tid, w})
			case "with":
				c.with = append(c.with, tid)
			default:
				return nil, fmt.Errorf("%s:%d: unknown link type %q", l.file, l.line, typ)
			}
		}
	}
	// related topics are symmetric
	for _, c := range v.concepts {
		if c.kind != kTopic {
			continue
		}
		for _, r := range c.rel {
			o := v.concepts[r.to]
			found := false
			for _, rr := range o.rel {
				if rr.to == c.id {
					found = true
				}
			}
			if !found {
				o.rel = append(o.rel, wlink{c.id, r.w})
			}
		}
	}
	// isa closure
	for _, c := range v.concepts {
		seen := map[int32]bool{c.id: true}
		var walk func(id int32)
		walk = func(id int32) {
			for _, p := range v.concepts[id].isa {
				if !seen[p] {
					seen[p] = true
					c.anc = append(c.anc, p)
					walk(p)
				}
			}
		}
		walk(c.id)
	}
	v.trie = buildTrie(v.surfaces, v.loose)
	return v, nil
}

func isASCIIText(s string) bool {
	for _, r := range s {
		if r >= 0x80 {
			return false
		}
	}
	return true
}

func (v *vocab) addSurface(s string, id int32) {
	n := normString(s)
	if n == "" {
		return
	}
	if !isKataOnly(s) {
		v.loose[n] = true
	}
	for _, x := range v.surfaces[n] {
		if x == id {
			return
		}
	}
	v.surfaces[n] = append(v.surfaces[n], id)
}

// isKataOnly: written in katakana only (no hiragana): such a surface must
// not match text written in hiragana (リーマ ≠ まいりました, カラー ≠ から).
func isKataOnly(s string) bool {
	for _, r := range s {
		if isHiragana(r) {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------- trie

// trie maps normalised surfaces to concept ids. Edges live in one hash map
// keyed by (node, rune).
type trie struct {
	edges  map[uint64]int32
	out    [][]int32 // per node
	strict []bool    // per node: katakana-only surface
	short  []bool    // per node: katakana surface of ≤ 3 runes
	first  map[rune]bool
	root   []int32 // child of the root for runes < 0x10000 (0 = none): the common first step without a map
}

func buildTrie(surfaces map[string][]int32, loose map[string]bool) *trie {
	t := &trie{edges: map[uint64]int32{}, out: [][]int32{nil}, strict: []bool{false}, short: []bool{false}, first: map[rune]bool{}}
	keys := make([]string, 0, len(surfaces))
	for s := range surfaces {
		keys = append(keys, s)
	}
	sort.Strings(keys)
	for _, s := range keys {
		node := int32(0)
		for i, r := range []rune(s) {
			if i == 0 {
				t.first[r] = true
			}
			k := uint64(node)<<32 | uint64(uint32(r))
			nx, ok := t.edges[k]
			if !ok {
				nx = int32(len(t.out))
				t.out = append(t.out, nil)
				t.strict = append(t.strict, false)
				t.short = append(t.short, false)
				t.edges[k] = nx
			}
			node = nx
		}
		t.out[node] = append(t.out[node], surfaces[s]...)
		rs := []rune(s)
		allKata := true
		for _, r := range rs {
			if !isKatakana(r) && r != 'ー' && r != '・' {
				allKata = false
			}
		}
		t.strict[node] = !loose[s]
		t.short[node] = allKata && len(rs) <= 3
	}
	t.root = make([]int32, 0x10000)
	for k, nx := range t.edges {
		if k>>32 == 0 && uint32(k) < 0x10000 {
			t.root[uint32(k)] = nx
		}
	}
	return t
}

// mention is one concept match in a normalised text (rune offsets).
type mention struct {
	c          int32
	start, end int
}

var englishSuffixes = map[string]bool{"s": true, "es": true, "ed": true, "d": true, "ing": true, "er": true, "ers": true, "ings": true}

// scan finds leftmost-longest matches of tries (the base and optional
// overlays) in r and calls fn for each concept of each match.
func scanTries(nt *ntext, tries []*trie, fn func(m mention)) {
	r := nt.r
	n := len(r)
	for i := 0; i < n; {
		if r[i] == ' ' {
			i++
			continue
		}
		// ASCII word must start at a boundary
		if isASCIIAlnum(r[i]) && i > 0 && isASCIIAlnum(r[i-1]) {
			i++
			continue
		}
		bestEnd := -1
		bestExact := false
		var bestOut []int32
		for _, t := range tries {
			if t == nil {
				continue
			}
			if c := r[i]; c < 0x10000 {
				if t.root[c] == 0 {
					continue
				}
			} else if !t.first[c] {
				continue
			}
			node := int32(0)
			for j := i; j < n; j++ {
				var nx int32
				var ok bool
				if node == 0 && r[j] < 0x10000 {
					nx = t.root[r[j]]
					ok = nx != 0
				} else {
					nx, ok = t.edges[uint64(node)<<32|uint64(uint32(r[j]))]
				}
				if !ok {
					break
				}
				node = nx
				if len(t.out[node]) == 0 {
					continue
				}
				end := j + 1
				if !nt.scriptOK(i, end, t.strict[node], t.short[node]) {
					continue
				}
				exact := true
				if isASCIIAlnum(r[j]) && end < n && isASCIIAlnum(r[end]) {
					exact = false
					// inside a word: allow an English inflection of a word
					// of four letters or more (not of abbreviations: pc ≠ pcs)
					if !isASCIILetter(r[j]) || !isASCIILetter(r[end]) || end-i < 4 {
						continue
					}
					k := end
					for k < n && isASCIILetter(r[k]) {
						k++
					}
					if k < n && isDigit(r[k]) || !englishSuffixes[string(r[end:k])] {
						continue
					}
					end = k
				}
				switch {
				case end > bestEnd || (end == bestEnd && exact && !bestExact):
					// longest first; at equal length a written form beats an
					// inflected one (injection molding ≠ injection mold+ing)
					bestEnd, bestExact = end, exact
					bestOut = t.out[node]
				case end == bestEnd && exact == bestExact:
					bestOut = append(append([]int32(nil), bestOut...), t.out[node]...)
				}
			}
		}
		if bestEnd < 0 {
			i++
			continue
		}
		for _, c := range bestOut {
			fn(mention{c: c, start: i, end: bestEnd})
		}
		i = bestEnd
	}
}

// scriptOK: a katakana-only surface does not match text written in
// hiragana, and a short katakana word does not match inside a longer
// katakana word (ピン in スピンドル).
func (nt *ntext) scriptOK(i, end int, strict, short bool) bool {
	if nt.kana == nil {
		return true
	}
	if strict {
		for p := i; p < end; p++ {
			if nt.kana[p] == kanaHira {
				return false
			}
		}
	}
	if short && i > 0 && nt.kana[i-1] == kanaKata {
		return false
	}
	return true
}

// scanRegex reads ASCII tokens (letters, digits, inner - and .) and reports
// those matching a grade pattern.
func scanRegex(r []rune, res []rePattern, fn func(m mention)) {
	n := len(r)
	for i := 0; i < n; {
		if !isASCIIAlnum(r[i]) {
			i++
			continue
		}
		j := i
		for j < n && (isASCIIAlnum(r[j]) || ((r[j] == '-' || r[j] == '.') && j+1 < n && isASCIIAlnum(r[j+1]))) {
			j++
		}
		tok := string(r[i:j])
		for _, p := range res {
			if p.re.MatchString(tok) {
				fn(mention{c: p.c, start: i, end: j})
				break
			}
		}
		i = j
	}
}
